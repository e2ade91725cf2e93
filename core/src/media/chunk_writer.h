// One chunk file = a FRESH encoder + a NUT (or MOV) muxer with an explicit fine time base
// (design.md §3). Frames are written with absolute output pts in `timeBase` (e.g. {1, 60000} for a
// 30000/1001 source at 2x: source tb / factor, so generated midpoints are exact). The first frame is
// forced to be a keyframe (IDR), the GOP is closed, the stream is tagged with the source's
// primaries/transfer/matrix/range/chroma location and carries its display matrix (MOV only; NUT has
// no side data, the joiner carries rotation).
//
// finish() drains the encoder, writes the trailer, fsyncs the file and returns ChunkStats. The writer
// only writes `path` (a temp name); renaming, verifying and recording are the pipeline's job.
// Not thread-safe: one thread per writer. Move-only. Destroying an unfinished writer leaves a partial
// file at `path` (the caller deletes/ignores it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "media/av_ptr.h"
#include "media/colour_converter.h"
#include "media/encoder_table.h"
#include "vfi/media_info.h"
#include "vfi/result.h"
#include "vfi/rgb_frame.h"

namespace vfi::media {

struct SourceInfo;

struct ChunkFormat {
    int width = 0;
    int height = 0;
    Rational timeBase{1, 60000};          // output time base of every pts
    Rational frameRate{0, 1};             // nominal output rate (informative; 0 = unknown)
    ColourSpec colour;                    // conversion + output tags (ColourSpec::fromSource)
    const SourceInfo* source = nullptr;   // optional: HDR and display matrix side data
};

struct ChunkStats {
    int64_t frames = 0;
    int64_t packets = 0;
    int64_t bytes = 0;                    // file size after the trailer
    int64_t firstPts = 0, lastPts = 0;    // presentation, ChunkFormat::timeBase
    std::string contentHash;              // SHA-256 hex over packet payloads, pts and flags
    std::string extradataHash;            // SHA-256 hex of the codec extradata ("" if none)
    int reorderDelay = 0;                 // max (decode position - presentation position)
};

class ChunkWriter {
public:
    ~ChunkWriter();
    ChunkWriter(ChunkWriter&&) noexcept;
    ChunkWriter& operator=(ChunkWriter&&) noexcept;

    // Container from the extension of `path` if it is .nut/.mov, else encode.chunkContainer. NUT with
    // a B-frame encoder is refused (UnsupportedFormat): NUT cannot store negative dts.
    static Result<ChunkWriter> open(const std::string& path, const ResolvedEncode& encode, const ChunkFormat& format);

    // pts strictly increasing. The RGB frame is converted with format.colour and rounded.
    Status write(const RgbFrame& rgb, int64_t pts);
    // Source frames pass through untouched when their pixel format equals the encoder's; otherwise
    // converted through the float path.
    Status write(const AVFrame& frame, int64_t pts);
    Result<ChunkStats> finish();

private:
    struct Impl;
    explicit ChunkWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vfi::media
