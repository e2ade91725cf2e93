#include "media/video_source.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cstring>

#include "media/checked_enum.h"
#include "media/input_file.h"
#include "vfi/log.h"

namespace vfi::media {

namespace {

std::string nameOr(const char* name) { return name ? name : "unknown"; }

}  // namespace

ColourInfo SourceInfo::colourInfo() const {
    ColourInfo c;
    c.primaries = nameOr(av_color_primaries_name(primaries));
    c.transfer = nameOr(av_color_transfer_name(transfer));
    c.matrix = nameOr(av_color_space_name(matrix));
    c.range = nameOr(av_color_range_name(range));
    if (c.range == "unknown" || range == AVCOL_RANGE_UNSPECIFIED) c.range = "unknown";
    c.hdr = transfer == AVCOL_TRC_SMPTE2084 || transfer == AVCOL_TRC_ARIB_STD_B67;
    c.hasMasteringDisplay = masteringDisplay.has_value();
    c.hasContentLight = contentLight.has_value();
    return c;
}

struct VideoSource::Impl {
    SourceInfo info;
    FrameIndex index;
    InputFile in;
    AvCodecContextPtr dec;
    AvPacketPtr pkt = makePacket();
    DecodedFrame pending;         // a frame decoded ahead (first frame peek, seek target)
    bool hasPending = false;
    int64_t nextIndex = 0;        // index of the frame next() must return
    bool demuxEof = false;
    bool flushed = false;
    std::string readError;

    Error truncated(const std::string& detail) const {
        return makeError(ErrorCode::TruncatedInput, info.path + " is truncated or damaged: " + detail, {info.path, detail});
    }

    // Decodes until a frame with index >= nextIndex (frames before it are dropped); returns false at
    // the decoder's end. Verifies every frame against the index.
    Result<bool> decodeOne(DecodedFrame& out) {
        AvFramePtr frame = makeFrame();
        for (;;) {
            int rc = avcodec_receive_frame(dec.get(), frame.get());
            if (rc == 0) {
                const int64_t t = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
                const auto pos = index.find(t);
                if (!pos) {
                    const int64_t expected = nextIndex < index.count() ? index.pts[static_cast<size_t>(nextIndex)] : -1;
                    if (nextIndex < index.count() && t < expected) {  // leading frames before a seek target
                        av_frame_unref(frame.get());
                        continue;
                    }
                    return makeError(ErrorCode::Internal,
                                     info.path + ": decoded a frame with pts " + std::to_string(t) +
                                         " that the index does not list (expected frame " + std::to_string(nextIndex) +
                                         " at pts " + std::to_string(expected) + ")",
                                     {"frame index mismatch"});
                }
                if (*pos < nextIndex) {
                    av_frame_unref(frame.get());
                    continue;
                }
                out.frame = std::move(frame);
                out.index = *pos;
                out.pts = t;
                return true;
            }
            if (rc == AVERROR_EOF) return false;
            if (rc != AVERROR(EAGAIN)) return avError("avcodec_receive_frame(" + info.path + ")", rc);
            if (demuxEof) {
                if (flushed) return false;
                flushed = true;
                rc = avcodec_send_packet(dec.get(), nullptr);
                if (rc < 0 && rc != AVERROR_EOF) return avError("avcodec_send_packet(flush)", rc);
                continue;
            }
            rc = av_read_frame(in.fmt.get(), pkt.get());
            if (rc < 0) {
                demuxEof = true;
                if (rc != AVERROR_EOF) readError = avErrorText(rc);
                continue;
            }
            if (pkt->stream_index == in.videoStream) {
                rc = avcodec_send_packet(dec.get(), pkt.get());
                if (rc < 0 && rc != AVERROR(EAGAIN)) {
                    // Damaged data: the decoder conceals or drops; a lost frame is caught by the index check.
                    vfi::log(LogLevel::Warning, info.path + ": decoder rejected a packet (" + avErrorText(rc) + ")");
                }
            }
            av_packet_unref(pkt.get());
        }
    }

    Status restartFromFirstPacket() {
        VFI_ASSIGN_OR_RETURN(InputFile reopened, openInputFile(info.path));
        discardAllButVideo(reopened);
        in = std::move(reopened);
        resetDecodeState();
        return {};
    }

    // After a seek or a reopen: nothing buffered in the decoder, nothing decoded ahead.
    void resetDecodeState() {
        avcodec_flush_buffers(dec.get());
        demuxEof = false;
        flushed = false;
        hasPending = false;
    }

    enum class Landing { Target, OtherFrame, Nothing };
    // Decodes the first frame at or after `target` from the current read position; keeps it as the
    // pending frame when it is the target. Nothing: the decoder ended.
    Result<Landing> decodeTarget(int64_t target) {
        nextIndex = target;
        DecodedFrame f;
        VFI_ASSIGN_OR_RETURN(bool got, decodeOne(f));
        if (!got) return Landing::Nothing;
        if (f.index != target) return Landing::OtherFrame;
        pending = std::move(f);
        hasPending = true;
        return Landing::Target;
    }

    void captureFrameSideData(const AVFrame& f) {
        if (!info.masteringDisplay)
            if (const AVFrameSideData* sd = av_frame_get_side_data(&f, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA))
                info.masteringDisplay = *reinterpret_cast<const AVMasteringDisplayMetadata*>(sd->data);
        if (!info.contentLight)
            if (const AVFrameSideData* sd = av_frame_get_side_data(&f, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL))
                info.contentLight = *reinterpret_cast<const AVContentLightMetadata*>(sd->data);
        if (info.primaries == AVCOL_PRI_UNSPECIFIED) info.primaries = checkedEnum(f.color_primaries, AVCOL_PRI_NB, AVCOL_PRI_UNSPECIFIED);
        if (info.transfer == AVCOL_TRC_UNSPECIFIED) info.transfer = checkedEnum(f.color_trc, AVCOL_TRC_NB, AVCOL_TRC_UNSPECIFIED);
        if (info.matrix == AVCOL_SPC_UNSPECIFIED) info.matrix = checkedEnum(f.colorspace, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED);
        if (info.range == AVCOL_RANGE_UNSPECIFIED) info.range = checkedEnum(f.color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
        if (info.chromaLocation == AVCHROMA_LOC_UNSPECIFIED)
            info.chromaLocation = checkedEnum(f.chroma_location, AVCHROMA_LOC_NB, AVCHROMA_LOC_UNSPECIFIED);
    }
};

VideoSource::VideoSource(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
VideoSource::~VideoSource() = default;
VideoSource::VideoSource(VideoSource&&) noexcept = default;
VideoSource& VideoSource::operator=(VideoSource&&) noexcept = default;

const SourceInfo& VideoSource::info() const { return m_impl->info; }
const FrameIndex& VideoSource::index() const { return m_impl->index; }

Result<VideoSource> VideoSource::open(const std::string& path, Options options) {
    auto impl = std::make_unique<Impl>();
    VFI_ASSIGN_OR_RETURN(impl->index, buildFrameIndex(path));
    VFI_ASSIGN_OR_RETURN(impl->in, openInputFile(path));
    discardAllButVideo(impl->in);
    AVFormatContext* fmt = impl->in.fmt.get();
    AVStream* st = fmt->streams[impl->in.videoStream];
    const AVCodecParameters* par = st->codecpar;
    const char* codecName = avcodec_get_name(par->codec_id);
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        return makeError(ErrorCode::UnsupportedCodec,
                         path + ": video codec " + std::string(codecName) + " cannot be decoded by this FFmpeg build",
                         {codecName});

    SourceInfo& info = impl->info;
    info.path = path;
    info.codec = codecName;
    info.codecId = par->codec_id;
    info.width = par->width;
    info.height = par->height;
    info.pixFmt = static_cast<AVPixelFormat>(par->format);
    info.timeBase = {st->time_base.num, st->time_base.den};
    info.frameRate = {st->avg_frame_rate.num, st->avg_frame_rate.den ? st->avg_frame_rate.den : 1};
    info.sampleAspectRatio = {par->sample_aspect_ratio.num, par->sample_aspect_ratio.den ? par->sample_aspect_ratio.den : 1};
    info.primaries = checkedEnum(par->color_primaries, AVCOL_PRI_NB, AVCOL_PRI_UNSPECIFIED);
    info.transfer = checkedEnum(par->color_trc, AVCOL_TRC_NB, AVCOL_TRC_UNSPECIFIED);
    info.matrix = checkedEnum(par->color_space, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED);
    info.range = checkedEnum(par->color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
    info.chromaLocation = checkedEnum(par->chroma_location, AVCHROMA_LOC_NB, AVCHROMA_LOC_UNSPECIFIED);
    size_t sdSize = 0;
    if (const uint8_t* sd = av_stream_get_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, &sdSize))
        if (sdSize >= sizeof(AVMasteringDisplayMetadata)) info.masteringDisplay = *reinterpret_cast<const AVMasteringDisplayMetadata*>(sd);
    if (const uint8_t* sd = av_stream_get_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, &sdSize))
        if (sdSize >= sizeof(AVContentLightMetadata)) info.contentLight = *reinterpret_cast<const AVContentLightMetadata*>(sd);
    if (const uint8_t* sd = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &sdSize)) {
        if (sdSize >= 9 * sizeof(int32_t)) {
            std::array<int32_t, 9> m{};
            std::memcpy(m.data(), sd, sizeof m);
            info.displayMatrix = m;
            const double r = av_display_rotation_get(m.data());
            info.rotationDegrees = r == r ? r : 0;  // NaN for a degenerate matrix
        }
    }

    impl->dec.reset(avcodec_alloc_context3(codec));
    if (!impl->dec) return makeError(ErrorCode::Internal, "avcodec_alloc_context3 failed", {"out of memory"});
    int rc = avcodec_parameters_to_context(impl->dec.get(), par);
    if (rc < 0) return avError("avcodec_parameters_to_context(" + path + ")", rc);
    impl->dec->pkt_timebase = st->time_base;
    impl->dec->thread_count = options.threads;
    impl->dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    rc = avcodec_open2(impl->dec.get(), codec, nullptr);
    if (rc < 0)
        return makeError(ErrorCode::UnsupportedCodec, path + ": cannot open the " + std::string(codecName) + " decoder (" + avErrorText(rc) + ")",
                         {codecName});

    // Peek the first frame: the decoder knows tags/HDR SEI that some containers do not carry.
    auto first = impl->decodeOne(impl->pending);
    if (!first) return first.takeError();
    if (!*first) return impl->truncated("no frame of the video could be decoded");
    impl->hasPending = true;
    impl->captureFrameSideData(*impl->pending.frame);
    if (info.pixFmt == AV_PIX_FMT_NONE) info.pixFmt = static_cast<AVPixelFormat>(impl->pending.frame->format);
    if (const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(info.pixFmt)) info.bitDepth = d->comp[0].depth;
    return VideoSource(std::move(impl));
}

Result<bool> VideoSource::next(DecodedFrame& out) {
    Impl& d = *m_impl;
    if (d.hasPending) {
        d.hasPending = false;
        out = std::move(d.pending);
    } else {
        if (d.nextIndex >= d.index.count()) {
            // The index is exhausted; anything the decoder still holds would be unindexed.
            if (d.index.truncated) return d.truncated(d.index.truncationDetail);
            return false;
        }
        auto got = d.decodeOne(out);
        if (!got) return got.takeError();
        if (!*got) {
            std::string detail = "the decoder ended after frame " + std::to_string(d.nextIndex) + " of " +
                                 std::to_string(d.index.count()) + " indexed frames";
            if (d.index.truncated) detail = d.index.truncationDetail;
            else if (!d.readError.empty()) detail += " (" + d.readError + ")";
            return d.truncated(detail);
        }
    }
    if (out.index != d.nextIndex) {
        const std::string detail = "frame " + std::to_string(d.nextIndex) + " (pts " +
                                   std::to_string(d.index.pts[static_cast<size_t>(d.nextIndex)]) +
                                   ") was not decoded; the decoder produced frame " + std::to_string(out.index) + " next";
        if (d.index.truncated) return d.truncated(detail);
        return makeError(ErrorCode::Internal, d.info.path + ": " + detail, {detail});
    }
    ++d.nextIndex;
    return true;
}

Status VideoSource::seekToFrame(int64_t target) {
    Impl& d = *m_impl;
    if (target < 0 || target >= d.index.count())
        return makeError(ErrorCode::InvalidArgument,
                         "frame " + std::to_string(target) + " is outside 0.." + std::to_string(d.index.count() - 1),
                         {"frame", std::to_string(target)});
    auto kfPos = std::upper_bound(d.index.keyframes.begin(), d.index.keyframes.end(), target) - d.index.keyframes.begin() - 1;
    // Each retry starts one keyframe earlier: a demuxer may land after the keyframe we asked for
    // (dts-based seeking with B-frames), the last resort is the first frame.
    for (int attempt = 0; attempt < 4; ++attempt, --kfPos) {
        const int64_t kf = kfPos >= 0 ? d.index.keyframes[static_cast<size_t>(kfPos)] : 0;
        const int64_t ts = kfPos >= 0 ? d.index.pts[static_cast<size_t>(kf)] : INT64_MIN;
        int rc = av_seek_frame(d.in.fmt.get(), d.in.videoStream, ts, AVSEEK_FLAG_BACKWARD);
        if (rc < 0 && ts != INT64_MIN) rc = av_seek_frame(d.in.fmt.get(), d.in.videoStream, d.index.pts.front(), AVSEEK_FLAG_BACKWARD);
        if (rc < 0) return avError("av_seek_frame(" + d.info.path + ")", rc);
        d.resetDecodeState();
        VFI_ASSIGN_OR_RETURN(const Impl::Landing landed, d.decodeTarget(target));
        if (landed == Impl::Landing::Target) return {};
        if (landed == Impl::Landing::Nothing) {
            if (d.index.truncated) return d.truncated("frame " + std::to_string(target) + " could not be decoded after seeking");
            return makeError(ErrorCode::Internal, d.info.path + ": seeking to frame " + std::to_string(target) + " decoded nothing", {"seek"});
        }
        if (kfPos < 0) break;
    }
    // Last resort: decode forward from the file's first packet. An MP4 edit list can hide the
    // keyframe a frame depends on (the index lists presented frames only), and demuxers seek to
    // presented timestamps; reopening reaches every packet, hidden ones included.
    VFI_TRY(d.restartFromFirstPacket());
    VFI_ASSIGN_OR_RETURN(const Impl::Landing landed, d.decodeTarget(target));
    if (landed == Impl::Landing::Target) return {};
    return makeError(ErrorCode::Internal,
                     d.info.path + ": seeking could not reach frame " + std::to_string(target) + " (pts " +
                         std::to_string(d.index.pts[static_cast<size_t>(target)]) + ")",
                     {"seek mismatch"});
}

}  // namespace vfi::media
