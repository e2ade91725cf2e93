// The checks of a written chunk before it is renamed and recorded (design.md §4), at the job's
// vfi::VerifyDepth. Quick proves the file holds exactly the packets the encoder produced (count,
// keyframe first, planned pts span, payload hash) and that decoding starts; full also decodes every
// frame. docs/cli.md (--verify) says why quick is the default.
#include <algorithm>

#include "media/payload_hash.h"
#include "pipeline/media_adapter.h"

namespace vfi::pipeline {

using namespace vfi::media;

namespace {

Error chunkBad(const std::string& path, const std::string& why) {
    return makeError(ErrorCode::ChunkInvalid, "chunk " + path + ": " + why, {path, why});
}

struct OpenedChunk {
    AvInputContextPtr fmt;
    int stream = -1;
};

Result<OpenedChunk> openChunkFile(const std::string& path, bool probe) {
    AVFormatContext* raw = nullptr;
    int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (rc < 0) return makeError(ErrorCode::ChunkInvalid, "chunk " + path + " cannot be opened: " + avErrorText(rc), {path, avErrorText(rc)});
    OpenedChunk c;
    c.fmt.reset(raw);
    // NUT's header holds the codec parameters a decoder needs; probing would decode frames.
    if (probe) avformat_find_stream_info(raw, nullptr);
    c.stream = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (c.stream < 0) return makeError(ErrorCode::ChunkInvalid, "chunk " + path + " has no video", {path, "no video"});
    return c;
}

// Automatic thread count (decoded frames do not depend on it). sliceThreadsOnly: frame threads would
// hold back the first frame until several packets are in; slice threads do not, and decode an intra
// frame's slices (FFV1, ProRes) side by side.
Result<AvCodecContextPtr> openDecoder(const std::string& path, const AVStream* st, bool sliceThreadsOnly) {
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) return chunkBad(path, std::string("no decoder for ") + avcodec_get_name(st->codecpar->codec_id));
    AvCodecContextPtr dec(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(dec.get(), st->codecpar);
    dec->pkt_timebase = st->time_base;
    dec->thread_count = 0;
    if (sliceThreadsOnly) dec->thread_type = FF_THREAD_SLICE;
    // Decoders that support it fail on damage instead of concealing it. FFmpeg 5.1's FFV1 checks its
    // slice CRCs only on request, and even then logs a mismatch and conceals the slice; the payload
    // hash is what catches damaged bytes.
    dec->err_recognition |= AV_EF_CRCCHECK | AV_EF_EXPLODE;
    if (const int rc = avcodec_open2(dec.get(), codec, nullptr); rc < 0) return avError("avcodec_open2(" + path + ")", rc);
    return dec;
}

std::string span(int64_t a, int64_t b) { return std::to_string(a) + ".." + std::to_string(b); }

}  // namespace

Status verifyChunkQuick(const std::string& path, int64_t frames, int64_t firstPts, int64_t lastPts, Rational tb,
                        const ChunkStats& written) {
    VFI_ASSIGN_OR_RETURN(OpenedChunk c, openChunkFile(path, false));
    const AVStream* st = c.fmt->streams[c.stream];
    // The last chunk's check is on the serial end of a job (a 4K FFV1 frame: ~0.25 s on one thread).
    VFI_ASSIGN_OR_RETURN(AvCodecContextPtr dec, openDecoder(path, st, true));
    PayloadHash hash;
    AvPacketPtr pkt = makePacket();
    AvFramePtr frame = makeFrame();
    int64_t count = 0, low = INT64_MAX, high = INT64_MIN;
    bool firstKey = false, missingPts = false, decoded = false;
    std::string decodeProblem;
    int rc;
    while ((rc = av_read_frame(c.fmt.get(), pkt.get())) >= 0) {
        if (pkt->stream_index == c.stream) {
            if (count == 0) firstKey = pkt->flags & AV_PKT_FLAG_KEY;
            ++count;
            if (pkt->pts == AV_NOPTS_VALUE) {
                missingPts = true;
            } else {
                const int64_t p = av_rescale_q(pkt->pts, st->time_base, {tb.num, tb.den});
                low = std::min(low, p);
                high = std::max(high, p);
            }
            hash.add(pkt->data, static_cast<size_t>(pkt->size));
            // Feed packets until the first frame comes out, then only demux.
            if (!decoded && decodeProblem.empty()) {
                if (const int s = avcodec_send_packet(dec.get(), pkt.get()); s < 0 && s != AVERROR(EAGAIN)) {
                    decodeProblem = avErrorText(s);
                } else if (const int r = avcodec_receive_frame(dec.get(), frame.get()); r == 0) {
                    decoded = true;
                    if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT)) decodeProblem = "it decodes with errors";
                } else if (r != AVERROR(EAGAIN)) {
                    decodeProblem = avErrorText(r);
                }
            }
        }
        av_packet_unref(pkt.get());
    }
    // A short file usually ends in a read error: the packet count says more, so it is reported first.
    const std::string readProblem = rc == AVERROR_EOF ? "" : "read error after " + std::to_string(count) + " packets: " + avErrorText(rc);
    if (!decoded && decodeProblem.empty()) {   // decoder delay longer than the chunk: drain it
        avcodec_send_packet(dec.get(), nullptr);
        const int r = avcodec_receive_frame(dec.get(), frame.get());
        if (r == 0) {
            decoded = true;
            if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT)) decodeProblem = "it decodes with errors";
        } else {
            decodeProblem = r == AVERROR_EOF ? "no frame decodes" : avErrorText(r);
        }
    }
    if (count != frames || count != written.packets)
        return chunkBad(path, "holds " + std::to_string(count) + " packets, planned " + std::to_string(frames) + " frames (the encoder wrote " +
                                  std::to_string(written.packets) + ")" + (readProblem.empty() ? "" : "; " + readProblem));
    if (!readProblem.empty()) return chunkBad(path, readProblem);
    if (!firstKey) return chunkBad(path, "does not start with a keyframe");
    if (missingPts) return chunkBad(path, "a packet has no timestamp");
    if (low != firstPts || high != lastPts) return chunkBad(path, "timestamps " + span(low, high) + ", planned " + span(firstPts, lastPts));
    if (hash.finish() != written.payloadHash) return chunkBad(path, "packet payloads differ from what the encoder wrote");
    if (!decodeProblem.empty()) return chunkBad(path, "its first frame does not decode: " + decodeProblem);
    return {};
}

Status verifyChunk(const std::string& path, int64_t frames, int64_t firstPts, int64_t lastPts, Rational tb, const ChunkStats& written,
                   VerifyDepth depth) {
    VFI_TRY(verifyChunkQuick(path, frames, firstPts, lastPts, tb, written));
    if (depth == VerifyDepth::Full) VFI_TRY(verifyChunk(path, frames, firstPts, lastPts, tb));
    return {};
}

Status verifyChunk(const std::string& path, int64_t frames, int64_t firstPts, int64_t lastPts, Rational tb) {
    VFI_ASSIGN_OR_RETURN(OpenedChunk c, openChunkFile(path, true));
    AVFormatContext* raw = c.fmt.get();
    const int si = c.stream;
    AVStream* st = raw->streams[si];
    // A full decode: every kind of thread.
    VFI_ASSIGN_OR_RETURN(AvCodecContextPtr dec, openDecoder(path, st, false));
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
    auto bad = [&](const std::string& why) { return chunkBad(path, why); };
    if (!firstKey) return bad("does not start with a keyframe");
    if (count != frames) return bad("decodes to " + std::to_string(count) + " frames, planned " + std::to_string(frames));
    if (first != firstPts || last != lastPts)
        return bad("timestamps " + std::to_string(first) + ".." + std::to_string(last) + ", planned " + std::to_string(firstPts) + ".." +
                   std::to_string(lastPts));
    return {};
}

}  // namespace vfi::pipeline
