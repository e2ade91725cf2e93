// The pipeline's narrow view of the media layer: index a source, decode a frame range to float RGB,
// encode one chunk, verify a chunk. Keeps the runner independent of the media classes' details.
// Thread-affinity: each object is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vfi/job_settings.h"
#include "vfi/media_info.h"
#include "vfi/result.h"
#include "vfi/rgb_frame.h"
#include "media/av_ptr.h"
#include "pipeline/scene_cut_detector.h"
#include "media/encoder_table.h"
#include "media/video_source.h"

namespace vfi::pipeline {

struct SourceIndex {
    std::vector<int64_t> pts;       // presentation order, source time base
    int64_t lastDuration = 1;       // source time base
    Rational timeBase;
    double fps = 0;                 // average, for the default chunk length
    int width = 0, height = 0;
    std::string pixFmt;
    int bitDepth = 8;
    std::string layout;             // codec, size, pix fmt, time base, other streams
    ColourInfo colour;
    double rotationDegrees = 0;
    bool variableFrameRate = false;
    std::shared_ptr<const media::SourceInfo> info;   // the media layer's view (colour, HDR, rotation)
};

Result<SourceIndex> indexSource(const std::string& path);

// Decodes source frames [begin, end) in order (media::VideoSource: seeks to the keyframe before
// `begin`, decodes forward and matches by timestamp; a mismatch fails loudly).
class RangeDecoder {
public:
    virtual ~RangeDecoder() = default;
    // Repositions to [begin, end); keeps the open file (no second index pass).
    virtual Status setRange(int64_t begin, int64_t end) = 0;
    // Next frame of the range as float RGB plus the decoded frame itself (source frames are encoded
    // from it untouched when the pixel formats match); returns false at the end.
    virtual Result<bool> next(RgbFrame& out, media::AvFramePtr& decoded, int64_t& sourceIndex) = 0;
    // Scene-cut thumbnail of a frame next() returned: from the decoded luma plane where that equals
    // the RGB frame's luma (BT.709, gray), else from the RGB frame.
    virtual LumaThumb thumbnail(const RgbFrame& rgb, const AVFrame* /*decoded*/) const { return makeLumaThumb(rgb); }
};
Result<std::unique_ptr<RangeDecoder>> openRangeDecoder(const std::string& path, const SourceIndex& index,
                                                       int64_t begin, int64_t end);

// The job's encoder settings: media::resolveEncode's resolution (THE table, docs/formats.md) for the
// source and the output container, plus its most used fields by name.
struct EncodeChoice {
    media::ResolvedEncode resolved; // every pinned setting; openChunkEncoder applies all of them
    std::string encoder;            // = resolved.encoder
    std::string pixFmt;             // = resolved.pixFmtName
    int quality = -1;               // = resolved.quality (crf / qp / profile; -1 lossless)
    std::string preset;             // resolved "preset" option ("" where the encoder has none)
    std::string chunkExtension;     // = resolved.chunkContainer (nut)
    std::string describe() const { return resolved.describe(); }
};
// Resolves through media::resolveEncode (the source as media::SourceInfo, the output's extension);
// refuses bad combinations (UnsupportedFormat, EncoderUnavailable, InvalidArgument). Logs the
// resolution's warnings.
Result<EncodeChoice> resolveEncoding(const EncodeOptions& opts, const SourceIndex& src, const std::string& outputPath);

struct ChunkStats {
    int64_t frames = 0;
    int64_t packets = 0;
    int64_t bytes = 0;
    int64_t firstPts = 0, lastPts = 0;
    std::string extradataHash;
    std::string encoderSettingsHash;  // = EncodeChoice::resolved.settingsHash
    // media::PayloadHash (raw bytes) of every packet handed to the muxer, in write order; the quick
    // verification compares it with the packets read back from the file.
    std::string payloadHash;
};

class ChunkEncoder {
public:
    virtual ~ChunkEncoder() = default;
    // pts in the output time base, increasing (InvalidArgument otherwise). decoded (may be null) is
    // preferred over rgb when set.
    virtual Status write(const RgbFrame& rgb, const AVFrame* decoded, int64_t pts) = 0;
    virtual Result<ChunkStats> finish() = 0;
};
// Applies every setting of choice.resolved; tags the source's colour, sample aspect ratio and chroma
// location (RGB formats as RGB). src.info must be set (indexSource sets it).
Result<std::unique_ptr<ChunkEncoder>> openChunkEncoder(const std::string& path, const EncodeChoice& choice,
                                                       const SourceIndex& src, Rational outputTimeBase);

// Full check (chunk_verifier.cpp): decodes every frame of the chunk; it must start with a keyframe,
// and the frame count and first/last timestamps (in timeBase) must be as planned.
Status verifyChunk(const std::string& path, int64_t frames, int64_t firstPts, int64_t lastPts, Rational timeBase);
// Quick check: demuxes the chunk. Packet count as planned (and as written), keyframe first, lowest and
// highest pts as planned, payload hash equal to written.payloadHash, and the first frame decodes.
Status verifyChunkQuick(const std::string& path, int64_t frames, int64_t firstPts, int64_t lastPts, Rational timeBase,
                        const ChunkStats& written);
// The job's check before a chunk is recorded: the quick one, then for VerifyDepth::Full the full one.
// Every failure is ChunkInvalid naming the chunk and what differs.
Status verifyChunk(const std::string& path, int64_t frames, int64_t firstPts, int64_t lastPts, Rational timeBase,
                   const ChunkStats& written, VerifyDepth depth);

}  // namespace vfi::pipeline
