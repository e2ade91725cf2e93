#include "media/join_streams.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace vfi::media {
namespace {

constexpr int kProbePackets = 4000;  // enough to see every stream's start in any sane interleave

int64_t rescale(int64_t v, AVRational from, AVRational to) { return av_rescale_q(v, from, to); }

const char* kindName(AVMediaType t) {
    switch (t) {
    case AVMEDIA_TYPE_VIDEO: return "video";
    case AVMEDIA_TYPE_AUDIO: return "audio";
    case AVMEDIA_TYPE_SUBTITLE: return "subtitle";
    case AVMEDIA_TYPE_ATTACHMENT: return "attachment";
    default: return "data";
    }
}

Result<AvInputContextPtr> openSource(const std::string& path) {
    AVFormatContext* raw = nullptr;
    int r = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (r < 0) return avError("avformat_open_input(" + path + ")", r);
    AvInputContextPtr ic(raw);
    if ((r = avformat_find_stream_info(ic.get(), nullptr)) < 0) return avError("avformat_find_stream_info(" + path + ")", r);
    return ic;
}

}  // namespace

Status JoinStreams::open(const JoinPlan& plan, AVRational planTb) {
    m_planTb = planTb;
    if (plan.sourcePath.empty()) return {};
    VFI_ASSIGN_OR_RETURN(auto probe, openSource(plan.sourcePath));
    m_videoIndex = av_find_best_stream(probe.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (m_videoIndex < 0)
        return makeError(ErrorCode::NoVideoStream, "The source " + plan.sourcePath + " has no video stream.", {plan.sourcePath});
    const int n = static_cast<int>(probe->nb_streams);
    const int64_t none = std::numeric_limits<int64_t>::max();
    std::vector<int64_t> start(static_cast<size_t>(n), none);   // first presented ts per stream
    std::vector<int> seen(static_cast<size_t>(n), 0);
    AvPacketPtr pkt = makePacket();
    for (int i = 0; i < kProbePackets && av_read_frame(probe.get(), pkt.get()) >= 0; ++i) {
        const auto s = static_cast<size_t>(pkt->stream_index);
        int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
        const AVStream* st = probe->streams[pkt->stream_index];
        if (ts != AV_NOPTS_VALUE && seen[s] < 16) {
            // Priming: decoders drop skip_samples at the start, so the first presented sample is later.
            size_t sz = 0;
            const uint8_t* skip = av_packet_get_side_data(pkt.get(), AV_PKT_DATA_SKIP_SAMPLES, &sz);
            if (skip && sz >= 4 && st->codecpar->sample_rate > 0) {
                const uint32_t samples = skip[0] | (skip[1] << 8) | (skip[2] << 16) | (static_cast<uint32_t>(skip[3]) << 24);
                ts += rescale(samples, AVRational{1, st->codecpar->sample_rate}, st->time_base);
            }
            // Video: min over the first packets (B-frames are demuxed out of presentation order).
            start[s] = std::min(start[s], ts);
            ++seen[s];
        }
        av_packet_unref(pkt.get());
    }
    if (start[static_cast<size_t>(m_videoIndex)] == none)
        return makeError(ErrorCode::NotAVideo, "The source " + plan.sourcePath + " has no video packets.", {plan.sourcePath, "no packets"});
    m_videoStart = start[static_cast<size_t>(m_videoIndex)];
    const AVRational vtb = probe->streams[m_videoIndex]->time_base;
    m_earliest = 0;
    for (int i = 0; i < n; ++i) {
        const AVMediaType t = probe->streams[i]->codecpar->codec_type;
        const bool counted = (t == AVMEDIA_TYPE_AUDIO && plan.copyAudio) || (t == AVMEDIA_TYPE_SUBTITLE && plan.copySubtitles);
        if (!counted || start[static_cast<size_t>(i)] == none) continue;
        const int64_t rel = rescale(start[static_cast<size_t>(i)], probe->streams[i]->time_base, planTb) - rescale(m_videoStart, vtb, planTb);
        m_earliest = std::min(m_earliest, rel);
    }
    // Reopen instead of seeking: seeking to the very first packet is not reliable in every demuxer.
    VFI_ASSIGN_OR_RETURN(m_in, openSource(plan.sourcePath));
    m_maps.clear();
    m_maps.resize(m_in->nb_streams);
    return {};
}

Status JoinStreams::addSubtitleConversion(Map& m, const AVStream* in, AVCodecID target) {
    const AVCodec* dcodec = avcodec_find_decoder(in->codecpar->codec_id);
    const AVCodec* ecodec = avcodec_find_encoder(target);
    if (!dcodec || !ecodec) return makeError(ErrorCode::UnsupportedCodec, "no subtitle converter", {avcodec_get_name(target)});
    m.dec.reset(avcodec_alloc_context3(dcodec));
    avcodec_parameters_to_context(m.dec.get(), in->codecpar);
    m.dec->pkt_timebase = in->time_base;
    int r = avcodec_open2(m.dec.get(), dcodec, nullptr);
    if (r < 0) return avError("avcodec_open2(subtitle decoder)", r);
    m.enc.reset(avcodec_alloc_context3(ecodec));
    m.enc->time_base = in->time_base;
    if (m.dec->subtitle_header) {
        m.enc->subtitle_header = static_cast<uint8_t*>(av_mallocz(static_cast<size_t>(m.dec->subtitle_header_size) + 1));
        memcpy(m.enc->subtitle_header, m.dec->subtitle_header, static_cast<size_t>(m.dec->subtitle_header_size));
        m.enc->subtitle_header_size = m.dec->subtitle_header_size;
    }
    if ((r = avcodec_open2(m.enc.get(), ecodec, nullptr)) < 0) return avError("avcodec_open2(subtitle encoder)", r);
    if ((r = avcodec_parameters_from_context(m.out->codecpar, m.enc.get())) < 0) return avError("avcodec_parameters_from_context", r);
    return {};
}

Status JoinStreams::addStreams(AVFormatContext* out, int64_t shiftPlan, std::vector<std::string>& warnings) {
    if (!m_in) return {};
    m_shiftPlan = shiftPlan;
    const AVOutputFormat* of = out->oformat;
    const std::string fmt = of->name;
    const bool movFamily = fmt == "mp4" || fmt == "mov";
    const bool matroska = fmt == "matroska" || fmt == "webm";
    const AVRational vtb = m_in->streams[m_videoIndex]->time_base;
    for (unsigned i = 0; i < m_in->nb_streams; ++i) {
        if (static_cast<int>(i) == m_videoIndex) continue;
        const AVStream* in = m_in->streams[i];
        const AVCodecParameters* par = in->codecpar;
        const AVMediaType type = par->codec_type;
        const std::string what = "stream #" + std::to_string(i) + " (" + kindName(type) + ", " + avcodec_get_name(par->codec_id) + ")";
        const bool fits = avformat_query_codec(of, par->codec_id, FF_COMPLIANCE_NORMAL) == 1;
        const AVCodecDescriptor* desc = avcodec_descriptor_get(par->codec_id);
        const bool textSub = type == AVMEDIA_TYPE_SUBTITLE && desc && (desc->props & AV_CODEC_PROP_TEXT_SUB);
        Map& m = m_maps[i];
        m.inIndex = static_cast<int>(i);
        bool convert = false;
        if (type == AVMEDIA_TYPE_AUDIO && fits) {
        } else if (type == AVMEDIA_TYPE_SUBTITLE && (fits || textSub)) {
            convert = !fits || (movFamily && par->codec_id != AV_CODEC_ID_MOV_TEXT);
        } else if (type == AVMEDIA_TYPE_ATTACHMENT && matroska) {
        } else {
            warnings.push_back(what + " dropped: ." + fmt + " output cannot hold it");
            continue;
        }
        m.out = avformat_new_stream(out, nullptr);
        if (!m.out) return makeError(ErrorCode::Internal, "avformat_new_stream failed", {});
        m.out->time_base = in->time_base;
        m.out->disposition = in->disposition;
        av_dict_copy(&m.out->metadata, in->metadata, 0);
        if (convert) {
            const AVCodecID target = movFamily ? AV_CODEC_ID_MOV_TEXT : AV_CODEC_ID_SUBRIP;
            VFI_TRY(addSubtitleConversion(m, in, target));
            warnings.push_back(what + " converted to " + avcodec_get_name(target) + " for ." + fmt);
        } else {
            int r = avcodec_parameters_copy(m.out->codecpar, par);
            if (r < 0) return avError("avcodec_parameters_copy", r);
            m.out->codecpar->codec_tag = 0;
        }
        m.offset = -rescale(m_videoStart, vtb, in->time_base) + rescale(shiftPlan, m_planTb, in->time_base);
    }
    for (unsigned c = 0; c < m_in->nb_chapters; ++c) {
        const AVChapter* src = m_in->chapters[c];
        auto* ch = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
        const int64_t off = -rescale(m_videoStart, vtb, src->time_base) + rescale(shiftPlan, m_planTb, src->time_base);
        *ch = AVChapter{src->id, src->time_base, std::max<int64_t>(0, src->start + off), std::max<int64_t>(0, src->end + off), nullptr};
        av_dict_copy(&ch->metadata, src->metadata, 0);
        int count = static_cast<int>(out->nb_chapters);
        av_dynarray_add(&out->chapters, &count, ch);
        out->nb_chapters = static_cast<unsigned>(count);
    }
    av_dict_copy(&out->metadata, m_in->metadata, 0);
    // Brand atoms describe the source container, not ours.
    for (const char* k : {"major_brand", "minor_version", "compatible_brands", "encoder"}) av_dict_set(&out->metadata, k, nullptr, 0);
    return {};
}

Result<bool> JoinStreams::convertSubtitle(Map& m, AVPacket* pkt) {
    AVSubtitle sub{};
    int got = 0;
    int r = avcodec_decode_subtitle2(m.dec.get(), &sub, &got, m_pkt.get());
    if (r < 0 || !got) return false;
    std::vector<uint8_t> buf(1 << 16);
    const int n = avcodec_encode_subtitle(m.enc.get(), buf.data(), static_cast<int>(buf.size()), &sub);
    avsubtitle_free(&sub);
    if (n < 0) return avError("avcodec_encode_subtitle", n);
    if ((r = av_new_packet(pkt, n)) < 0) return avError("av_new_packet", r);
    memcpy(pkt->data, buf.data(), static_cast<size_t>(n));
    av_packet_copy_props(pkt, m_pkt.get());
    pkt->size = n;
    return true;
}

Result<bool> JoinStreams::next(AVPacket* out) {
    if (!m_in) return false;
    for (;;) {
        av_packet_unref(m_pkt.get());
        int r = av_read_frame(m_in.get(), m_pkt.get());
        if (r == AVERROR_EOF) return false;
        if (r < 0) return avError("av_read_frame(source)", r);
        Map& m = m_maps[static_cast<size_t>(m_pkt->stream_index)];
        if (!m.out) continue;
        if (m.enc) {
            VFI_ASSIGN_OR_RETURN(bool got, convertSubtitle(m, out));
            if (!got) continue;
        } else {
            av_packet_move_ref(out, m_pkt.get());
        }
        const AVStream* in = m_in->streams[m.inIndex];
        const AVRational inTb = in->time_base;
        // MP4 demuxers report 0 for the last sample's duration; copied as 0, the muxer's edit list
        // would end before that packet and players (and FFmpeg) would drop it.
        if (out->duration <= 0 && in->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
            const int samples = av_get_audio_frame_duration2(in->codecpar, out->size);
            out->duration = samples > 0 && in->codecpar->sample_rate > 0
                                ? av_rescale_q(samples, AVRational{1, in->codecpar->sample_rate}, inTb)
                                : m.lastDuration;
        }
        if (out->duration > 0) m.lastDuration = out->duration;
        if (out->pts != AV_NOPTS_VALUE) out->pts += m.offset;
        if (out->dts != AV_NOPTS_VALUE) out->dts += m.offset;
        av_packet_rescale_ts(out, inTb, m.out->time_base);
        out->stream_index = m.out->index;
        out->pos = -1;
        return true;
    }
}

}  // namespace vfi::media
