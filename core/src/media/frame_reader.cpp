// vfi::FrameReader on top of media::VideoSource: exact frame by index (seek to keyframe, decode
// forward, timestamp match), converted to 8-bit RGB with the source's matrix/range and scaled with
// swscale for display only (previews never feed the encoder).
#include "vfi/frame_reader.h"

#include <algorithm>

extern "C" {
#include <libswscale/swscale.h>
}

#include "media/colour_converter.h"
#include "media/video_source.h"

namespace vfi {

struct FrameReader::Impl {
    media::VideoSource source;
    media::ColourConverter converter;
    int64_t nextIndex = 0;   // the frame the source's next() returns without seeking
    media::SwsContextPtr sws;
};

FrameReader::FrameReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
FrameReader::~FrameReader() = default;
FrameReader::FrameReader(FrameReader&&) noexcept = default;
FrameReader& FrameReader::operator=(FrameReader&&) noexcept = default;

Result<FrameReader> FrameReader::open(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(media::VideoSource src, media::VideoSource::open(path));
    media::ColourConverter conv(media::ColourSpec::fromSource(src.info()));
    return FrameReader(std::unique_ptr<Impl>(new Impl{std::move(src), conv, 0, nullptr}));
}

int64_t FrameReader::frameCount() const { return m_impl->source.index().count(); }
double FrameReader::frameTime(int64_t index) const { return m_impl->source.index().secondsOf(index); }
int FrameReader::width() const { return m_impl->source.info().width; }
int FrameReader::height() const { return m_impl->source.info().height; }

Result<PreviewImage> FrameReader::frameAt(int64_t index, int maxWidth, int maxHeight) {
    Impl& d = *m_impl;
    if (index < 0 || index >= frameCount())
        return makeError(ErrorCode::InvalidArgument, "frame " + std::to_string(index) + " is outside 0.." + std::to_string(frameCount() - 1),
                         {"frame", std::to_string(index)});
    // Stepping forward a little is cheaper than seeking.
    if (index < d.nextIndex || index > d.nextIndex + 30) {
        VFI_TRY(d.source.seekToFrame(index));
        d.nextIndex = index;
    }
    media::DecodedFrame f;
    while (d.nextIndex <= index) {
        VFI_ASSIGN_OR_RETURN(bool got, d.source.next(f));
        if (!got) return makeError(ErrorCode::TruncatedInput, "frame " + std::to_string(index) + " could not be decoded", {"", "end of stream"});
        d.nextIndex = f.index + 1;
    }
    media::AvFramePtr rgbFrame;
    {
        RgbFrame rgb;
        VFI_TRY(d.converter.toRgb(*f.frame, rgb));
        VFI_ASSIGN_OR_RETURN(rgbFrame, d.converter.fromRgb(rgb, AV_PIX_FMT_RGB24));
    }
    int w = rgbFrame->width, h = rgbFrame->height;
    if ((maxWidth > 0 && w > maxWidth) || (maxHeight > 0 && h > maxHeight)) {
        const double s = std::min(maxWidth > 0 ? double(maxWidth) / w : 1e9, maxHeight > 0 ? double(maxHeight) / h : 1e9);
        w = std::max(1, static_cast<int>(w * s));
        h = std::max(1, static_cast<int>(h * s));
    }
    PreviewImage img;
    img.width = w;
    img.height = h;
    img.frameIndex = index;
    img.seconds = frameTime(index);
    img.rgb.resize(static_cast<size_t>(w) * h * 3);
    if (w == rgbFrame->width && h == rgbFrame->height) {
        for (int y = 0; y < h; ++y)
            std::copy_n(rgbFrame->data[0] + static_cast<ptrdiff_t>(y) * rgbFrame->linesize[0], w * 3, img.rgb.data() + static_cast<size_t>(y) * w * 3);
        return img;
    }
    d.sws.reset(sws_getCachedContext(d.sws.release(), rgbFrame->width, rgbFrame->height, AV_PIX_FMT_RGB24, w, h, AV_PIX_FMT_RGB24,
                                     SWS_AREA, nullptr, nullptr, nullptr));
    if (!d.sws) return makeError(ErrorCode::Internal, "cannot scale the preview", {"swscale"});
    uint8_t* dst[4] = {img.rgb.data(), nullptr, nullptr, nullptr};
    int dstStride[4] = {w * 3, 0, 0, 0};
    sws_scale(d.sws.get(), rgbFrame->data, rgbFrame->linesize, 0, rgbFrame->height, dst, dstStride);
    return img;
}

Result<PreviewImage> FrameReader::frameAtTime(double seconds, int maxWidth, int maxHeight) {
    const auto& idx = m_impl->source.index();
    if (idx.count() == 0) return makeError(ErrorCode::InvalidArgument, "the video has no frames", {"time", std::to_string(seconds)});
    int64_t lo = 0, hi = idx.count() - 1;
    while (lo < hi) {  // last frame whose time <= seconds
        const int64_t mid = (lo + hi + 1) / 2;
        if (idx.secondsOf(mid) <= seconds + 1e-9) lo = mid;
        else hi = mid - 1;
    }
    return frameAt(lo, maxWidth, maxHeight);
}

}  // namespace vfi
