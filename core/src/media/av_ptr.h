// Owning wrappers for FFmpeg objects (functor deleters, move-only) and error helpers.
// Everything in core that holds an FFmpeg object holds it through one of these.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

#include "vfi/result.h"

namespace vfi::media {

struct AvFrameDeleter {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct AvPacketDeleter {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct AvCodecContextDeleter {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
// Input contexts: avformat_close_input. Output contexts: closes pb (if opened by us) and frees.
struct AvInputFormatContextDeleter {
    void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct AvOutputFormatContextDeleter {
    void operator()(AVFormatContext* c) const {
        if (!c) return;
        if (c->oformat && !(c->oformat->flags & AVFMT_NOFILE) && c->pb) avio_closep(&c->pb);
        avformat_free_context(c);
    }
};
struct SwsContextDeleter {
    void operator()(SwsContext* c) const { sws_freeContext(c); }
};

using AvFramePtr = std::unique_ptr<AVFrame, AvFrameDeleter>;
using AvPacketPtr = std::unique_ptr<AVPacket, AvPacketDeleter>;
using AvCodecContextPtr = std::unique_ptr<AVCodecContext, AvCodecContextDeleter>;
using AvInputContextPtr = std::unique_ptr<AVFormatContext, AvInputFormatContextDeleter>;
using AvOutputContextPtr = std::unique_ptr<AVFormatContext, AvOutputFormatContextDeleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;

inline AvFramePtr makeFrame() { return AvFramePtr(av_frame_alloc()); }
inline AvPacketPtr makePacket() { return AvPacketPtr(av_packet_alloc()); }

// av_strerror text for an FFmpeg error code.
std::string avErrorText(int errnum);

// Whether an error (an AVERROR or a positive errno) means the filesystem is full: ENOSPC, or EDQUOT
// (a quota). Such a stop is resumable once space is freed, unlike other write errors.
bool isDiskFullError(int errnum);

// Error{Ffmpeg} naming the operation and FFmpeg's text, e.g. "avformat_open_input(x.mp4): Invalid data".
// A full disk is Error{DiskFull} instead, with its path, needed and free bytes still unknown (empty
// args): the job or join that knows them completes it (pipeline::completeDiskFull).
Error avError(const std::string& operation, int errnum);

// Gives each video stream whose container does not state its pixel format this one (an FFmpeg name;
// "" or an unknown name changes nothing). avformat_find_stream_info decodes frames until it knows the
// pixel format: a caller that knows it (the joiner: the chunks' encoder format) spares that decode, a
// quarter of a second per 4K FFV1 frame in NUT or Matroska, on the serial end of a job.
void fillUnknownPixelFormat(AVFormatContext* ic, const std::string& pixelFormat);

// Route FFmpeg's av_log into vfi::log (warnings and errors; debug when verbose). Idempotent.
void installAvLogBridge(bool verbose = false);

}  // namespace vfi::media
