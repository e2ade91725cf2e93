// YUV/RGB <-> vfi::RgbFrame (planar float, nominal [0,1], NOT clamped) with exact float arithmetic
// (no swscale), so source frames survive a round trip within one code value per plane.
//
// - Matrix and range come from the SOURCE (ColourSpec::fromSource): an untagged matrix is BT.709 for
//   height > 576, BT.601 (bt470bg/smpte170m) otherwise; BT.2020-NCL where tagged; untagged range is
//   limited (tv) for YUV and full for RGB/gray formats.
// - The transfer function is never applied (the model sees the coded values); it is carried as a tag.
// - Chroma upsampling replicates each chroma sample over its luma block and downsampling averages
//   the block: replicate-then-average is the identity, so a source frame's chroma comes back
//   unchanged (the model input sees blocky chroma edges; interpolated frames are box-filtered).
// - RGB -> integer codes rounds to nearest, halves up (a bias of 1/256 code before lrint, so the
//   average of two codes rounds like (a + b + 1) >> 1 whatever the float error), clamped only to the
//   code range [0, 2^depth-1].
// - Supported: planar YUV 8/9/10/12/16-bit little-endian (yuv420p, yuv422p, yuv444p, yuvj*, ...),
//   semi-planar nv12/nv21/p010le/p016le, gray/gray10le..., packed rgb24/bgr24/rgba/bgra/argb/abgr/
//   rgb0/bgr0, planar gbrp (8-16 bit). Big-endian, palette, bayer and hardware formats are refused.
// Fast paths (colour_fast_path.h): planar YUV/gray and semi-planar nv12/nv21/p010le/p016le... with
// 8-bit samples or 9..12-bit samples in little-endian 16-bit containers, chroma subsampled by at most 2
// in each direction and no alpha, run row-wise float kernels; everything else takes the generic
// per-sample double-precision path. Both follow the rules above; the fast path's float arithmetic
// differs from the generic path by a few float ulps on the way to RGB and, on the way back, by one
// code only where the exact code value lies within ~1e-4 code of the rounding boundary (.5 - 1/256),
// which neither decoded nor blended frames produce (test_colour compares the paths).
// Thread-safety: a converter is immutable after construction; calls may run concurrently. Each call
// splits rows over up to `threads` worker threads (0 = hardware concurrency, capped at 8).
#pragma once

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

#include "media/av_ptr.h"
#include "vfi/result.h"
#include "vfi/rgb_frame.h"

namespace vfi::media {

struct SourceInfo;

struct ColourSpec {
    AVColorSpace matrix = AVCOL_SPC_BT709;          // resolved (never UNSPECIFIED)
    AVColorRange range = AVCOL_RANGE_MPEG;          // resolved for YUV formats
    AVColorPrimaries primaries = AVCOL_PRI_UNSPECIFIED;              // tag only
    AVColorTransferCharacteristic transfer = AVCOL_TRC_UNSPECIFIED;  // tag only
    AVChromaLocation chromaLocation = AVCHROMA_LOC_UNSPECIFIED;      // tag only

    // Resolves untagged matrix/range as described above; keeps the source's tags. Primaries and
    // transfer stay as tagged (untagged stays unspecified: we do not invent tags for the output).
    static ColourSpec fromSource(const SourceInfo& source);
    static ColourSpec defaultFor(int height);       // untagged source of this height
};

class ColourConverter {
public:
    // Reference forces the generic per-sample path for every format: for tests and bench_colour,
    // which compare the fast paths with it.
    enum class Path { Auto, Reference };

    explicit ColourConverter(ColourSpec spec, int threads = 0, Path path = Path::Auto);

    const ColourSpec& spec() const { return m_spec; }

    // Converts `in` (any supported format, any size) into `out` (resized to in's size).
    Status toRgb(const AVFrame& in, RgbFrame& out) const;
    // New frame of `format` and rgb's size, tagged with spec (matrix, range, primaries, transfer,
    // chroma location). Odd sizes with subsampled chroma: the last chroma sample averages what exists.
    Result<AvFramePtr> fromRgb(const RgbFrame& rgb, AVPixelFormat format) const;
    // Writes into an allocated, writable frame (format/width/height set, must match rgb's size).
    Status fromRgb(const RgbFrame& rgb, AVFrame& out) const;

    static bool supports(AVPixelFormat format);
    // Whether `format` has a fast path (Path::Auto converts it without the generic code).
    static bool hasFastPath(AVPixelFormat format);

private:
    ColourSpec m_spec;
    int m_threads;
    Path m_path;
};

// Kr, Kb of a matrix (BT.709 for anything unknown); exposed for tests.
void matrixCoefficients(AVColorSpace matrix, double& kr, double& kb);

}  // namespace vfi::media
