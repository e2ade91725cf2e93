#include "media/chunk_verifier.h"

#include "media/av_ptr.h"
#include "media/input_file.h"

namespace vfi::media {

namespace {

Error invalid(const std::string& path, const std::string& detail) {
    return makeError(ErrorCode::ChunkInvalid, "chunk " + path + " is invalid: " + detail, {path, detail});
}

}  // namespace

Result<ChunkReport> verifyChunk(const std::string& path, const ChunkExpectation& expected) {
    auto opened = openInputFile(path);
    if (!opened) return invalid(path, opened.error().message);
    InputFile in = std::move(opened).value();
    AVStream* st = in.fmt->streams[in.videoStream];
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) return invalid(path, std::string("no decoder for ") + avcodec_get_name(st->codecpar->codec_id));
    AvCodecContextPtr dec(avcodec_alloc_context3(codec));
    int rc = avcodec_parameters_to_context(dec.get(), st->codecpar);
    if (rc < 0) return avError("avcodec_parameters_to_context(" + path + ")", rc);
    dec->pkt_timebase = st->time_base;
    dec->err_recognition = AV_EF_EXPLODE | AV_EF_CRCCHECK;
    rc = avcodec_open2(dec.get(), codec, nullptr);
    if (rc < 0) return invalid(path, "cannot open the decoder (" + avErrorText(rc) + ")");

    const AVRational tb{expected.timeBase.num, expected.timeBase.den};
    ChunkReport report;
    bool first = true;
    AvPacketPtr pkt = makePacket();
    AvFramePtr frame = makeFrame();
    auto receiveAll = [&]() -> Status {
        for (;;) {
            const int r = avcodec_receive_frame(dec.get(), frame.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return {};
            if (r < 0) return invalid(path, "decoding failed (" + avErrorText(r) + ")");
            const int64_t t = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
            const int64_t pts = av_rescale_q(t, st->time_base, tb);
            if (first) {
                report.firstPts = pts;
                report.firstIsKeyframe = frame->key_frame != 0;
                first = false;
            } else if (pts <= report.lastPts) {
                return invalid(path, "frame timestamps do not increase (" + std::to_string(pts) + " after " + std::to_string(report.lastPts) + ")");
            }
            report.lastPts = pts;
            ++report.frames;
            av_frame_unref(frame.get());
        }
    };
    for (;;) {
        rc = av_read_frame(in.fmt.get(), pkt.get());
        if (rc == AVERROR_EOF) break;
        if (rc < 0) return invalid(path, "cannot read packet (" + avErrorText(rc) + ")");
        if (pkt->stream_index == in.videoStream) {
            ++report.packets;
            rc = avcodec_send_packet(dec.get(), pkt.get());
            if (rc < 0) return invalid(path, "decoding failed (" + avErrorText(rc) + ")");
            VFI_TRY(receiveAll());
        }
        av_packet_unref(pkt.get());
    }
    rc = avcodec_send_packet(dec.get(), nullptr);
    if (rc < 0 && rc != AVERROR_EOF) return invalid(path, "decoder flush failed (" + avErrorText(rc) + ")");
    VFI_TRY(receiveAll());

    if (report.frames != expected.frames)
        return invalid(path, "holds " + std::to_string(report.frames) + " frames, expected " + std::to_string(expected.frames));
    if (report.frames > 0 && (report.firstPts != expected.firstPts || report.lastPts != expected.lastPts))
        return invalid(path, "timestamps " + std::to_string(report.firstPts) + ".." + std::to_string(report.lastPts) + " differ from the plan " +
                                 std::to_string(expected.firstPts) + ".." + std::to_string(expected.lastPts));
    if (report.frames > 0 && !report.firstIsKeyframe) return invalid(path, "the first frame is not a keyframe");
    return report;
}

}  // namespace vfi::media
