// Pipeline side of the media layer: media::VideoSource (index + decode), media::ColourConverter
// (float RGB) behind the runner's narrow interface; encoding is in media_encode.cpp.
#include "pipeline/media_adapter.h"

#include <algorithm>
#include <optional>
#include <filesystem>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "media/colour_converter.h"
#include "vfi/stage_profile.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;

namespace {

SourceIndex describe(const media::VideoSource& src) {
    const media::SourceInfo& si = src.info();
    const media::FrameIndex& fi = src.index();
    SourceIndex idx;
    idx.pts = fi.pts;
    idx.timeBase = fi.timeBase;
    idx.width = si.width;
    idx.height = si.height;
    const char* pf = av_get_pix_fmt_name(si.pixFmt);
    idx.pixFmt = pf ? pf : "unknown";
    idx.bitDepth = si.bitDepth;
    idx.colour = si.colourInfo();
    idx.rotationDegrees = si.rotationDegrees;
    idx.layout = si.codec + " " + std::to_string(si.width) + "x" + std::to_string(si.height) + " " + idx.pixFmt + " tb " +
                 std::to_string(fi.timeBase.num) + "/" + std::to_string(fi.timeBase.den);
    if (idx.pts.size() >= 2) {
        const int64_t d0 = idx.pts[1] - idx.pts[0];
        for (size_t i = 2; i < idx.pts.size(); ++i)
            if (idx.pts[i] - idx.pts[i - 1] != d0) idx.variableFrameRate = true;
        idx.fps = static_cast<double>(idx.pts.size() - 1) / ((idx.pts.back() - idx.pts.front()) * fi.timeBase.toDouble());
    } else {
        idx.fps = si.frameRate.num > 0 ? si.frameRate.toDouble() : 30.0;
    }
    idx.lastDuration = fi.lastFrameDuration > 0 ? fi.lastFrameDuration
                       : idx.pts.size() >= 2 ? idx.pts.back() - idx.pts[idx.pts.size() - 2]
                                              : std::max<int64_t>(1, static_cast<int64_t>(fi.timeBase.den / (idx.fps * std::max(1, fi.timeBase.num))));
    idx.info = std::make_shared<media::SourceInfo>(si);
    return idx;
}

class MediaRangeDecoder final : public RangeDecoder {
public:
    MediaRangeDecoder(media::VideoSource src) : m_src(std::move(src)), m_conv(media::ColourSpec::fromSource(m_src.info()), 1) {}

    Status setRange(int64_t begin, int64_t end) override {
        m_end = end;
        // Consecutive chunks share one frame (the pair partner): replay it instead of seeking back.
        m_replay = m_last && begin == m_lastIndex && m_next == begin + 1;
        if (!m_replay && begin != m_next) {
            VFI_TRY(m_src.seekToFrame(begin));
            m_next = begin;
        }
        return {};
    }

    Result<bool> next(RgbFrame& out, media::AvFramePtr& decoded, int64_t& sourceIndex) override {
        if (m_replay) {
            m_replay = false;
            // Converted again rather than kept: a float copy of every decoded frame cost more than one
            // extra conversion per chunk.
            decoded.reset(av_frame_clone(m_last.get()));
            if (!decoded) return makeError(ErrorCode::Internal, "av_frame_clone failed", {"out of memory"});
            out = RgbFrame::uninitialized(decoded->width, decoded->height);
            {
                profile::WallScope scope(profile::kDecodeThread, "colour -> RGB");
                VFI_TRY(m_conv.toRgb(*decoded, out));
            }
            sourceIndex = m_lastIndex;
            return true;
        }
        if (m_next >= m_end) return false;
        media::DecodedFrame f;
        std::optional<profile::WallScope> decodeScope(std::in_place, profile::kDecodeThread, "decode");
        VFI_ASSIGN_OR_RETURN(bool more, m_src.next(f));
        decodeScope.reset();
        if (!more)
            return makeError(ErrorCode::TruncatedInput, "frame " + std::to_string(m_next) + " could not be decoded",
                             {m_src.info().path, "frame " + std::to_string(m_next)});
        if (f.index != m_next)
            return makeError(ErrorCode::Internal, "decoder returned frame " + std::to_string(f.index) + ", expected " + std::to_string(m_next),
                             {"frame order"});
        out = RgbFrame::uninitialized(f.frame->width, f.frame->height);
        {
            profile::WallScope scope(profile::kDecodeThread, "colour -> RGB");
            VFI_TRY(m_conv.toRgb(*f.frame, out));
        }
        m_last.reset(av_frame_clone(f.frame.get()));
        m_lastIndex = m_next;
        decoded = std::move(f.frame);
        sourceIndex = m_next++;
        return true;
    }

    LumaThumb thumbnail(const RgbFrame& rgb, const AVFrame* decoded) const override {
        LumaThumb t;
        const media::ColourSpec& spec = m_conv.spec();
        if (decoded && makeLumaThumbFromLuma(*decoded, spec.matrix == AVCOL_SPC_BT709, spec.range == AVCOL_RANGE_JPEG, t)) return t;
        return makeLumaThumb(rgb);
    }

private:
    media::VideoSource m_src;
    media::ColourConverter m_conv;
    int64_t m_next = 0, m_end = 0;
    media::AvFramePtr m_last;
    int64_t m_lastIndex = -1;
    bool m_replay = false;
};

}  // namespace

Result<SourceIndex> indexSource(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(media::VideoSource src, media::VideoSource::open(path));
    VFI_TRY(src.index().checkComplete(path));
    SourceIndex idx = describe(src);
    if (idx.pts.empty()) return makeError(ErrorCode::NotAVideo, path + " has no video frames", {path, "no frames"});
    return idx;
}

Result<std::unique_ptr<RangeDecoder>> openRangeDecoder(const std::string& path, const SourceIndex&, int64_t begin, int64_t end) {
    VFI_ASSIGN_OR_RETURN(media::VideoSource src, media::VideoSource::open(path));
    auto d = std::make_unique<MediaRangeDecoder>(std::move(src));
    VFI_TRY(d->setRange(begin, end));
    return std::unique_ptr<RangeDecoder>(std::move(d));
}

}  // namespace vfi::pipeline
