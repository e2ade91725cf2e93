// Inspection helpers of media_gen.h: decoded-frame hashes, packet hashes, first presented times.
#include <cmath>
#include <limits>

extern "C" {
#include <libavutil/md5.h>
#include <libavutil/pixdesc.h>
}

#include "media/av_ptr.h"
#include "support/media_gen.h"

namespace vfi::test {
namespace {

using media::avError;

std::string hexDigest(const uint8_t* d, int n) {
    static const char* kHex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < n; ++i) {
        s.push_back(kHex[d[i] >> 4]);
        s.push_back(kHex[d[i] & 15]);
    }
    return s;
}

std::string md5(const uint8_t* data, size_t size) {
    uint8_t out[16];
    av_md5_sum(out, data, size);
    return hexDigest(out, 16);
}

// NAL units of an H.264/HEVC packet, Annex B (start codes) or 4-byte length-prefixed.
// The form follows the stream's extradata (avcC/hvcC start with 1; Annex B with a start code): a
// 4-byte length like 0x0000014e is indistinguishable from a start code by the bytes alone.
std::string nalMd5(const uint8_t* d, int n, bool annexB) {
    std::string nals;
    if (annexB) {
        int i = 0, start = -1;
        while (i + 2 < n) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                if (start >= 0) {
                    const int end = i > start && d[i - 1] == 0 ? i - 1 : i;   // 4-byte start code
                    nals.append(reinterpret_cast<const char*>(d + start), static_cast<size_t>(end - start)).push_back('|');
                }
                i += 3;
                start = i;
            } else {
                ++i;
            }
        }
        if (start >= 0) nals.append(reinterpret_cast<const char*>(d + start), static_cast<size_t>(n - start)).push_back('|');
    } else {
        int i = 0;
        while (i + 4 <= n) {
            const int len = (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3];
            if (len < 0 || i + 4 + len > n) break;
            nals.append(reinterpret_cast<const char*>(d + i + 4), static_cast<size_t>(len)).push_back('|');
            i += 4 + len;
        }
    }
    return md5(reinterpret_cast<const uint8_t*>(nals.data()), nals.size());
}

std::string frameMd5(const AVFrame* f) {
    AVMD5* ctx = av_md5_alloc();
    av_md5_init(ctx);
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format));
    const int bytes = (d->comp[0].depth + 7) / 8;
    const int planes = av_pix_fmt_count_planes(static_cast<AVPixelFormat>(f->format));
    for (int p = 0; p < planes; ++p) {
        const bool chroma = (p == 1 || p == 2) && !(d->flags & AV_PIX_FMT_FLAG_RGB);
        const int w = chroma ? AV_CEIL_RSHIFT(f->width, d->log2_chroma_w) : f->width;
        const int h = chroma ? AV_CEIL_RSHIFT(f->height, d->log2_chroma_h) : f->height;
        for (int y = 0; y < h; ++y)
            av_md5_update(ctx, f->data[p] + static_cast<ptrdiff_t>(y) * f->linesize[p], static_cast<size_t>(w * bytes));
    }
    uint8_t out[16];
    av_md5_final(ctx, out);
    av_free(ctx);
    return hexDigest(out, 16);
}

Result<media::AvInputContextPtr> openInput(const std::string& path) {
    AVFormatContext* raw = nullptr;
    int r = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (r < 0) return avError("avformat_open_input(" + path + ")", r);
    media::AvInputContextPtr ic(raw);
    if ((r = avformat_find_stream_info(ic.get(), nullptr)) < 0) return avError("avformat_find_stream_info", r);
    return ic;
}

Result<media::AvCodecContextPtr> openDecoder(const AVStream* st) {
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) return makeError(ErrorCode::UnsupportedCodec, "no decoder", {});
    media::AvCodecContextPtr c(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(c.get(), st->codecpar);
    c->pkt_timebase = st->time_base;
    c->thread_count = 1;
    int r = avcodec_open2(c.get(), codec, nullptr);
    if (r < 0) return avError("avcodec_open2", r);
    return c;
}

const char* kindName(AVMediaType t) {
    switch (t) {
    case AVMEDIA_TYPE_VIDEO: return "video";
    case AVMEDIA_TYPE_AUDIO: return "audio";
    case AVMEDIA_TYPE_SUBTITLE: return "subtitle";
    case AVMEDIA_TYPE_ATTACHMENT: return "attachment";
    default: return "data";
    }
}

}  // namespace

std::vector<std::string> frameHashList(const std::string& path) {
    auto h = frameHashes(path);
    if (!h) return {"error: " + h.error().message};
    std::vector<std::string> out;
    for (const auto& f : h->frames) out.push_back(f.hash);
    return out;
}

std::string frameDifference(const VideoHashes& got, const VideoHashes& want) {
    if (got.frames.size() != want.frames.size())
        return std::to_string(got.frames.size()) + " frames, expected " + std::to_string(want.frames.size());
    for (size_t i = 0; i < got.frames.size(); ++i) {
        if (got.frames[i].pts != want.frames[i].pts)
            return "frame " + std::to_string(i) + " at pts " + std::to_string(got.frames[i].pts) + ", expected " +
                   std::to_string(want.frames[i].pts);
        if (got.frames[i].hash != want.frames[i].hash) return "frame " + std::to_string(i) + " differs";
    }
    return "";
}

Result<VideoHashes> frameHashes(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(auto ic, openInput(path));
    const int vs = av_find_best_stream(ic.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (vs < 0) return makeError(ErrorCode::NoVideoStream, "no video stream in " + path, {path});
    const AVStream* st = ic->streams[vs];
    VFI_ASSIGN_OR_RETURN(auto dec, openDecoder(st));
    VideoHashes out;
    out.timeBase = {st->time_base.num, st->time_base.den};
    auto pkt = media::makePacket();
    auto frame = media::makeFrame();
    auto drain = [&]() -> Status {
        for (;;) {
            int r = avcodec_receive_frame(dec.get(), frame.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return {};
            if (r < 0) return avError("avcodec_receive_frame", r);
            FrameHash h;
            h.pts = frame->best_effort_timestamp;
            h.seconds = static_cast<double>(h.pts) * av_q2d(st->time_base);
            h.hash = frameMd5(frame.get());
            out.frames.push_back(std::move(h));
            av_frame_unref(frame.get());
        }
    };
    int r;
    while ((r = av_read_frame(ic.get(), pkt.get())) >= 0) {
        if (pkt->stream_index == vs) {
            r = avcodec_send_packet(dec.get(), pkt.get());
            av_packet_unref(pkt.get());
            if (r < 0) return avError("avcodec_send_packet", r);
            VFI_TRY(drain());
        } else {
            av_packet_unref(pkt.get());
        }
    }
    avcodec_send_packet(dec.get(), nullptr);
    VFI_TRY(drain());
    return out;
}

Result<std::vector<std::vector<uint8_t>>> framePixels(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(auto ic, openInput(path));
    const int vs = av_find_best_stream(ic.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (vs < 0) return makeError(ErrorCode::NoVideoStream, "no video stream in " + path, {path});
    VFI_ASSIGN_OR_RETURN(auto dec, openDecoder(ic->streams[vs]));
    std::vector<std::vector<uint8_t>> out;
    auto pkt = media::makePacket();
    auto frame = media::makeFrame();
    auto drain = [&] {
        while (avcodec_receive_frame(dec.get(), frame.get()) >= 0) {
            const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format));
            std::vector<uint8_t> bytes;
            for (int p = 0; p < av_pix_fmt_count_planes(static_cast<AVPixelFormat>(frame->format)); ++p) {
                const bool chroma = (p == 1 || p == 2) && !(d->flags & AV_PIX_FMT_FLAG_RGB);
                const int w = chroma ? AV_CEIL_RSHIFT(frame->width, d->log2_chroma_w) : frame->width;
                const int h = chroma ? AV_CEIL_RSHIFT(frame->height, d->log2_chroma_h) : frame->height;
                for (int y = 0; y < h; ++y) {
                    const uint8_t* row = frame->data[p] + static_cast<ptrdiff_t>(y) * frame->linesize[p];
                    bytes.insert(bytes.end(), row, row + w);
                }
            }
            out.push_back(std::move(bytes));
            av_frame_unref(frame.get());
        }
    };
    while (av_read_frame(ic.get(), pkt.get()) >= 0) {
        if (pkt->stream_index == vs) avcodec_send_packet(dec.get(), pkt.get());
        av_packet_unref(pkt.get());
        drain();
    }
    avcodec_send_packet(dec.get(), nullptr);
    drain();
    return out;
}

Result<std::map<int, StreamPackets>> packetHashes(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(auto ic, openInput(path));
    std::map<int, StreamPackets> out;
    for (unsigned i = 0; i < ic->nb_streams; ++i) {
        const AVStream* st = ic->streams[i];
        StreamPackets& sp = out[static_cast<int>(i)];
        sp.kind = kindName(st->codecpar->codec_type);
        sp.codec = avcodec_get_name(st->codecpar->codec_id);
        sp.timeBase = {st->time_base.num, st->time_base.den};
    }
    auto pkt = media::makePacket();
    while (av_read_frame(ic.get(), pkt.get()) >= 0) {
        PacketHash h;
        h.pts = pkt->pts;
        h.dts = pkt->dts;
        h.duration = pkt->duration;
        h.size = pkt->size;
        h.key = pkt->flags & AV_PKT_FLAG_KEY;
        h.hash = md5(pkt->data, static_cast<size_t>(pkt->size));
        h.rawAacHash = h.hash;
        const AVCodecID id = ic->streams[pkt->stream_index]->codecpar->codec_id;
        const AVCodecParameters* par = ic->streams[pkt->stream_index]->codecpar;
        const bool annexB = par->extradata_size < 1 || par->extradata[0] == 0;
        h.nalHash = (id == AV_CODEC_ID_H264 || id == AV_CODEC_ID_HEVC) ? nalMd5(pkt->data, pkt->size, annexB) : h.hash;
        // MPEG-TS carries AAC with ADTS headers; MP4/MKV store the raw frames (aac_adtstoasc).
        if (pkt->size > 9 && pkt->data[0] == 0xff && (pkt->data[1] & 0xf6) == 0xf0) {
            const int header = (pkt->data[1] & 1) ? 7 : 9;
            h.rawAacHash = md5(pkt->data + header, static_cast<size_t>(pkt->size - header));
        }
        out[pkt->stream_index].packets.push_back(std::move(h));
        av_packet_unref(pkt.get());
    }
    return out;
}

Result<StartTimes> startTimes(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(auto ic, openInput(path));
    const int vs = av_find_best_stream(ic.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    const int as = av_find_best_stream(ic.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (vs < 0) return makeError(ErrorCode::NoVideoStream, "no video stream in " + path, {path});
    VFI_ASSIGN_OR_RETURN(auto vdec, openDecoder(ic->streams[vs]));
    media::AvCodecContextPtr adec;
    if (as >= 0) {
        VFI_ASSIGN_OR_RETURN(auto a, openDecoder(ic->streams[as]));
        adec = std::move(a);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Minimum over the first decoded frames: presentation order may differ from decode order.
    double video = std::numeric_limits<double>::infinity();
    double audio = as >= 0 ? std::numeric_limits<double>::infinity() : nan;
    int videoFrames = 0;
    bool audioDone = as < 0;
    auto pkt = media::makePacket();
    auto frame = media::makeFrame();
    auto drain = [&](AVCodecContext* c, int si) {
        while (avcodec_receive_frame(c, frame.get()) >= 0) {
            const double t = static_cast<double>(frame->best_effort_timestamp) * av_q2d(ic->streams[si]->time_base);
            if (si == vs) { video = std::min(video, t); ++videoFrames; }
            else if (!audioDone) { audio = std::min(audio, t); audioDone = true; }
            av_frame_unref(frame.get());
        }
    };
    while ((videoFrames < 16 || !audioDone) && av_read_frame(ic.get(), pkt.get()) >= 0) {
        if (pkt->stream_index == vs && videoFrames < 16) {
            avcodec_send_packet(vdec.get(), pkt.get());
            drain(vdec.get(), vs);
        } else if (pkt->stream_index == as && !audioDone) {
            avcodec_send_packet(adec.get(), pkt.get());
            drain(adec.get(), as);
        }
        av_packet_unref(pkt.get());
    }
    avcodec_send_packet(vdec.get(), nullptr);
    drain(vdec.get(), vs);
    if (adec && !audioDone) {
        avcodec_send_packet(adec.get(), nullptr);
        drain(adec.get(), as);
    }
    return StartTimes{video, audio};
}

}  // namespace vfi::test
