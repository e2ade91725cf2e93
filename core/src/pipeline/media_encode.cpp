// Chunk encoding (pipeline side of media_adapter.h; the checks of a written chunk are in chunk_verifier.cpp). The settings come from one
// place, media::resolveEncode (the encoder table, docs/formats.md); this file applies all of them.
// Every chunk gets a fresh encoder (IDR first, closed GOPs, pinned B-frames/refs/threads) so chunks
// can be joined losslessly; the chunk container is NUT with the exact output time base and
// avoid_negative_ts disabled, so B-frame streams keep their planned pts.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "media/colour_converter.h"
#include "media/encoder_table.h"
#include "media/payload_hash.h"
#include "pipeline/file_util.h"
#include "pipeline/media_adapter.h"
#include "vfi/log.h"
#include "vfi/stage_profile.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using namespace vfi::media;

namespace {

// The media layer's view of the source: the indexed one where there is one (colour, HDR10, aspect
// ratio, chroma location), else what the index itself holds.
media::SourceInfo sourceInfoOf(const SourceIndex& src) {
    if (src.info) return *src.info;
    media::SourceInfo si;
    si.width = src.width;
    si.height = src.height;
    si.pixFmt = av_get_pix_fmt(src.pixFmt.c_str());
    si.bitDepth = src.bitDepth;
    si.timeBase = src.timeBase;
    si.primaries = static_cast<AVColorPrimaries>(std::max(0, av_color_primaries_from_name(src.colour.primaries.c_str())));
    si.transfer = static_cast<AVColorTransferCharacteristic>(std::max(0, av_color_transfer_from_name(src.colour.transfer.c_str())));
    si.matrix = static_cast<AVColorSpace>(std::max(0, av_color_space_from_name(src.colour.matrix.c_str())));
    si.range = static_cast<AVColorRange>(std::max(0, av_color_range_from_name(src.colour.range.c_str())));
    si.rotationDegrees = src.rotationDegrees;
    return si;
}

}  // namespace

Result<EncodeChoice> resolveEncoding(const EncodeOptions& opts, const SourceIndex& src, const std::string& outputPath) {
    std::string ext = fs::path(outputPath).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!ext.empty()) ext = ext.substr(1);
    if (!outputPath.empty() && ext != "mp4" && ext != "mov" && ext != "mkv")
        return makeError(ErrorCode::UnsupportedFormat, "output container ." + ext + " is not supported (use .mp4, .mov or .mkv)",
                         {opts.encoder, opts.pixFmt, ext});
    EncodeChoice c;
    VFI_ASSIGN_OR_RETURN(c.resolved, media::resolveEncode(opts, sourceInfoOf(src), ext));
    const media::ResolvedEncode& r = c.resolved;
    c.encoder = r.encoder;
    c.pixFmt = r.pixFmtName;
    c.quality = r.quality;
    for (const auto& [key, value] : r.codecOptions)
        if (key == "preset") c.preset = value;
    c.chunkExtension = r.chunkContainer;
    for (const auto& w : r.warnings) logWarning(w);
    return c;
}

namespace {

// Chroma siting of what the encoder receives, per direction. Where the source has the same
// subsampling in a direction, the chroma values are the source's (pass-through, or the converter's
// replicate-then-average, which is the identity), so they keep its siting there (untagged: left
// horizontally, centre vertically, the H.264/HEVC defaults). Where the converter subsamples a finer
// source, its box average sits at the block centre. 4:4:4 and RGB have no siting.
AVChromaLocation chromaLocationFor(AVPixelFormat out, const media::SourceInfo& si) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(out);
    if (!d || (d->log2_chroma_w == 0 && d->log2_chroma_h == 0) || (d->flags & AV_PIX_FMT_FLAG_RGB)) return AVCHROMA_LOC_UNSPECIFIED;
    const AVPixFmtDescriptor* s = av_pix_fmt_desc_get(si.pixFmt);
    const bool yuvSource = s && !(s->flags & AV_PIX_FMT_FLAG_RGB);
    const AVChromaLocation loc = si.chromaLocation;
    const bool srcLeft = loc == AVCHROMA_LOC_UNSPECIFIED || loc == AVCHROMA_LOC_LEFT || loc == AVCHROMA_LOC_TOPLEFT ||
                         loc == AVCHROMA_LOC_BOTTOMLEFT;
    const int srcV = loc == AVCHROMA_LOC_TOPLEFT || loc == AVCHROMA_LOC_TOP ? -1 : loc == AVCHROMA_LOC_BOTTOMLEFT || loc == AVCHROMA_LOC_BOTTOM ? 1 : 0;
    const bool left = d->log2_chroma_w > 0 && yuvSource && s->log2_chroma_w == d->log2_chroma_w && srcLeft;
    const int vertical = d->log2_chroma_h > 0 && yuvSource && s->log2_chroma_h == d->log2_chroma_h ? srcV : 0;
    if (vertical < 0) return left ? AVCHROMA_LOC_TOPLEFT : AVCHROMA_LOC_TOP;
    if (vertical > 0) return left ? AVCHROMA_LOC_BOTTOMLEFT : AVCHROMA_LOC_BOTTOM;
    return left ? AVCHROMA_LOC_LEFT : AVCHROMA_LOC_CENTER;
}

class LibavChunkEncoder final : public ChunkEncoder {
public:
    Status open(const std::string& path, const EncodeChoice& c, const SourceIndex& src, Rational tb) {
        m_path = path;
        const media::ResolvedEncode& r = c.resolved;
        if (!src.info) return makeError(ErrorCode::Internal, "chunk encoder needs the indexed source (SourceIndex::info)", {path});
        const media::SourceInfo& si = *src.info;
        const AVCodec* codec = avcodec_find_encoder_by_name(r.encoder.c_str());
        if (!codec) return makeError(ErrorCode::EncoderUnavailable, "encoder " + r.encoder + " unavailable", {r.encoder, "missing"});
        m_enc.reset(avcodec_alloc_context3(codec));
        AVCodecContext* e = m_enc.get();
        e->width = src.width;
        e->height = src.height;
        e->pix_fmt = r.pixFmt;
        e->time_base = {tb.num, tb.den};
        // Without a frame rate x264/x265 take 1/time_base (e.g. 60000 fps) for level and rate control.
        if (src.fps > 0 && src.timeBase.den > 0 && tb.den % src.timeBase.den == 0) {
            const int factor = tb.den / src.timeBase.den;
            e->framerate = av_d2q(src.fps * factor, 1 << 20);
        }
        // The source's pixel shape (anamorphic sources stay anamorphic); unknown = square.
        e->sample_aspect_ratio = si.sampleAspectRatio.num > 0 && si.sampleAspectRatio.den > 0
                                     ? AVRational{si.sampleAspectRatio.num, si.sampleAspectRatio.den}
                                     : AVRational{1, 1};
        e->color_primaries = si.primaries;
        e->color_trc = si.transfer;
        const AVPixFmtDescriptor* outDesc = av_pix_fmt_desc_get(r.pixFmt);
        if (outDesc && (outDesc->flags & AV_PIX_FMT_FLAG_RGB)) {
            // RGB output has no YUV matrix and full range, whatever the source had.
            e->colorspace = AVCOL_SPC_RGB;
            e->color_range = AVCOL_RANGE_JPEG;
        } else {
            e->colorspace = si.matrix;
            e->color_range = si.range != AVCOL_RANGE_UNSPECIFIED ? si.range : AVCOL_RANGE_MPEG;
        }
        e->chroma_sample_location = chromaLocationFor(r.pixFmt, si);
        m_conv = std::make_unique<media::ColourConverter>(media::ColourSpec::fromSource(si), 1);

        // Every pinned setting of the resolution (media::resolveEncode). A keyframe starts every chunk
        // (write() forces the first frame to I; forced-idr makes it an IDR), GOPs are closed.
        e->gop_size = r.gopSize;
        e->max_b_frames = r.maxBFrames;
        if (r.refs > 0) e->refs = r.refs;
        e->thread_count = r.threadsChangeOutput
                              ? r.threads
                              : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, static_cast<unsigned>(std::max(1, r.threads))));
        e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        if (r.closedGop) e->flags |= AV_CODEC_FLAG_CLOSED_GOP;
        auto setOption = [&](const std::string& key, const std::string& value) -> Status {
            const int rc = av_opt_set(e, key.c_str(), value.c_str(), AV_OPT_SEARCH_CHILDREN);
            if (rc < 0)
                return makeError(ErrorCode::EncoderUnavailable, r.encoder + " does not accept " + key + "=" + value + ": " + avErrorText(rc),
                                 {r.encoder, key, avErrorText(rc)});
            return {};
        };
        bool hasProfile = false, hasLevel = false;
        for (const auto& [key, value] : r.codecOptions) {
            VFI_TRY(setOption(key, value));
            hasProfile = hasProfile || key == "profile";
            hasLevel = hasLevel || key == "level";
        }
        if (!r.profile.empty() && !hasProfile) VFI_TRY(setOption("profile", r.profile));
        if (!r.level.empty() && r.level != "auto" && !hasLevel) VFI_TRY(setOption("level", r.level));
        int rc = avcodec_open2(e, codec, nullptr);
        if (rc < 0) return makeError(ErrorCode::EncoderUnavailable, "cannot open encoder " + r.encoder + ": " + avErrorText(rc), {r.encoder, avErrorText(rc)});
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
        // The resolution's hash: it changes exactly when a resolved setting does (CPU-specific values
        // such as x264's asm flags are recorded as tags); the job runner also records it in the session.
        m_stats.encoderSettingsHash = r.settingsHash;
        return {};
    }

    Status write(const RgbFrame& rgb, const AVFrame* decoded, int64_t pts) override {
        // Encoders reorder by pts: a repeated or earlier one would be encoded out of the planned order
        // (or fail late in the muxer with a less useful message).
        if (m_stats.frames > 0 && pts <= m_stats.lastPts)
            return makeError(ErrorCode::InvalidArgument,
                             "chunk " + m_path + ": frame pts " + std::to_string(pts) + " does not follow " + std::to_string(m_stats.lastPts),
                             {m_path, std::to_string(pts)});
        AvFramePtr f;
        AVCodecContext* e = m_enc.get();
        if (decoded && decoded->format == e->pix_fmt && decoded->width == e->width && decoded->height == e->height) {
            VFI_ASSIGN_OR_RETURN(f, passThrough(*decoded));
        } else {
            profile::WallScope scope(profile::kEncodeThread, "colour -> YUV");
            VFI_ASSIGN_OR_RETURN(f, fromRgb(rgb));
        }
        f->pts = pts;
        // FFV1 writes each frame's aspect ratio: the same value for source and generated frames.
        f->sample_aspect_ratio = e->sample_aspect_ratio;
        f->chroma_location = e->chroma_sample_location;
        if (m_stats.frames == 0) {
            f->pict_type = AV_PICTURE_TYPE_I;
            f->key_frame = 1;
            m_stats.firstPts = pts;
        }
        m_stats.lastPts = pts;
        ++m_stats.frames;
        profile::WallScope scope(profile::kEncodeThread, "encode");
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
        // The last buffered bytes reach the file here: a full disk may show only now.
        rc = avio_closep(&m_mux->pb);
        if (rc < 0) return avError("closing " + m_path, rc);
        m_stats.payloadHash = m_payloads.finish();
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
        f->chroma_location = e->chroma_sample_location;
        return f;
    }

    Result<AvFramePtr> fromRgb(const RgbFrame& rgb) {
        // Same float converter (matrix, range, rounding) as the decode side: media::ColourConverter.
        // Pixel buffers from a pool: a fresh 1080p/4K buffer per generated frame cost page faults
        // (the kernel zeroing it) and left the heap fragmented between chunks.
        const AVPixelFormat fmt = m_enc->pix_fmt;
        const int size = av_image_get_buffer_size(fmt, rgb.width, rgb.height, kFrameAlign);
        if (size < 0) return avError("av_image_get_buffer_size", size);
        if (!m_framePool || size != m_framePoolSize) {
            m_framePool.reset(av_buffer_pool_init(static_cast<size_t>(size), nullptr));
            m_framePoolSize = size;
            if (!m_framePool) return makeError(ErrorCode::Internal, "av_buffer_pool_init failed", {"out of memory"});
        }
        AvFramePtr f = makeFrame();
        if (!f) return makeError(ErrorCode::Internal, "av_frame_alloc failed", {"out of memory"});
        f->format = fmt;
        f->width = rgb.width;
        f->height = rgb.height;
        f->buf[0] = av_buffer_pool_get(m_framePool.get());
        if (!f->buf[0]) return makeError(ErrorCode::Internal, "av_buffer_pool_get failed", {"out of memory"});
        const int rc = av_image_fill_arrays(f->data, f->linesize, f->buf[0]->data, fmt, rgb.width, rgb.height, kFrameAlign);
        if (rc < 0) return avError("av_image_fill_arrays", rc);
        VFI_TRY(m_conv->fromRgb(rgb, *f));
        return f;
    }
    static constexpr int kFrameAlign = 64;

    Status drain() {
        for (;;) {
            int rc = avcodec_receive_packet(m_enc.get(), m_pkt.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return {};
            if (rc < 0) return avError("avcodec_receive_packet(" + m_path + ")", rc);
            m_pkt->stream_index = 0;
            av_packet_rescale_ts(m_pkt.get(), m_enc->time_base, m_stream->time_base);
            ++m_stats.packets;
            // NUT stores payloads as given (no start-code rewriting): the raw bytes are what the file holds.
            m_payloads.add(m_pkt->data, static_cast<size_t>(m_pkt->size));
            rc = av_interleaved_write_frame(m_mux.get(), m_pkt.get());
            if (rc < 0 && media::isDiskFullError(rc)) return avError("cannot write chunk " + m_path, rc);
            if (rc < 0) return makeError(ErrorCode::Io, "cannot write chunk " + m_path + ": " + avErrorText(rc), {m_path, avErrorText(rc)});
        }
    }

    std::string m_path;
    AvCodecContextPtr m_enc;
    AvOutputContextPtr m_mux;
    AVStream* m_stream = nullptr;
    AvPacketPtr m_pkt;
    std::unique_ptr<media::ColourConverter> m_conv;
    struct BufferPoolFree {
        void operator()(AVBufferPool* p) const { av_buffer_pool_uninit(&p); }   // frees once the encoder lets go
    };
    std::unique_ptr<AVBufferPool, BufferPoolFree> m_framePool;
    int m_framePoolSize = 0;
    ChunkStats m_stats;
    media::PayloadHash m_payloads;
};

}  // namespace

Result<std::unique_ptr<ChunkEncoder>> openChunkEncoder(const std::string& path, const EncodeChoice& choice, const SourceIndex& src,
                                                       Rational outputTimeBase) {
    auto e = std::make_unique<LibavChunkEncoder>();
    VFI_TRY(e->open(path, choice, src, outputTimeBase));
    return std::unique_ptr<ChunkEncoder>(std::move(e));
}

}  // namespace vfi::pipeline
