// Pipeline-side libav glue (index, range decode, chunk encode, chunk verify). Written against the
// av_ptr wrappers only, so the runner works before/independently of the media library's classes.
#include "pipeline/media_adapter.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "pipeline/file_util.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using namespace vfi::media;

namespace {

struct Opened {
    AvInputContextPtr fmt;
    AvCodecContextPtr dec;
    int stream = -1;
};

Result<Opened> openInput(const std::string& path, bool withDecoder) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return makeError(ErrorCode::InputNotFound, "input file not found: " + path, {path});
    if (fs::file_size(path, ec) == 0)
        return makeError(ErrorCode::NotAVideo, path + " is empty (0 bytes), not a video", {path, "empty file"});
    Opened o;
    AVFormatContext* raw = nullptr;
    int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (rc < 0)
        return makeError(ErrorCode::NotAVideo, path + " is not a readable video file (" + avErrorText(rc) + ")",
                         {path, avErrorText(rc)});
    o.fmt.reset(raw);
    rc = avformat_find_stream_info(raw, nullptr);
    if (rc < 0) return makeError(ErrorCode::NotAVideo, path + ": cannot read stream information (" + avErrorText(rc) + ")", {path, avErrorText(rc)});
    o.stream = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (o.stream < 0) return makeError(ErrorCode::NoVideoStream, path + " has no video stream", {path});
    AVStream* st = raw->streams[o.stream];
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) return makeError(ErrorCode::UnsupportedCodec, std::string("no decoder for ") + avcodec_get_name(st->codecpar->codec_id), {avcodec_get_name(st->codecpar->codec_id)});
    if (withDecoder) {
        o.dec.reset(avcodec_alloc_context3(codec));
        avcodec_parameters_to_context(o.dec.get(), st->codecpar);
        o.dec->pkt_timebase = st->time_base;
        o.dec->thread_count = 0;
        rc = avcodec_open2(o.dec.get(), codec, nullptr);
        if (rc < 0) return avError("avcodec_open2(" + path + ")", rc);
    }
    return o;
}

int64_t framePts(const AVFrame* f) { return f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts; }

AVColorSpace effectiveMatrix(AVColorSpace cs, int height) {
    if (cs != AVCOL_SPC_UNSPECIFIED && cs != AVCOL_SPC_RESERVED) return cs;
    return height > 576 ? AVCOL_SPC_BT709 : AVCOL_SPC_BT470BG;
}

// YUV (any) <-> GBRP16 with the stream's matrix and range, rounding (accurate_rnd).
SwsContext* makeSws(int w, int h, AVPixelFormat from, AVPixelFormat to, AVColorSpace cs, AVColorRange range) {
    SwsContext* s = sws_getContext(w, h, from, w, h, to, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP,
                                   nullptr, nullptr, nullptr);
    if (!s) return nullptr;
    const int* coef = sws_getCoefficients(cs);
    const int full = range == AVCOL_RANGE_JPEG ? 1 : 0;
    const bool fromRgb = from == AV_PIX_FMT_GBRP16;
    sws_setColorspaceDetails(s, coef, fromRgb ? 1 : full, coef, fromRgb ? full : 1, 0, 1 << 16, 1 << 16);
    return s;
}

class LibavRangeDecoder final : public RangeDecoder {
public:
    Result<bool> next(RgbFrame& out, AvFramePtr& decoded, int64_t& sourceIndex) override {
        while (m_next < m_end) {
            if (!m_pending) {
                VFI_ASSIGN_OR_RETURN(bool got, decodeOne());
                if (!got)
                    return makeError(ErrorCode::TruncatedInput,
                                     m_path + ": frame " + std::to_string(m_next) + " could not be decoded (file truncated or damaged)",
                                     {m_path, "frame " + std::to_string(m_next)});
            }
            const int64_t pts = framePts(m_frame.get());
            const int64_t want = m_index->pts[static_cast<size_t>(m_next)];
            if (pts < want) {   // before the range (decoded from the keyframe)
                m_pending = false;
                continue;
            }
            if (pts > want) {
                if (!m_restarted && m_next == m_begin) {   // seek landed too late: decode from the start
                    m_restarted = true;
                    VFI_TRY(reopen(false));
                    continue;
                }
                return makeError(ErrorCode::TruncatedInput,
                                 m_path + ": expected frame " + std::to_string(m_next) + " at pts " + std::to_string(want) +
                                     ", decoder produced pts " + std::to_string(pts),
                                 {m_path, "timestamp mismatch"});
            }
            m_pending = false;
            VFI_TRY(toRgb(m_frame.get(), out));
            decoded.reset(av_frame_clone(m_frame.get()));
            sourceIndex = m_next++;
            return true;
        }
        return false;
    }

    Status init(const std::string& path, const SourceIndex& index, int64_t begin, int64_t end) {
        m_path = path;
        m_index = &index;
        m_begin = m_next = begin;
        m_end = end;
        return reopen(begin > 0);
    }

private:
    Status reopen(bool seek) {
        VFI_ASSIGN_OR_RETURN(m_in, openInput(m_path, true));
        m_frame = makeFrame();
        m_pkt = makePacket();
        m_eof = false;
        m_pending = false;
        if (seek) {
            const int64_t target = m_index->pts[static_cast<size_t>(m_begin)];
            if (av_seek_frame(m_in.fmt.get(), m_in.stream, target, AVSEEK_FLAG_BACKWARD) < 0) return reopen(false);
        }
        return {};
    }

    Result<bool> decodeOne() {
        for (;;) {
            int rc = avcodec_receive_frame(m_in.dec.get(), m_frame.get());
            if (rc == 0) {
                m_pending = true;
                return true;
            }
            if (rc == AVERROR_EOF) return false;
            if (rc != AVERROR(EAGAIN)) return avError("avcodec_receive_frame(" + m_path + ")", rc);
            if (m_eof) return false;
            rc = av_read_frame(m_in.fmt.get(), m_pkt.get());
            if (rc < 0) {
                m_eof = true;
                avcodec_send_packet(m_in.dec.get(), nullptr);
                continue;
            }
            if (m_pkt->stream_index == m_in.stream) {
                rc = avcodec_send_packet(m_in.dec.get(), m_pkt.get());
                if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_INVALIDDATA) {
                    av_packet_unref(m_pkt.get());
                    return avError("avcodec_send_packet(" + m_path + ")", rc);
                }
            }
            av_packet_unref(m_pkt.get());
        }
    }

    Status toRgb(const AVFrame* f, RgbFrame& out) {
        if (!m_sws || f->format != m_swsFormat) {
            m_sws.reset(makeSws(f->width, f->height, static_cast<AVPixelFormat>(f->format), AV_PIX_FMT_GBRP16,
                                effectiveMatrix(f->colorspace, f->height), f->color_range));
            m_swsFormat = f->format;
            if (!m_sws) return makeError(ErrorCode::UnsupportedFormat, "cannot convert pixel format", {"", av_get_pix_fmt_name(static_cast<AVPixelFormat>(f->format)), ""});
        }
        const int w = f->width, h = f->height;
        std::vector<uint16_t> planes(static_cast<size_t>(w) * h * 3);
        // GBRP16 plane order: G, B, R.
        uint8_t* dst[4] = {reinterpret_cast<uint8_t*>(planes.data() + static_cast<size_t>(w) * h),
                           reinterpret_cast<uint8_t*>(planes.data() + 2 * static_cast<size_t>(w) * h),
                           reinterpret_cast<uint8_t*>(planes.data()), nullptr};
        int stride[4] = {w * 2, w * 2, w * 2, 0};
        sws_scale(m_sws.get(), f->data, f->linesize, 0, h, dst, stride);
        out = RgbFrame(w, h);
        for (size_t i = 0; i < planes.size(); ++i) out.data[i] = planes[i] / 65535.0f;
        return {};
    }

    std::string m_path;
    const SourceIndex* m_index = nullptr;
    int64_t m_begin = 0, m_next = 0, m_end = 0;
    Opened m_in;
    AvFramePtr m_frame;
    AvPacketPtr m_pkt;
    SwsContextPtr m_sws;
    int m_swsFormat = -1;
    bool m_eof = false, m_pending = false, m_restarted = false;
};

}  // namespace

Result<SourceIndex> indexSource(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(Opened o, openInput(path, false));
    AVFormatContext* fmt = o.fmt.get();
    AVStream* st = fmt->streams[o.stream];
    SourceIndex idx;
    idx.timeBase = {st->time_base.num, st->time_base.den};
    idx.width = st->codecpar->width;
    idx.height = st->codecpar->height;
    const auto pf = static_cast<AVPixelFormat>(st->codecpar->format);
    idx.pixFmt = pf == AV_PIX_FMT_NONE ? "unknown" : av_get_pix_fmt_name(pf);
    if (const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(pf)) idx.bitDepth = d->comp[0].depth;
    auto cp = st->codecpar;
    idx.colour.primaries = av_color_primaries_name(cp->color_primaries) ? av_color_primaries_name(cp->color_primaries) : "unknown";
    idx.colour.transfer = av_color_transfer_name(cp->color_trc) ? av_color_transfer_name(cp->color_trc) : "unknown";
    idx.colour.matrix = av_color_space_name(cp->color_space) ? av_color_space_name(cp->color_space) : "unknown";
    idx.colour.range = av_color_range_name(cp->color_range) ? av_color_range_name(cp->color_range) : "unknown";
    idx.layout = std::string(avcodec_get_name(cp->codec_id)) + " " + std::to_string(idx.width) + "x" + std::to_string(idx.height) +
                 " " + idx.pixFmt + " tb " + std::to_string(idx.timeBase.num) + "/" + std::to_string(idx.timeBase.den);
    for (unsigned i = 0; i < fmt->nb_streams; ++i)
        if (static_cast<int>(i) != o.stream)
            idx.layout += std::string(" +") + av_get_media_type_string(fmt->streams[i]->codecpar->codec_type) + ":" +
                          avcodec_get_name(fmt->streams[i]->codecpar->codec_id);
    AvPacketPtr pkt = makePacket();
    int64_t lastDur = 0, maxPts = INT64_MIN;
    for (;;) {
        int rc = av_read_frame(fmt, pkt.get());
        if (rc == AVERROR_EOF) break;
        if (rc < 0) {
            if (idx.pts.empty()) return makeError(ErrorCode::NotAVideo, path + ": cannot read packets (" + avErrorText(rc) + ")", {path, avErrorText(rc)});
            return makeError(ErrorCode::TruncatedInput, path + " is truncated or damaged after " + std::to_string(idx.pts.size()) +
                                 " frames (" + avErrorText(rc) + ")", {path, avErrorText(rc)});
        }
        if (pkt->stream_index == o.stream && !(pkt->flags & AV_PKT_FLAG_DISCARD)) {
            const int64_t t = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
            if (t != AV_NOPTS_VALUE) {
                idx.pts.push_back(t);
                if (t > maxPts) {
                    maxPts = t;
                    lastDur = pkt->duration;
                }
            }
        }
        av_packet_unref(pkt.get());
    }
    if (idx.pts.empty()) return makeError(ErrorCode::NotAVideo, path + " has no video frames", {path, "no frames"});
    std::sort(idx.pts.begin(), idx.pts.end());
    idx.pts.erase(std::unique(idx.pts.begin(), idx.pts.end()), idx.pts.end());
    if (idx.pts.size() >= 2) {
        const int64_t d0 = idx.pts[1] - idx.pts[0];
        for (size_t i = 2; i < idx.pts.size(); ++i)
            if (idx.pts[i] - idx.pts[i - 1] != d0) idx.variableFrameRate = true;
        if (lastDur <= 0) lastDur = idx.pts.back() - idx.pts[idx.pts.size() - 2];
        idx.fps = (idx.pts.size() - 1) / ((idx.pts.back() - idx.pts.front()) * av_q2d(st->time_base));
    } else {
        const AVRational fr = st->avg_frame_rate.num ? st->avg_frame_rate : AVRational{30, 1};
        idx.fps = av_q2d(fr);
        if (lastDur <= 0) lastDur = std::max<int64_t>(1, av_rescale_q(1, av_inv_q(fr), st->time_base));
    }
    idx.lastDuration = lastDur;
    return idx;
}

Result<std::unique_ptr<RangeDecoder>> openRangeDecoder(const std::string& path, const SourceIndex& index, int64_t begin, int64_t end) {
    auto d = std::make_unique<LibavRangeDecoder>();
    VFI_TRY(d->init(path, index, begin, end));
    return std::unique_ptr<RangeDecoder>(std::move(d));
}

}  // namespace vfi::pipeline
