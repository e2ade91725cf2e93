// Chunk encoding and verification (pipeline side of media_adapter.h). Kept here rather than on
// media::ChunkWriter because its NUT chunks shift B-frame pts (avoid_negative_ts). Every chunk gets a
// fresh encoder with its settings pinned (closed GOP, IDR first, fixed B-frames/refs/threads) so chunks
// can be joined losslessly; the chunk container is NUT with the exact output time base.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "media/colour_converter.h"
#include "media/encoder_table.h"
#include "pipeline/file_util.h"
#include "pipeline/media_adapter.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using namespace vfi::media;

Result<EncodeChoice> resolveEncoding(const EncodeOptions& opts, const SourceIndex& src, const std::string& outputPath) {
    std::string ext = fs::path(outputPath).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!ext.empty()) ext = ext.substr(1);
    if (!outputPath.empty() && ext != "mp4" && ext != "mov" && ext != "mkv")
        return makeError(ErrorCode::UnsupportedFormat, "output container ." + ext + " is not supported (use .mp4, .mov or .mkv)",
                         {opts.encoder, opts.pixFmt, ext});
    EncodeChoice c;
    const bool tenBit = src.bitDepth > 8;
    c.encoder = opts.encoder.empty() ? (tenBit ? "libx265" : "libx264") : opts.encoder;
    if (c.encoder == "x264") c.encoder = "libx264";
    if (c.encoder == "x265") c.encoder = "libx265";
    if (c.encoder == "libx264" || c.encoder == "libx265") {
        c.pixFmt = opts.pixFmt.empty() ? (tenBit ? "yuv420p10le" : "yuv420p") : opts.pixFmt;
        if (c.pixFmt != "yuv420p" && c.pixFmt != "yuv420p10le" && c.pixFmt != "yuv444p" && c.pixFmt != "yuv444p10le")
            return makeError(ErrorCode::UnsupportedFormat, c.encoder + " does not support pixel format " + c.pixFmt, {c.encoder, c.pixFmt, ext});
        c.quality = opts.quality >= 0 ? opts.quality : (c.encoder == "libx264" ? 18 : 20);
        c.preset = opts.preset.empty() ? "medium" : opts.preset;
    } else if (c.encoder == "ffv1") {
        if (!outputPath.empty() && ext != "mkv")
            return makeError(ErrorCode::UnsupportedFormat, "FFV1 output must be .mkv (got ." + ext + ")", {c.encoder, opts.pixFmt, ext});
        c.pixFmt = opts.pixFmt.empty() ? (src.pixFmt.rfind("yuv", 0) == 0 || src.pixFmt.rfind("gbrp", 0) == 0 ? src.pixFmt : "yuv444p")
                                       : opts.pixFmt;
        c.quality = 0;
    } else if (c.encoder == "prores_ks" || c.encoder == "prores") {
        c.encoder = "prores_ks";
        if (!outputPath.empty() && ext == "mp4")
            return makeError(ErrorCode::UnsupportedFormat, "ProRes output must be .mov or .mkv", {c.encoder, opts.pixFmt, ext});
        c.pixFmt = opts.pixFmt.empty() ? "yuv422p10le" : opts.pixFmt;
        c.quality = opts.quality >= 0 ? std::clamp(opts.quality, 0, 5) : 3;
    } else {
        return makeError(ErrorCode::EncoderUnavailable, "encoder " + c.encoder + " is not supported by this build (libx264, libx265, ffv1, prores_ks)",
                         {c.encoder, "unsupported"});
    }
    if (!avcodec_find_encoder_by_name(c.encoder.c_str()))
        return makeError(ErrorCode::EncoderUnavailable, "encoder " + c.encoder + " is not available in this FFmpeg", {c.encoder, "missing"});
    if (av_get_pix_fmt(c.pixFmt.c_str()) == AV_PIX_FMT_NONE)
        return makeError(ErrorCode::UnsupportedFormat, "unknown pixel format " + c.pixFmt, {c.encoder, c.pixFmt, ext});
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(av_get_pix_fmt(c.pixFmt.c_str()));
    if (d && ((src.width % (1 << d->log2_chroma_w)) || (src.height % (1 << d->log2_chroma_h))))
        return makeError(ErrorCode::UnsupportedFormat,
                         "odd frame size " + std::to_string(src.width) + "x" + std::to_string(src.height) + " cannot be encoded as " +
                             c.pixFmt + "; use --encoder ffv1 --pix-fmt yuv444p (.mkv) or --pix-fmt yuv444p",
                         {c.encoder, c.pixFmt, ext});
    c.chunkExtension = "nut";
    return c;
}

namespace {

// x264 frame threads. A fixed count, never "auto": x264's output depends on the number of frame
// threads (not on their timing: x264 is deterministic unless told --non-deterministic), and a resumed
// or --range chunk rendered on another machine must match. Sliced threads and automatic lookahead
// threads stay off for the same reason. 4 measured fastest of 1-4 on the 2-core reference machine
// (docs/benchmarks.md) and leaves room on larger ones; x265 stays at one frame thread.
constexpr int kX264Threads = 4;
// FFV1 slices, pinned (FFmpeg's default for level 3 is also 4). Slices are coded independently, so
// the number of threads encoding them does not change a byte: that one follows the machine.
constexpr int kFfv1Slices = 4;
int ffv1Threads() { return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, static_cast<unsigned>(kFfv1Slices))); }

class LibavChunkEncoder final : public ChunkEncoder {
public:
    Status open(const std::string& path, const EncodeChoice& c, const SourceIndex& src, Rational tb) {
        m_path = path;
        const AVCodec* codec = avcodec_find_encoder_by_name(c.encoder.c_str());
        if (!codec) return makeError(ErrorCode::EncoderUnavailable, "encoder " + c.encoder + " unavailable", {c.encoder, "missing"});
        m_enc.reset(avcodec_alloc_context3(codec));
        AVCodecContext* e = m_enc.get();
        e->width = src.width;
        e->height = src.height;
        e->pix_fmt = av_get_pix_fmt(c.pixFmt.c_str());
        e->time_base = {tb.num, tb.den};
        // Without a frame rate x264/x265 take 1/time_base (e.g. 60000 fps) for level and rate control.
        if (src.fps > 0 && src.timeBase.den > 0 && tb.den % src.timeBase.den == 0) {
            const int factor = tb.den / src.timeBase.den;
            e->framerate = av_d2q(src.fps * factor, 1 << 20);
        }
        e->sample_aspect_ratio = {1, 1};
        e->color_primaries = static_cast<AVColorPrimaries>(std::max(0, av_color_primaries_from_name(src.colour.primaries.c_str())));
        e->color_trc = static_cast<AVColorTransferCharacteristic>(std::max(0, av_color_transfer_from_name(src.colour.transfer.c_str())));
        e->colorspace = static_cast<AVColorSpace>(std::max(0, av_color_space_from_name(src.colour.matrix.c_str())));
        const int range = av_color_range_from_name(src.colour.range.c_str());
        e->color_range = range > 0 ? static_cast<AVColorRange>(range) : AVCOL_RANGE_MPEG;
        m_conv = std::make_unique<media::ColourConverter>(media::ColourSpec::fromSource(*src.info), 1);
        e->gop_size = 1 << 30;      // one GOP per chunk: only the first frame is a keyframe
        e->thread_count = 1;        // pinned per encoder below: the count is part of the bitstream for x264/x265
        e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER | AV_CODEC_FLAG_CLOSED_GOP;
        AVDictionary* opts = nullptr;
        m_settings = c.describe() + " " + LIBAVCODEC_IDENT;
        if (c.encoder == "libx264") {
            e->max_b_frames = 2;
            av_dict_set(&opts, "preset", c.preset.c_str(), 0);
            av_dict_set(&opts, "crf", std::to_string(c.quality).c_str(), 0);
            const int threads = kX264Threads;
            e->thread_count = threads;
            std::string params = "open-gop=0:bframes=2:b-pyramid=none:ref=3:scenecut=0:keyint=infinite:sliced-threads=0:threads=" +
                                 std::to_string(threads) + ":lookahead-threads=1";
            // Off AVX-512: x264 core 164 reads uninitialised heap memory there, and re-rendered chunks
            // came out different (docs/known-issues.md). The CPU-specific number stays out of the hash.
            if (const std::string asmOpt = media::x264AsmOption(); !asmOpt.empty()) params += ":" + asmOpt;
            av_dict_set(&opts, "x264-params", params.c_str(), 0);
            m_settings += " bframes=2 b-pyramid=none ref=3 closed-gop threads=" + std::to_string(threads) + " " + media::kX264AsmTag;
        } else if (c.encoder == "libx265") {
            av_dict_set(&opts, "preset", c.preset.c_str(), 0);
            av_dict_set(&opts, "crf", std::to_string(c.quality).c_str(), 0);
            av_dict_set(&opts, "x265-params", "open-gop=0:bframes=2:b-pyramid=0:ref=3:scenecut=0:keyint=-1:repeat-headers=0:log-level=error:pools=1:frame-threads=1", 0);
            m_settings += " bframes=2 b-pyramid=0 ref=3 open-gop=0 pools=1";
        } else if (c.encoder == "ffv1") {
            av_dict_set(&opts, "level", "3", 0);
            av_dict_set(&opts, "slicecrc", "1", 0);
            e->gop_size = 1;
            e->slices = kFfv1Slices;
            e->thread_count = ffv1Threads();
            m_settings += " level=3 slices=" + std::to_string(kFfv1Slices);
        } else if (c.encoder == "prores_ks") {
            av_dict_set(&opts, "profile", std::to_string(c.quality).c_str(), 0);
        }
        int rc = avcodec_open2(e, codec, &opts);
        av_dict_free(&opts);
        if (rc < 0) return makeError(ErrorCode::EncoderUnavailable, "cannot open encoder " + c.encoder + ": " + avErrorText(rc), {c.encoder, avErrorText(rc)});
        AVFormatContext* raw = nullptr;
        rc = avformat_alloc_output_context2(&raw, nullptr, "nut", path.c_str());
        if (rc < 0) return avError("avformat_alloc_output_context2(" + path + ")", rc);
        m_mux.reset(raw);
        // Keep the planned pts: B-frame dts start below zero, which NUT stores as is.
        raw->avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED;
        AVStream* st = avformat_new_stream(raw, nullptr);
        avcodec_parameters_from_context(st->codecpar, e);
        st->time_base = e->time_base;
        rc = avio_open(&raw->pb, path.c_str(), AVIO_FLAG_WRITE);
        if (rc < 0) return makeError(ErrorCode::OutputNotWritable, "cannot write " + path + ": " + avErrorText(rc), {path, avErrorText(rc)});
        rc = avformat_write_header(raw, nullptr);
        if (rc < 0) return avError("avformat_write_header(" + path + ")", rc);
        m_stream = st;
        m_pkt = makePacket();
        if (e->extradata_size > 0) m_stats.extradataHash = sha256Hex(e->extradata, static_cast<size_t>(e->extradata_size));
        m_stats.encoderSettingsHash = sha256Hex(m_settings);
        return {};
    }

    Status write(const RgbFrame& rgb, const AVFrame* decoded, int64_t pts) override {
        AvFramePtr f;
        AVCodecContext* e = m_enc.get();
        if (decoded && decoded->format == e->pix_fmt && decoded->width == e->width && decoded->height == e->height) {
            VFI_ASSIGN_OR_RETURN(f, passThrough(*decoded));
        } else {
            VFI_ASSIGN_OR_RETURN(f, fromRgb(rgb));
        }
        f->pts = pts;
        // FFV1 writes each frame's aspect ratio: the same value for source and generated frames.
        f->sample_aspect_ratio = e->sample_aspect_ratio;
        if (m_stats.frames == 0) {
            f->pict_type = AV_PICTURE_TYPE_I;
            f->key_frame = 1;
            m_stats.firstPts = pts;
        }
        m_stats.lastPts = std::max(m_stats.lastPts, pts);
        ++m_stats.frames;
        int rc = avcodec_send_frame(e, f.get());
        if (rc < 0) return avError("avcodec_send_frame(" + m_path + ")", rc);
        return drain();
    }

    Result<ChunkStats> finish() override {
        int rc = avcodec_send_frame(m_enc.get(), nullptr);
        if (rc < 0) return avError("avcodec_send_frame(flush)", rc);
        VFI_TRY(drain());
        rc = av_write_trailer(m_mux.get());
        if (rc < 0) return avError("av_write_trailer(" + m_path + ")", rc);
        avio_closep(&m_mux->pb);
        std::error_code ec;
        m_stats.bytes = static_cast<int64_t>(fs::file_size(m_path, ec));
        return m_stats;
    }

private:
    // A fresh frame that shares the decoder's pixel buffers and carries nothing else of it: no side
    // data (the source's SEI, captions, regions of interest would reach the encoder), no frame type
    // or key flag, no opaque values. Colour tags are the encoder's.
    Result<AvFramePtr> passThrough(const AVFrame& src) {
        const AVCodecContext* e = m_enc.get();
        AvFramePtr f = makeFrame();
        if (!f) return makeError(ErrorCode::Internal, "av_frame_alloc failed", {"out of memory"});
        f->format = src.format;
        f->width = src.width;
        f->height = src.height;
        if (src.buf[0] && !src.extended_buf) {
            for (int i = 0; i < AV_NUM_DATA_POINTERS; ++i) {
                f->data[i] = src.data[i];
                f->linesize[i] = src.linesize[i];
                if (src.buf[i] && !(f->buf[i] = av_buffer_ref(src.buf[i])))
                    return makeError(ErrorCode::Internal, "av_buffer_ref failed", {"out of memory"});
            }
        } else {
            int rc = av_frame_get_buffer(f.get(), 0);
            if (rc < 0) return avError("av_frame_get_buffer", rc);
            if ((rc = av_frame_copy(f.get(), &src)) < 0) return avError("av_frame_copy", rc);
        }
        f->color_primaries = e->color_primaries;
        f->color_trc = e->color_trc;
        f->colorspace = e->colorspace;
        f->color_range = e->color_range;
        return f;
    }

    Result<AvFramePtr> fromRgb(const RgbFrame& rgb) {
        // Same float converter (matrix, range, rounding) as the decode side: media::ColourConverter.
        return m_conv->fromRgb(rgb, m_enc->pix_fmt);
    }

    Status drain() {
        for (;;) {
            int rc = avcodec_receive_packet(m_enc.get(), m_pkt.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return {};
            if (rc < 0) return avError("avcodec_receive_packet(" + m_path + ")", rc);
            m_pkt->stream_index = 0;
            av_packet_rescale_ts(m_pkt.get(), m_enc->time_base, m_stream->time_base);
            ++m_stats.packets;
            rc = av_interleaved_write_frame(m_mux.get(), m_pkt.get());
            if (rc < 0) return makeError(ErrorCode::Io, "cannot write chunk " + m_path + ": " + avErrorText(rc), {m_path, avErrorText(rc)});
        }
    }

    std::string m_path, m_settings;
    AvCodecContextPtr m_enc;
    AvOutputContextPtr m_mux;
    AVStream* m_stream = nullptr;
    AvPacketPtr m_pkt;
    std::unique_ptr<media::ColourConverter> m_conv;
    ChunkStats m_stats;
};

}  // namespace

Result<std::unique_ptr<ChunkEncoder>> openChunkEncoder(const std::string& path, const EncodeChoice& choice, const SourceIndex& src,
                                                       Rational outputTimeBase) {
    auto e = std::make_unique<LibavChunkEncoder>();
    VFI_TRY(e->open(path, choice, src, outputTimeBase));
    return std::unique_ptr<ChunkEncoder>(std::move(e));
}

Status verifyChunk(const std::string& path, int64_t frames, int64_t firstPts, int64_t lastPts, Rational tb) {
    AVFormatContext* raw = nullptr;
    int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (rc < 0) return makeError(ErrorCode::ChunkInvalid, "chunk " + path + " cannot be opened: " + avErrorText(rc), {path, avErrorText(rc)});
    AvInputContextPtr fmt(raw);
    avformat_find_stream_info(raw, nullptr);
    const int si = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (si < 0) return makeError(ErrorCode::ChunkInvalid, "chunk " + path + " has no video", {path, "no video"});
    AVStream* st = raw->streams[si];
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    AvCodecContextPtr dec(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(dec.get(), st->codecpar);
    dec->pkt_timebase = st->time_base;
    dec->thread_count = 0;   // automatic: decoding is bit-exact with any thread count; this is a full decode
    if ((rc = avcodec_open2(dec.get(), codec, nullptr)) < 0) return avError("avcodec_open2(" + path + ")", rc);
    AvPacketPtr pkt = makePacket();
    AvFramePtr frame = makeFrame();
    int64_t count = 0, first = AV_NOPTS_VALUE, last = AV_NOPTS_VALUE;
    bool firstKey = false;
    auto receive = [&]() {
        while (avcodec_receive_frame(dec.get(), frame.get()) == 0) {
            const int64_t p = av_rescale_q(frame->best_effort_timestamp, st->time_base, {tb.num, tb.den});
            if (count == 0) first = p;
            last = p;
            ++count;
        }
    };
    bool firstPacket = true;
    while (av_read_frame(raw, pkt.get()) >= 0) {
        if (pkt->stream_index == si) {
            if (firstPacket) firstKey = pkt->flags & AV_PKT_FLAG_KEY;
            firstPacket = false;
            avcodec_send_packet(dec.get(), pkt.get());
            receive();
        }
        av_packet_unref(pkt.get());
    }
    avcodec_send_packet(dec.get(), nullptr);
    receive();
    auto bad = [&](const std::string& why) { return makeError(ErrorCode::ChunkInvalid, "chunk " + path + ": " + why, {path, why}); };
    if (!firstKey) return bad("does not start with a keyframe");
    if (count != frames) return bad("decodes to " + std::to_string(count) + " frames, planned " + std::to_string(frames));
    if (first != firstPts || last != lastPts)
        return bad("timestamps " + std::to_string(first) + ".." + std::to_string(last) + ", planned " + std::to_string(firstPts) + ".." +
                   std::to_string(lastPts));
    return {};
}

}  // namespace vfi::pipeline
