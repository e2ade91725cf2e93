// makeSampleClip: a synthetic clip (moving gradient + a bouncing block; optional AAC sine) written with
// libx264 through libav, for `tlbvfi make-sample` and the README's headless demo.
#include <cmath>
#include <vector>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include "media/av_ptr.h"
#include "vfi/source_analysis.h"

namespace vfi {

using namespace vfi::media;

namespace {
struct Out {
    AvCodecContextPtr enc;
    AVStream* st = nullptr;
};

Status drain(AVFormatContext* fmt, Out& o, AVPacket* pkt) {
    for (;;) {
        int rc = avcodec_receive_packet(o.enc.get(), pkt);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return {};
        if (rc < 0) return avError("avcodec_receive_packet", rc);
        pkt->stream_index = o.st->index;
        // libx264 (FFmpeg 5.1) hands out video packets without a duration. The MP4 muxer ends the
        // track, and the edit list that hides the B-frame delay, at the last packet's dts +
        // duration: with 0 the edit list stopped where the last frame starts, and players and
        // decoders dropped that frame (60 packets, 59 frames at 25 or 50 fps; at 30000/1001 the edit
        // duration's rounding up to milliseconds happened to keep it). One frame lasts one tick of
        // the encoder's time base (1/fps).
        if (pkt->duration == 0 && o.enc->codec_type == AVMEDIA_TYPE_VIDEO) pkt->duration = 1;
        av_packet_rescale_ts(pkt, o.enc->time_base, o.st->time_base);
        if ((rc = av_interleaved_write_frame(fmt, pkt)) < 0) return avError("av_interleaved_write_frame", rc);
    }
}
}  // namespace

Status makeSampleClip(const std::string& path, const SampleClipSpec& spec) {
    installAvLogBridge(false);
    AVFormatContext* raw = nullptr;
    int rc = avformat_alloc_output_context2(&raw, nullptr, nullptr, path.c_str());
    if (rc < 0) return makeError(ErrorCode::UnsupportedFormat, "cannot write " + path + ": " + avErrorText(rc), {"libx264", "yuv420p", path});
    AvOutputContextPtr fmt(raw);
    Out v, a;
    const AVCodec* vc = avcodec_find_encoder_by_name("libx264");
    if (!vc) return makeError(ErrorCode::EncoderUnavailable, "libx264 is not available", {"libx264", "missing"});
    v.enc.reset(avcodec_alloc_context3(vc));
    v.enc->width = spec.width;
    v.enc->height = spec.height;
    v.enc->pix_fmt = AV_PIX_FMT_YUV420P;
    v.enc->time_base = {spec.fpsDen, spec.fpsNum};
    v.enc->framerate = {spec.fpsNum, spec.fpsDen};
    v.enc->gop_size = 30;
    v.enc->max_b_frames = 2;
    v.enc->color_primaries = AVCOL_PRI_BT709;
    v.enc->color_trc = AVCOL_TRC_BT709;
    v.enc->colorspace = AVCOL_SPC_BT709;
    v.enc->color_range = AVCOL_RANGE_MPEG;
    if (raw->oformat->flags & AVFMT_GLOBALHEADER) v.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(v.enc->priv_data, "preset", "veryfast", 0);
    av_opt_set(v.enc->priv_data, "crf", "20", 0);
    if ((rc = avcodec_open2(v.enc.get(), vc, nullptr)) < 0) return avError("avcodec_open2(libx264)", rc);
    v.st = avformat_new_stream(raw, nullptr);
    avcodec_parameters_from_context(v.st->codecpar, v.enc.get());
    v.st->time_base = v.enc->time_base;
    if (spec.audio) {
        const AVCodec* ac = avcodec_find_encoder(AV_CODEC_ID_AAC);
        a.enc.reset(avcodec_alloc_context3(ac));
        a.enc->sample_rate = 48000;
        a.enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
        av_channel_layout_default(&a.enc->ch_layout, 2);
        a.enc->bit_rate = 128000;
        a.enc->time_base = {1, 48000};
        if (raw->oformat->flags & AVFMT_GLOBALHEADER) a.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        if ((rc = avcodec_open2(a.enc.get(), ac, nullptr)) < 0) return avError("avcodec_open2(aac)", rc);
        a.st = avformat_new_stream(raw, nullptr);
        avcodec_parameters_from_context(a.st->codecpar, a.enc.get());
        a.st->time_base = a.enc->time_base;
    }
    if ((rc = avio_open(&raw->pb, path.c_str(), AVIO_FLAG_WRITE)) < 0)
        return makeError(ErrorCode::OutputNotWritable, "cannot write " + path + ": " + avErrorText(rc), {path, avErrorText(rc)});
    if ((rc = avformat_write_header(raw, nullptr)) < 0) return avError("avformat_write_header", rc);
    AvPacketPtr pkt = makePacket();
    AvFramePtr f = makeFrame();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = spec.width;
    f->height = spec.height;
    if (av_frame_get_buffer(f.get(), 0) < 0) return makeError(ErrorCode::Internal, "out of memory", {"frame"});
    for (int i = 0; i < spec.frames; ++i) {
        av_frame_make_writable(f.get());
        const int bx = static_cast<int>((spec.width - spec.width / 8) * (0.5 + 0.5 * std::sin(i * 0.1)));
        const int by = static_cast<int>((spec.height - spec.height / 8) * (0.5 + 0.5 * std::cos(i * 0.07)));
        for (int y = 0; y < spec.height; ++y)
            for (int x = 0; x < spec.width; ++x) {
                const bool block = x >= bx && x < bx + spec.width / 8 && y >= by && y < by + spec.height / 8;
                f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(block ? 235 : 16 + ((x + y + 2 * i) % 200));
            }
        for (int y = 0; y < spec.height / 2; ++y)
            for (int x = 0; x < spec.width / 2; ++x) {
                f->data[1][y * f->linesize[1] + x] = static_cast<uint8_t>(128 + 60 * std::sin((x + i) * 0.05));
                f->data[2][y * f->linesize[2] + x] = static_cast<uint8_t>(128 + 60 * std::cos((y + i) * 0.05));
            }
        f->pts = i;
        if ((rc = avcodec_send_frame(v.enc.get(), f.get())) < 0) return avError("avcodec_send_frame", rc);
        VFI_TRY(drain(raw, v, pkt.get()));
    }
    avcodec_send_frame(v.enc.get(), nullptr);
    VFI_TRY(drain(raw, v, pkt.get()));
    if (spec.audio) {
        const int64_t total = static_cast<int64_t>(spec.frames) * 48000 * spec.fpsDen / spec.fpsNum;
        AvFramePtr af = makeFrame();
        const int n = a.enc->frame_size;
        for (int64_t s = 0; s < total; s += n) {
            af = makeFrame();
            af->format = AV_SAMPLE_FMT_FLTP;
            af->nb_samples = n;
            av_channel_layout_copy(&af->ch_layout, &a.enc->ch_layout);
            av_frame_get_buffer(af.get(), 0);
            for (int c = 0; c < 2; ++c) {
                auto* d = reinterpret_cast<float*>(af->data[c]);
                for (int k = 0; k < n; ++k) d[k] = 0.2f * static_cast<float>(std::sin(2 * M_PI * (440.0 * (c ? 1.5 : 1.0)) * (s + k) / 48000.0));
            }
            af->pts = s;
            if ((rc = avcodec_send_frame(a.enc.get(), af.get())) < 0) return avError("avcodec_send_frame(aac)", rc);
            VFI_TRY(drain(raw, a, pkt.get()));
        }
        avcodec_send_frame(a.enc.get(), nullptr);
        VFI_TRY(drain(raw, a, pkt.get()));
    }
    if ((rc = av_write_trailer(raw)) < 0) return avError("av_write_trailer", rc);
    return {};
}

}  // namespace vfi
