// media::checkOutput (output_check.h) and vfi::verifyOutput, its full depth.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "media/av_ptr.h"
#include "media/output_check.h"
#include "media/payload_hash.h"

namespace vfi {

namespace media {

Result<OutputCheck> checkOutput(const std::string& path, VerifyDepth depth, const std::string& pixelFormat) {
    installAvLogBridge();
    const bool full = depth == VerifyDepth::Full;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return makeError(ErrorCode::InputNotFound, "File not found: " + path + ".", {path});
    AVFormatContext* raw = nullptr;
    int r = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (r < 0) return makeError(ErrorCode::NotAVideo, path + " is not a readable video: " + avErrorText(r) + ".", {path, avErrorText(r)});
    AvInputContextPtr ic(raw);
    // The probe also settles the decode delay that the demuxer's timestamps depend on (Matroska with
    // B-frames), so it stays; what it would decode a frame for only, the pixel format, is filled in.
    fillUnknownPixelFormat(ic.get(), pixelFormat);
    if ((r = avformat_find_stream_info(ic.get(), nullptr)) < 0)
        return makeError(ErrorCode::NotAVideo, path + " is not a readable video: " + avErrorText(r) + ".", {path, avErrorText(r)});
    const int vs = av_find_best_stream(ic.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (vs < 0) return makeError(ErrorCode::NoVideoStream, path + " has no video stream.", {path});
    const AVStream* st = ic->streams[vs];
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) return makeError(ErrorCode::UnsupportedCodec, "No decoder for " + std::string(avcodec_get_name(st->codecpar->codec_id)) + ".", {avcodec_get_name(st->codecpar->codec_id)});
    AvCodecContextPtr dec(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(dec.get(), st->codecpar);
    dec->pkt_timebase = st->time_base;
    // Full: automatic threads (decoded frames do not depend on them). Quick: slice threads only, since
    // frame threads hold the first frame back until several packets are in; intra codecs (FFV1, ProRes)
    // decode their slices side by side, at the end of the job where the other cores are idle.
    dec->thread_count = 0;
    if (!full) dec->thread_type = FF_THREAD_SLICE;
    if ((r = avcodec_open2(dec.get(), codec, nullptr)) < 0) return avError("avcodec_open2(" + path + ")", r);

    OutputCheck out;
    VerifyReport& rep = out.report;
    rep.timestampsMonotonic = true;
    PayloadHash hash(st->codecpar);
    std::vector<int64_t> packetPts;
    bool dtsIncreasing = true;
    int64_t lastPts = AV_NOPTS_VALUE, lastDts = AV_NOPTS_VALUE, firstPts = AV_NOPTS_VALUE;
    int64_t packetStart = INT64_MAX, packetEnd = INT64_MIN;   // presentation span incl. the last duration
    int decodeErrors = 0;
    auto pkt = makePacket();
    auto frame = makeFrame();
    auto drain = [&] {
        for (;;) {
            const int rr = avcodec_receive_frame(dec.get(), frame.get());
            if (rr == AVERROR(EAGAIN) || rr == AVERROR_EOF) return;
            if (rr < 0) { ++decodeErrors; return; }
            const int64_t ts = frame->best_effort_timestamp;
            if (ts == AV_NOPTS_VALUE) {
                rep.timestampsMonotonic = false;
            } else {
                if (lastPts != AV_NOPTS_VALUE && ts <= lastPts) rep.timestampsMonotonic = false;
                if (firstPts == AV_NOPTS_VALUE) firstPts = ts;
                lastPts = ts;
            }
            if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT)) ++decodeErrors;
            ++rep.videoFrames;
            av_frame_unref(frame.get());
        }
    };
    bool readError = false;
    while ((r = av_read_frame(ic.get(), pkt.get())) >= 0) {
        if (pkt->stream_index == vs) {
            ++out.videoPackets;
            hash.add(pkt->data, static_cast<size_t>(pkt->size));
            if (pkt->pts != AV_NOPTS_VALUE) {
                packetStart = std::min(packetStart, pkt->pts);
                packetEnd = std::max(packetEnd, pkt->pts + pkt->duration);
                packetPts.push_back(pkt->pts);
            }
            if (pkt->dts != AV_NOPTS_VALUE) {
                if (lastDts != AV_NOPTS_VALUE && pkt->dts <= lastDts) dtsIncreasing = false;
                lastDts = pkt->dts;
            }
            // Quick: packets go to the decoder until the first frame comes out, then only demuxed.
            if (full || rep.videoFrames == 0) {
                if (avcodec_send_packet(dec.get(), pkt.get()) < 0) ++decodeErrors;
                drain();
            }
        }
        av_packet_unref(pkt.get());
    }
    if (r != AVERROR_EOF) readError = true;
    if (full || rep.videoFrames == 0) {
        avcodec_send_packet(dec.get(), nullptr);
        drain();
    }
    // Quick has no decoded timestamps to order, so every packet's pts must be there and distinct. Full
    // keeps verifyOutput's checks (decoded timestamps increase), which also covers repeats.
    std::sort(packetPts.begin(), packetPts.end());
    const bool ptsRepeat = !full && std::adjacent_find(packetPts.begin(), packetPts.end()) != packetPts.end();
    const bool ptsMissing = !full && static_cast<int64_t>(packetPts.size()) != out.videoPackets;
    const bool decodedAny = rep.videoFrames > 0;
    if (!full) rep.videoFrames = out.videoPackets;
    out.payloadHash = hash.finish();

    // Demuxers do not always report packet durations (MP4 with B-frames): the stream's own duration
    // (edit list applied) holds the last frame's duration there.
    if (packetEnd > packetStart) rep.durationSeconds = static_cast<double>(packetEnd - packetStart) * av_q2d(st->time_base);
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
        rep.durationSeconds = std::max(rep.durationSeconds, static_cast<double>(st->duration) * av_q2d(st->time_base));
    // Matroska keeps no stream duration and no video packet durations: its muxer writes the stream's
    // presented length as a "DURATION" tag (HH:MM:SS.nnnnnnnnn, millisecond-rounded by the segment).
    if (st->duration == AV_NOPTS_VALUE) {
        if (const AVDictionaryEntry* tag = av_dict_get(st->metadata, "DURATION", nullptr, 0)) {
            int h = 0, m = 0;
            double sec = 0;
            if (std::sscanf(tag->value, "%d:%d:%lf", &h, &m, &sec) == 3)
                rep.durationSeconds = std::max(rep.durationSeconds, h * 3600.0 + m * 60.0 + sec);
        }
    }
    if (!dtsIncreasing || ptsRepeat || ptsMissing) rep.timestampsMonotonic = false;
    if (!decodedAny) rep.problems.push_back("no video frame decodes");
    if (!rep.timestampsMonotonic) rep.problems.push_back("video timestamps do not strictly increase");
    if (ptsRepeat) rep.problems.push_back("video presentation timestamps repeat");
    if (ptsMissing) rep.problems.push_back("a video packet has no timestamp");
    if (decodeErrors > 0) rep.problems.push_back(std::to_string(decodeErrors) + " decode errors");
    if (readError) rep.problems.push_back("read error before the end of the file: " + avErrorText(r));
    return out;
}

}  // namespace media

Result<VerifyReport> verifyOutput(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(media::OutputCheck c, media::checkOutput(path, VerifyDepth::Full));
    return c.report;
}

}  // namespace vfi
