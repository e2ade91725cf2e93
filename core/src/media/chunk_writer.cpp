#include "media/chunk_writer.h"

extern "C" {
#include <libavutil/hash.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include "media/input_file.h"
#include "media/video_source.h"

namespace vfi::media {

namespace fs = std::filesystem;

namespace {

struct HashDeleter {
    void operator()(AVHashContext* h) const { av_hash_freep(&h); }
};
using HashPtr = std::unique_ptr<AVHashContext, HashDeleter>;

Status setOption(AVCodecContext* ctx, const std::string& key, const std::string& value) {
    // Encoder-private options first ("profile" means different things on the two objects).
    int rc = ctx->priv_data ? av_opt_set(ctx->priv_data, key.c_str(), value.c_str(), 0) : AVERROR_OPTION_NOT_FOUND;
    if (rc == AVERROR_OPTION_NOT_FOUND) rc = av_opt_set(ctx, key.c_str(), value.c_str(), 0);
    if (rc < 0) return avError("setting encoder option " + key + "=" + value, rc);
    return {};
}

}  // namespace

struct ChunkWriter::Impl {
    std::string path;
    ResolvedEncode encode;
    ChunkFormat format;
    ColourConverter converter{ColourSpec{}};
    AvOutputContextPtr oc;
    AvCodecContextPtr enc;
    AVStream* stream = nullptr;
    AvPacketPtr pkt = makePacket();
    HashPtr hash;
    int64_t frames = 0;
    int64_t lastPts = AV_NOPTS_VALUE;
    int64_t firstPts = AV_NOPTS_VALUE;
    std::vector<int64_t> packetPts;   // decode order
    bool finished = false;

    Status drain() {
        for (;;) {
            int rc = avcodec_receive_packet(enc.get(), pkt.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return {};
            if (rc < 0) return avError("avcodec_receive_packet(" + encode.encoder + ")", rc);
            if (packetPts.empty() && !(pkt->flags & AV_PKT_FLAG_KEY))
                return makeError(ErrorCode::Internal, path + ": the encoder's first packet is not a keyframe", {"first packet not key"});
            packetPts.push_back(pkt->pts);
            av_hash_update(hash.get(), pkt->data, static_cast<size_t>(pkt->size));
            const int64_t meta[2] = {pkt->pts, static_cast<int64_t>(pkt->flags & AV_PKT_FLAG_KEY)};
            av_hash_update(hash.get(), reinterpret_cast<const uint8_t*>(meta), sizeof meta);
            av_packet_rescale_ts(pkt.get(), enc->time_base, stream->time_base);
            pkt->stream_index = stream->index;
            rc = av_write_frame(oc.get(), pkt.get());
            av_packet_unref(pkt.get());
            if (rc < 0) return avError("av_write_frame(" + path + ")", rc);
        }
    }

    Status send(AVFrame* frame, int64_t pts) {
        if (finished) return makeError(ErrorCode::Internal, "ChunkWriter::write after finish()", {"write after finish"});
        if (lastPts != AV_NOPTS_VALUE && pts <= lastPts)
            return makeError(ErrorCode::InvalidArgument,
                             "chunk frame pts " + std::to_string(pts) + " does not follow " + std::to_string(lastPts),
                             {"pts", std::to_string(pts)});
        frame->pts = pts;
        frame->pict_type = frames == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
        frame->key_frame = frames == 0 ? 1 : 0;
        int rc = avcodec_send_frame(enc.get(), frame);
        if (rc < 0) return avError("avcodec_send_frame(" + encode.encoder + ")", rc);
        if (firstPts == AV_NOPTS_VALUE) firstPts = pts;
        lastPts = pts;
        ++frames;
        return drain();
    }
};

ChunkWriter::ChunkWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ChunkWriter::~ChunkWriter() = default;
ChunkWriter::ChunkWriter(ChunkWriter&&) noexcept = default;
ChunkWriter& ChunkWriter::operator=(ChunkWriter&&) noexcept = default;

Result<ChunkWriter> ChunkWriter::open(const std::string& path, const ResolvedEncode& encode, const ChunkFormat& format) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->encode = encode;
    impl->format = format;
    impl->converter = ColourConverter(format.colour);
    std::string container = fs::path(path).extension().string();
    container = container == ".mov" ? "mov" : container == ".nut" ? "nut" : encode.chunkContainer;
    if (container != "mov" && container != "nut")
        return makeError(ErrorCode::UnsupportedFormat, "chunk container must be MOV or NUT, not " + container, {encode.encoder, encode.pixFmtName, container});
    if (container == "nut" && encode.maxBFrames > 0)
        return makeError(ErrorCode::UnsupportedFormat,
                         "NUT chunks cannot hold " + encode.encoder + " with B-frames (negative decode timestamps would shift every pts); use .mov",
                         {encode.encoder, encode.pixFmtName, container});
    if (format.width <= 0 || format.height <= 0 || format.timeBase.num <= 0 || format.timeBase.den <= 0)
        return makeError(ErrorCode::InvalidArgument, "chunk format needs a size and a time base", {"format", ""});

    AVFormatContext* raw = nullptr;
    int rc = avformat_alloc_output_context2(&raw, nullptr, container.c_str(), path.c_str());
    if (rc < 0 || !raw) return avError("avformat_alloc_output_context2(" + container + ")", rc);
    impl->oc.reset(raw);
    const AVCodec* codec = avcodec_find_encoder_by_name(encode.encoder.c_str());
    if (!codec) return makeError(ErrorCode::EncoderUnavailable, "encoder " + encode.encoder + " is not in this FFmpeg build", {encode.encoder, "missing"});
    impl->enc.reset(avcodec_alloc_context3(codec));
    AVCodecContext* c = impl->enc.get();
    c->width = format.width;
    c->height = format.height;
    c->pix_fmt = encode.pixFmt;
    c->time_base = {format.timeBase.num, format.timeBase.den};
    if (format.frameRate.num > 0 && format.frameRate.den > 0) c->framerate = {format.frameRate.num, format.frameRate.den};
    c->gop_size = encode.gopSize;
    c->max_b_frames = encode.maxBFrames;
    if (encode.refs > 0) c->refs = encode.refs;
    c->thread_count = encode.threads;
    c->flags |= AV_CODEC_FLAG_CLOSED_GOP;
    if (raw->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    const bool rgbOut = (av_pix_fmt_desc_get(encode.pixFmt)->flags & AV_PIX_FMT_FLAG_RGB) != 0;
    c->color_primaries = format.colour.primaries;
    c->color_trc = format.colour.transfer;
    c->colorspace = rgbOut ? AVCOL_SPC_RGB : format.colour.matrix;
    c->color_range = rgbOut ? AVCOL_RANGE_JPEG : format.colour.range;
    c->chroma_sample_location = format.colour.chromaLocation;
    if (format.source && format.source->sampleAspectRatio.num > 0)
        c->sample_aspect_ratio = {format.source->sampleAspectRatio.num, format.source->sampleAspectRatio.den};
    for (const auto& [k, v] : encode.codecOptions) VFI_TRY(setOption(c, k, v));
    rc = avcodec_open2(c, codec, nullptr);
    if (rc < 0)
        return makeError(ErrorCode::EncoderUnavailable, "cannot open " + encode.encoder + " for " + std::to_string(format.width) + "x" +
                                                            std::to_string(format.height) + " " + encode.pixFmtName + " (" + avErrorText(rc) + ")",
                         {encode.encoder, avErrorText(rc)});

    impl->stream = avformat_new_stream(raw, nullptr);
    if (!impl->stream) return makeError(ErrorCode::Internal, "avformat_new_stream failed", {"out of memory"});
    impl->stream->time_base = c->time_base;
    rc = avcodec_parameters_from_context(impl->stream->codecpar, c);
    if (rc < 0) return avError("avcodec_parameters_from_context", rc);
    if (format.source && format.source->displayMatrix) {
        if (uint8_t* sd = av_stream_new_side_data(impl->stream, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)))
            std::memcpy(sd, format.source->displayMatrix->data(), 9 * sizeof(int32_t));
    }
    if (format.source && format.source->masteringDisplay) {
        if (uint8_t* sd = av_stream_new_side_data(impl->stream, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, sizeof(AVMasteringDisplayMetadata)))
            std::memcpy(sd, &*format.source->masteringDisplay, sizeof(AVMasteringDisplayMetadata));
    }
    if (format.source && format.source->contentLight) {
        if (uint8_t* sd = av_stream_new_side_data(impl->stream, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, sizeof(AVContentLightMetadata)))
            std::memcpy(sd, &*format.source->contentLight, sizeof(AVContentLightMetadata));
    }
    rc = avio_open(&raw->pb, path.c_str(), AVIO_FLAG_WRITE);
    if (rc < 0)
        return makeError(ErrorCode::OutputNotWritable, "cannot write " + path + " (" + avErrorText(rc) + ")", {path, avErrorText(rc)});
    rc = avformat_write_header(raw, nullptr);
    if (rc < 0) return avError("avformat_write_header(" + path + ")", rc);
    AVHashContext* h = nullptr;
    if (av_hash_alloc(&h, "SHA256") < 0) return makeError(ErrorCode::Internal, "av_hash_alloc(SHA256) failed", {"hash"});
    impl->hash.reset(h);
    av_hash_init(h);
    return ChunkWriter(std::move(impl));
}

Status ChunkWriter::write(const RgbFrame& rgb, int64_t pts) {
    Impl& d = *m_impl;
    if (rgb.width != d.format.width || rgb.height != d.format.height)
        return makeError(ErrorCode::InvalidArgument, "frame size differs from the chunk's", {"size", std::to_string(rgb.width) + "x" + std::to_string(rgb.height)});
    VFI_ASSIGN_OR_RETURN(AvFramePtr frame, d.converter.fromRgb(rgb, d.encode.pixFmt));
    return d.send(frame.get(), pts);
}

Status ChunkWriter::write(const AVFrame& in, int64_t pts) {
    Impl& d = *m_impl;
    if (in.width != d.format.width || in.height != d.format.height)
        return makeError(ErrorCode::InvalidArgument, "frame size differs from the chunk's", {"size", std::to_string(in.width) + "x" + std::to_string(in.height)});
    if (in.format == d.encode.pixFmt) {
        AvFramePtr ref(av_frame_clone(&in));
        if (!ref) return makeError(ErrorCode::Internal, "av_frame_clone failed", {"out of memory"});
        ref->color_primaries = d.format.colour.primaries;
        ref->color_trc = d.format.colour.transfer;
        return d.send(ref.get(), pts);
    }
    RgbFrame rgb;
    VFI_TRY(d.converter.toRgb(in, rgb));
    return write(rgb, pts);
}

Result<ChunkStats> ChunkWriter::finish() {
    Impl& d = *m_impl;
    if (d.finished) return makeError(ErrorCode::Internal, "ChunkWriter::finish called twice", {"finish twice"});
    d.finished = true;
    int rc = avcodec_send_frame(d.enc.get(), nullptr);
    if (rc < 0 && rc != AVERROR_EOF) return avError("avcodec_send_frame(flush)", rc);
    VFI_TRY(d.drain());
    rc = av_write_trailer(d.oc.get());
    if (rc < 0) return avError("av_write_trailer(" + d.path + ")", rc);
    rc = avio_closep(&d.oc->pb);
    if (rc < 0) return avError("avio_close(" + d.path + ")", rc);
    const int fd = ::open(d.path.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
        if (fd >= 0) ::close(fd);
        return makeError(ErrorCode::Io, "cannot fsync " + d.path, {d.path, std::strerror(errno)});
    }
    ::close(fd);

    ChunkStats s;
    s.frames = d.frames;
    s.packets = static_cast<int64_t>(d.packetPts.size());
    std::error_code ec;
    s.bytes = static_cast<int64_t>(fs::file_size(d.path, ec));
    s.firstPts = d.firstPts == AV_NOPTS_VALUE ? 0 : d.firstPts;
    s.lastPts = d.lastPts == AV_NOPTS_VALUE ? 0 : d.lastPts;
    char hex[2 * AV_HASH_MAX_SIZE + 1] = {};
    av_hash_final_hex(d.hash.get(), reinterpret_cast<uint8_t*>(hex), sizeof hex);
    s.contentHash = hex;
    if (d.enc->extradata && d.enc->extradata_size > 0) s.extradataHash = sha256Hex(d.enc->extradata, static_cast<size_t>(d.enc->extradata_size));
    std::vector<int64_t> sorted = d.packetPts;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < d.packetPts.size(); ++i) {
        const auto rank = std::lower_bound(sorted.begin(), sorted.end(), d.packetPts[i]) - sorted.begin();
        s.reorderDelay = std::max(s.reorderDelay, static_cast<int>(static_cast<int64_t>(i) - rank));
    }
    return s;
}

}  // namespace vfi::media
