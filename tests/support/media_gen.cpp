// Synthetic media writer: encodes video/audio and writes subtitle packets in timestamp order.
#include "support/media_gen.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <limits>

#include "media/av_ptr.h"

namespace vfi::test {
namespace {

using media::AvCodecContextPtr;
using media::AvOutputContextPtr;
using media::avError;

constexpr const char* kAssHeader =
    "[Script Info]\r\nScriptType: v4.00+\r\nPlayResX: 384\r\nPlayResY: 288\r\n\r\n"
    "[V4+ Styles]\r\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
    "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\r\n"
    "Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\r\n\r\n"
    "[Events]\r\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\r\n";

Error genError(const std::string& what) { return makeError(ErrorCode::Internal, "media_gen: " + what, {what}); }

struct Writer {
    AvOutputContextPtr oc;
    AvCodecContextPtr video, audio;
    AVStream* vst = nullptr;
    AVStream* ast = nullptr;
    AVStream* sst = nullptr;
    media::AvPacketPtr pkt = media::makePacket();
    // Video packet durations by pts (encoder time base): encoders leave VFR durations at 0, and MOV
    // edit lists then end before the last frame, which demuxers drop.
    std::map<int64_t, int64_t> videoDurations;

    Status drain(AVCodecContext* enc, AVStream* st) {
        for (;;) {
            int r = avcodec_receive_packet(enc, pkt.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return {};
            if (r < 0) return avError("avcodec_receive_packet", r);
            if (st == vst) {
                auto it = videoDurations.find(pkt->pts);
                if (it != videoDurations.end()) pkt->duration = it->second;
            }
            av_packet_rescale_ts(pkt.get(), enc->time_base, st->time_base);
            pkt->stream_index = st->index;
            if ((r = av_interleaved_write_frame(oc.get(), pkt.get())) < 0) return avError("write_frame", r);
        }
    }
    Status send(AVCodecContext* enc, AVStream* st, AVFrame* f) {
        int r = avcodec_send_frame(enc, f);
        if (r < 0) return avError("avcodec_send_frame", r);
        return drain(enc, st);
    }
};

void fillVideo(AVFrame* f, int n, bool secondScene, const std::function<int(int, int, int, int)>& sample) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format));
    const int depth = d->comp[0].depth;
    const int shift = depth - 8;
    for (int p = 0; p < 3; ++p) {
        const int w = p == 0 ? f->width : AV_CEIL_RSHIFT(f->width, d->log2_chroma_w);
        const int h = p == 0 ? f->height : AV_CEIL_RSHIFT(f->height, d->log2_chroma_h);
        const int bh = std::max(2, f->height / 8);
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                int v;
                if (sample) {
                    v = sample(n, p, x, y);
                } else if (secondScene) {
                    // After a hard cut: a bright, differently oriented pattern and other colours.
                    v = p == 0 ? 235 - (x + y * 3 + n * 2) % 100 : p == 1 ? 170 - (y + n * 3) % 40 : 60 + (x * 3 + n) % 40;
                    if (p == 0 && y < bh) v = ((n >> (x * 16 / w)) & 1) ? 235 : 16;
                } else if (p == 0) {
                    v = 16 + (x * 4 + y * 2 + n * 3) % 200;
                    if (y < bh) v = ((n >> (x * 16 / w)) & 1) ? 235 : 16;  // frame number bits
                } else if (p == 1) {
                    v = 96 + (x + n * 5) % 64;
                } else {
                    v = 96 + (y * 2 + n * 7) % 64;
                }
                v <<= shift;
                uint8_t* row = f->data[p] + static_cast<ptrdiff_t>(y) * f->linesize[p];
                if (depth > 8) reinterpret_cast<uint16_t*>(row)[x] = static_cast<uint16_t>(v);
                else row[x] = static_cast<uint8_t>(v);
            }
        }
    }
}

void setOpt(AVCodecContext* c, const char* k, const std::string& v) { av_opt_set(c->priv_data, k, v.c_str(), 0); }

Result<AvCodecContextPtr> openVideo(const GenSpec& s, AVRational tb, bool globalHeader) {
    const AVCodec* codec = avcodec_find_encoder_by_name(s.codec.c_str());
    if (!codec) return genError("no encoder " + s.codec);
    AvCodecContextPtr c(avcodec_alloc_context3(codec));
    c->width = s.width;
    c->height = s.height;
    c->pix_fmt = av_get_pix_fmt(s.pixFmt.c_str());
    if (c->pix_fmt == AV_PIX_FMT_NONE) return genError("bad pix fmt " + s.pixFmt);
    c->time_base = tb;
    if (s.vfrPts.empty()) c->framerate = AVRational{s.frameRate.num, s.frameRate.den};
    c->gop_size = s.gop;
    c->max_b_frames = s.bframes;
    c->thread_count = 1;
    if (!s.primaries.empty()) c->color_primaries = static_cast<AVColorPrimaries>(av_color_primaries_from_name(s.primaries.c_str()));
    if (!s.transfer.empty()) c->color_trc = static_cast<AVColorTransferCharacteristic>(av_color_transfer_from_name(s.transfer.c_str()));
    if (!s.matrix.empty()) c->colorspace = static_cast<AVColorSpace>(av_color_space_from_name(s.matrix.c_str()));
    if (!s.range.empty()) c->color_range = static_cast<AVColorRange>(av_color_range_from_name(s.range.c_str()));
    if (globalHeader) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    const std::string q = std::to_string(s.quality);
    if (s.codec == "libx264") {
        setOpt(c.get(), "preset", "veryfast");
        setOpt(c.get(), "crf", q);
        if (s.openGop) setOpt(c.get(), "x264-params", "open-gop=1");
    } else if (s.codec == "libx265") {
        setOpt(c.get(), "preset", "ultrafast");
        setOpt(c.get(), "crf", q);
        setOpt(c.get(), "x265-params", "log-level=error:pools=1:frame-threads=1:bframes=" + std::to_string(s.bframes) +
                                           ":keyint=" + std::to_string(s.gop) + ":open-gop=" + (s.openGop ? "1" : "0"));
    } else if (s.codec == "libvpx-vp9") {
        setOpt(c.get(), "deadline", "realtime");
        setOpt(c.get(), "cpu-used", "8");
        setOpt(c.get(), "crf", q);
        c->bit_rate = 0;
    } else if (s.codec == "libsvtav1") {
        setOpt(c.get(), "preset", "12");
        setOpt(c.get(), "crf", q);
    } else if (s.codec == "libaom-av1") {
        setOpt(c.get(), "cpu-used", "8");
        setOpt(c.get(), "usage", "realtime");
        setOpt(c.get(), "crf", q);
    } else if (s.codec == "mpeg2video" || s.codec == "mpeg4") {
        c->flags |= AV_CODEC_FLAG_QSCALE;
        c->global_quality = FF_QP2LAMBDA * 4;
    }
    int r = avcodec_open2(c.get(), codec, nullptr);
    if (r < 0) return avError("avcodec_open2(" + s.codec + ")", r);
    return c;
}

Result<AvCodecContextPtr> openAudio(const AudioGen& a, bool globalHeader) {
    const char* name = a.codec == "opus" ? "libopus" : a.codec.c_str();
    const AVCodec* codec = avcodec_find_encoder_by_name(name);
    if (!codec) return genError(std::string("no audio encoder ") + name);
    AvCodecContextPtr c(avcodec_alloc_context3(codec));
    c->sample_rate = a.sampleRate;
    av_channel_layout_default(&c->ch_layout, a.channels);
    c->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_S16;
    c->time_base = AVRational{1, a.sampleRate};
    c->bit_rate = 96000;
    if (globalHeader) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int r = avcodec_open2(c.get(), codec, nullptr);
    if (r < 0) return avError(std::string("avcodec_open2(") + name + ")", r);
    return c;
}

void fillAudio(AVFrame* f, int64_t firstSample, const AudioGen& a) {
    const auto fmt = static_cast<AVSampleFormat>(f->format);
    const bool planar = av_sample_fmt_is_planar(fmt);
    for (int i = 0; i < f->nb_samples; ++i) {
        const double t = static_cast<double>(firstSample + i) / a.sampleRate;
        for (int ch = 0; ch < a.channels; ++ch) {
            const double v = 0.3 * std::sin(2 * M_PI * a.frequency * (ch ? 1.5 : 1.0) * t);
            const int idx = planar ? i : i * a.channels + ch;
            uint8_t* base = f->data[planar ? ch : 0];
            switch (fmt) {
            case AV_SAMPLE_FMT_FLTP: case AV_SAMPLE_FMT_FLT: reinterpret_cast<float*>(base)[idx] = static_cast<float>(v); break;
            case AV_SAMPLE_FMT_S16P: case AV_SAMPLE_FMT_S16: reinterpret_cast<int16_t*>(base)[idx] = static_cast<int16_t>(v * 32767); break;
            default: break;
            }
        }
    }
}

void addChapters(AVFormatContext* oc, const std::vector<ChapterGen>& chapters) {
    int id = 0;
    for (const ChapterGen& c : chapters) {
        auto* ch = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
        ch->id = ++id;
        ch->time_base = AVRational{1, 1000};
        ch->start = std::llround(c.startSeconds * 1000);
        ch->end = std::llround(c.endSeconds * 1000);
        av_dict_set(&ch->metadata, "title", c.title.c_str(), 0);
        int n = static_cast<int>(oc->nb_chapters);
        av_dynarray_add(&oc->chapters, &n, ch);
        oc->nb_chapters = static_cast<unsigned>(n);
    }
}

// Subtitle stream: raw packets (mov_text: 16-bit length prefix; ASS: event line) with extradata.
Status addSubtitleStream(Writer& w, const SubtitleGen& sub, bool movFamily) {
    w.sst = avformat_new_stream(w.oc.get(), nullptr);
    AVCodecParameters* p = w.sst->codecpar;
    p->codec_type = AVMEDIA_TYPE_SUBTITLE;
    p->codec_id = movFamily ? AV_CODEC_ID_MOV_TEXT : (sub.codec == "ass" ? AV_CODEC_ID_ASS : AV_CODEC_ID_SUBRIP);
    w.sst->time_base = AVRational{1, 1000};
    if (movFamily) {
        const AVCodec* enc = avcodec_find_encoder(AV_CODEC_ID_MOV_TEXT);
        AvCodecContextPtr c(avcodec_alloc_context3(enc));
        c->time_base = AVRational{1, 1000};
        c->subtitle_header = reinterpret_cast<uint8_t*>(av_strdup(kAssHeader));
        c->subtitle_header_size = static_cast<int>(strlen(kAssHeader));
        int r = avcodec_open2(c.get(), enc, nullptr);
        if (r < 0) return avError("avcodec_open2(mov_text)", r);
        avcodec_parameters_from_context(p, c.get());
    } else if (p->codec_id == AV_CODEC_ID_ASS) {
        const size_t n = strlen(kAssHeader);
        p->extradata = static_cast<uint8_t*>(av_mallocz(n + AV_INPUT_BUFFER_PADDING_SIZE));
        memcpy(p->extradata, kAssHeader, n);
        p->extradata_size = static_cast<int>(n);
    }
    return {};
}

Status writeCue(Writer& w, const SubtitleCue& cue, int order) {
    std::string payload;
    if (w.sst->codecpar->codec_id == AV_CODEC_ID_MOV_TEXT) {
        payload.push_back(static_cast<char>((cue.text.size() >> 8) & 0xff));
        payload.push_back(static_cast<char>(cue.text.size() & 0xff));
        payload += cue.text;
    } else if (w.sst->codecpar->codec_id == AV_CODEC_ID_ASS) {
        payload = std::to_string(order) + ",0,Default,,0,0,0,," + cue.text;
    } else {
        payload = cue.text;
    }
    media::AvPacketPtr pkt = media::makePacket();
    av_new_packet(pkt.get(), static_cast<int>(payload.size()));
    memcpy(pkt->data, payload.data(), payload.size());
    pkt->pts = pkt->dts = av_rescale_q(std::llround(cue.startSeconds * 1000), {1, 1000}, w.sst->time_base);
    pkt->duration = av_rescale_q(std::llround((cue.endSeconds - cue.startSeconds) * 1000), {1, 1000}, w.sst->time_base);
    pkt->flags |= AV_PKT_FLAG_KEY;
    pkt->stream_index = w.sst->index;
    int r = av_interleaved_write_frame(w.oc.get(), pkt.get());
    return r < 0 ? Status(avError("write subtitle", r)) : Status();
}

}  // namespace

Status generate(const std::string& path, const GenSpec& s) {
    if (s.frames < 1 || (!s.vfrPts.empty() && static_cast<int>(s.vfrPts.size()) != s.frames))
        return genError("frames must be >= 1 and match vfrPts");
    av_log_set_level(AV_LOG_ERROR);
    Writer w;
    AVFormatContext* raw = nullptr;
    int r = avformat_alloc_output_context2(&raw, nullptr, s.format.empty() ? nullptr : s.format.c_str(), path.c_str());
    if (r < 0) return avError("avformat_alloc_output_context2(" + path + ")", r);
    w.oc.reset(raw);
    const bool globalHeader = w.oc->oformat->flags & AVFMT_GLOBALHEADER;
    const std::string fmtName = w.oc->oformat->name;
    const bool movFamily = fmtName == "mp4" || fmtName == "mov" || fmtName == "ipod";

    const double videoStart = s.videoStartSeconds + (s.audio.enabled ? std::max(0.0, -s.audio.offsetSeconds) : 0.0);
    const AVRational vtb = s.vfrPts.empty() ? AVRational{s.frameRate.den, s.frameRate.num}
                                            : AVRational{s.vfrTimeBase.num, s.vfrTimeBase.den};
    const int64_t startPts = std::llround(videoStart / av_q2d(vtb));
    VFI_ASSIGN_OR_RETURN(w.video, openVideo(s, vtb, globalHeader));
    w.vst = avformat_new_stream(w.oc.get(), nullptr);
    w.vst->time_base = vtb;
    avcodec_parameters_from_context(w.vst->codecpar, w.video.get());
    if (s.rotationDegrees != 0) {
        auto* m = reinterpret_cast<int32_t*>(av_stream_new_side_data(w.vst, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)));
        av_display_rotation_set(m, s.rotationDegrees);
    }
    auto ptsOf = [&](int i) { return startPts + (s.vfrPts.empty() ? i : s.vfrPts[static_cast<size_t>(i)]); };
    const double videoEnd = av_q2d(vtb) * static_cast<double>(ptsOf(s.frames - 1) + (s.vfrPts.empty() ? 1 : 0)) +
                            (s.vfrPts.empty() || s.frames < 2 ? 0.0 : av_q2d(vtb) * static_cast<double>(ptsOf(s.frames - 1) - ptsOf(s.frames - 2)));

    for (int i = 0; i < s.frames; ++i)
        w.videoDurations[ptsOf(i)] = i + 1 < s.frames ? ptsOf(i + 1) - ptsOf(i) : (i > 0 ? ptsOf(i) - ptsOf(i - 1) : (s.vfrPts.empty() ? 1 : std::max<int64_t>(1, std::llround(1.0 / 30 / av_q2d(vtb)))));
    const double audioStart = videoStart + s.audio.offsetSeconds;
    int64_t audioFirst = 0, audioEnd = 0;
    if (s.audio.enabled) {
        VFI_ASSIGN_OR_RETURN(w.audio, openAudio(s.audio, globalHeader));
        w.ast = avformat_new_stream(w.oc.get(), nullptr);
        w.ast->time_base = w.audio->time_base;
        avcodec_parameters_from_context(w.ast->codecpar, w.audio.get());
        audioFirst = std::llround(audioStart * s.audio.sampleRate);
        const double end = s.audio.durationSeconds >= 0 ? audioStart + s.audio.durationSeconds : videoEnd;
        audioEnd = std::llround(end * s.audio.sampleRate);
    }
    std::vector<SubtitleCue> cues = s.subtitles.cues;
    if (s.subtitles.enabled) {
        VFI_TRY(addSubtitleStream(w, s.subtitles, movFamily));
        if (cues.empty())
            for (int i = 0; i < std::max(1, static_cast<int>(videoEnd - videoStart)); ++i)
                cues.push_back({videoStart + i, videoStart + i + 0.8, "Line " + std::to_string(i + 1)});
    }
    addChapters(w.oc.get(), s.chapters);
    for (const std::string& name : s.attachments) {
        AVStream* st = avformat_new_stream(w.oc.get(), nullptr);
        st->codecpar->codec_type = AVMEDIA_TYPE_ATTACHMENT;
        st->codecpar->codec_id = AV_CODEC_ID_TTF;
        const char payload[] = "\x00\x01\x00\x00 not really a font";
        st->codecpar->extradata = static_cast<uint8_t*>(av_mallocz(sizeof payload + AV_INPUT_BUFFER_PADDING_SIZE));
        memcpy(st->codecpar->extradata, payload, sizeof payload);
        st->codecpar->extradata_size = static_cast<int>(sizeof payload);
        av_dict_set(&st->metadata, "filename", name.c_str(), 0);
        av_dict_set(&st->metadata, "mimetype", "application/x-truetype-font", 0);
    }
    for (const auto& [k, v] : s.metadata) av_dict_set(&w.oc->metadata, k.c_str(), v.c_str(), 0);

    if (!(w.oc->oformat->flags & AVFMT_NOFILE) && (r = avio_open(&w.oc->pb, path.c_str(), AVIO_FLAG_WRITE)) < 0)
        return avError("avio_open(" + path + ")", r);
    if ((r = avformat_write_header(w.oc.get(), nullptr)) < 0) return avError("avformat_write_header(" + path + ")", r);

    media::AvFramePtr vf = media::makeFrame();
    vf->format = w.video->pix_fmt;
    vf->width = s.width;
    vf->height = s.height;
    if ((r = av_frame_get_buffer(vf.get(), 0)) < 0) return avError("av_frame_get_buffer", r);
    media::AvFramePtr af = media::makeFrame();
    const int frameSize = w.audio && w.audio->frame_size > 0 ? w.audio->frame_size : 1024;
    if (w.audio) {
        af->format = w.audio->sample_fmt;
        av_channel_layout_copy(&af->ch_layout, &w.audio->ch_layout);
        af->sample_rate = s.audio.sampleRate;
        af->nb_samples = frameSize;
        if ((r = av_frame_get_buffer(af.get(), 0)) < 0) return avError("av_frame_get_buffer(audio)", r);
    }

    // Encoders emit priming samples before the first input sample (pts shifted back). MP4/MOV
    // starting at 0 hide them with an edit list, as real files do; elsewhere shift the input so the
    // first presented (decoded) sample lands exactly at the requested offset. (The MP4 muxer
    // always trims Opus pre-skip through its edit list.)
    const int64_t primingShift =
        w.audio && !(movFamily && (audioFirst == 0 || s.audio.codec == "opus")) ? w.audio->initial_padding : 0;
    int vi = 0;
    size_t ci = 0;
    int64_t nextSample = audioFirst;
    const double inf = std::numeric_limits<double>::infinity();
    for (;;) {
        const double tv = vi < s.frames ? av_q2d(vtb) * static_cast<double>(ptsOf(vi)) : inf;
        const double ta = w.audio && nextSample < audioEnd ? static_cast<double>(nextSample) / s.audio.sampleRate : inf;
        const double ts = ci < cues.size() ? cues[ci].startSeconds : inf;
        if (tv == inf && ta == inf && ts == inf) break;
        if (ts <= tv && ts <= ta) {
            VFI_TRY(writeCue(w, cues[ci], static_cast<int>(ci)));
            ++ci;
        } else if (tv <= ta) {
            if ((r = av_frame_make_writable(vf.get())) < 0) return avError("av_frame_make_writable", r);
            fillVideo(vf.get(), s.firstFrameNumber + vi, s.sceneCutAt >= 0 && vi >= s.sceneCutAt, s.sample);
            vf->pts = ptsOf(vi);
            VFI_TRY(w.send(w.video.get(), w.vst, vf.get()));
            ++vi;
        } else {
            if ((r = av_frame_make_writable(af.get())) < 0) return avError("av_frame_make_writable", r);
            af->nb_samples = static_cast<int>(std::min<int64_t>(frameSize, audioEnd - nextSample));
            if (w.audio->frame_size > 0 && af->nb_samples < frameSize &&
                !(w.audio->codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE))
                af->nb_samples = frameSize;  // fixed-size encoders: pad the last frame with tone
            fillAudio(af.get(), nextSample, s.audio);
            af->pts = nextSample + primingShift;
            VFI_TRY(w.send(w.audio.get(), w.ast, af.get()));
            nextSample += af->nb_samples;
        }
    }
    VFI_TRY(w.send(w.video.get(), w.vst, nullptr));
    if (w.audio) VFI_TRY(w.send(w.audio.get(), w.ast, nullptr));
    if ((r = av_write_trailer(w.oc.get())) < 0) return avError("av_write_trailer(" + path + ")", r);
    return {};
}

}  // namespace vfi::test
