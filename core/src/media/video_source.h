// Decoding a source video in presentation order (issue 2 item 2). Streaming: holds one packet and the
// decoder's own reorder/thread buffers, never the video.
//
// open() builds the FrameIndex (demux pass), then opens the decoder (frame threads allowed; the
// output order and values do not depend on the thread count). Every decoded frame is matched to the
// index by its best-effort timestamp; DecodedFrame::index is its position in the index.
//
// seekToFrame(i): seek to the keyframe at or before frame i, decode forward, drop frames before i;
// the next next() returns frame i exactly. A decoded timestamp absent from the index, or frame i not
// produced, fails loudly (TruncatedInput for a truncated file, Internal otherwise).
//
// Truncated input (e.g. cut at 50 %): documented in docs/formats.md. The index holds what the
// demuxer could read and is flagged `truncated`; next() returns every decodable frame and then,
// instead of end-of-stream, an Error{TruncatedInput}. Also when the decoder produces fewer frames than
// the index lists, the end is reported as TruncatedInput, never silently.
//
// Time base: all pts are in SourceInfo::timeBase (the stream's). Not thread-safe: one thread per
// VideoSource. Move-only.
#pragma once

extern "C" {
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixfmt.h>
}

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "media/av_ptr.h"
#include "media/frame_index.h"
#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi::media {

struct SourceInfo {
    std::string path;
    std::string codec;                    // decoder name, e.g. "h264", "hevc", "prores"
    AVCodecID codecId = AV_CODEC_ID_NONE;
    int width = 0;
    int height = 0;
    AVPixelFormat pixFmt = AV_PIX_FMT_NONE;
    int bitDepth = 8;                     // of the luma component
    Rational timeBase;                    // stream time base (all pts)
    Rational frameRate;                   // average frame rate (0/1 if unknown)
    Rational sampleAspectRatio{0, 1};
    AVColorPrimaries primaries = AVCOL_PRI_UNSPECIFIED;
    AVColorTransferCharacteristic transfer = AVCOL_TRC_UNSPECIFIED;
    AVColorSpace matrix = AVCOL_SPC_UNSPECIFIED;
    AVColorRange range = AVCOL_RANGE_UNSPECIFIED;
    AVChromaLocation chromaLocation = AVCHROMA_LOC_UNSPECIFIED;
    std::optional<AVMasteringDisplayMetadata> masteringDisplay;
    std::optional<AVContentLightMetadata> contentLight;
    std::optional<std::array<int32_t, 9>> displayMatrix;   // as stored (AV_PKT_DATA_DISPLAYMATRIX)
    double rotationDegrees = 0;           // counter-clockwise, from the display matrix

    ColourInfo colourInfo() const;        // public-API view (FFmpeg names)
};

struct DecodedFrame {
    AvFramePtr frame;                     // owned; native pixel format of the decoder
    int64_t index = -1;                   // position in the FrameIndex
    int64_t pts = 0;                      // SourceInfo::timeBase
};

class VideoSource {
public:
    struct Options {
        int threads = 0;                  // decoder threads; 0 = FFmpeg's choice
    };

    ~VideoSource();
    VideoSource(VideoSource&&) noexcept;
    VideoSource& operator=(VideoSource&&) noexcept;

    // Errors: InputNotFound, NotAVideo, NoVideoStream, UnsupportedCodec (names the codec),
    // TruncatedInput (MP4 cut before its index box), Ffmpeg. A truncated-but-readable file opens.
    static Result<VideoSource> open(const std::string& path, Options options);
    static Result<VideoSource> open(const std::string& path) { return open(path, Options{}); }

    const SourceInfo& info() const;
    const FrameIndex& index() const;

    // Next frame in presentation order. Returns false at the end of a complete file.
    Result<bool> next(DecodedFrame& out);
    // Positions the source so that the next next() returns frame `index` (0 <= index < count).
    Status seekToFrame(int64_t index);

private:
    struct Impl;
    explicit VideoSource(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vfi::media
