// Renders one chunk: decode thread → bounded queue → interpolation (caller's thread; bisection for
// 4x/8x in a fixed order) → bounded queue → encode thread, into a temporary file. The caller
// verifies, renames and records it. Memory is bounded by the queue depths.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/chunk_plan.h"
#include "pipeline/media_adapter.h"
#include "pipeline/output_timing.h"
#include "vfi/frame_interpolator.h"
#include "vfi/progress.h"

namespace vfi::pipeline {

struct ChunkJob {
    RangeDecoder* decoder = nullptr;              // shared across chunks; used by the decode thread
    const SourceIndex* index = nullptr;
    const OutputTiming* timing = nullptr;
    // Target-rate job: which frames each pair generates and which output shows which frame
    // (null: every factor-1 generated frame and every source frame, in order).
    const FrameSelection* selection = nullptr;
    ChunkSpan span;
    int factor = 2;
    double sceneThreshold = 0;
    uint64_t seed = 0;
    EncodeChoice encode;
    Rational outputTimeBase;
    std::string tempPath;
    FrameInterpolator* interpolator = nullptr;
    const std::atomic<bool>* stop = nullptr;      // cancel or pause: abandon the chunk
    // Called from the encode thread after each encoded output frame (output frame index).
    std::function<void(int64_t)> onFrameEncoded;
    // Called from the interpolation thread for each pair that shows a generated frame (source frame,
    // the first generated frame shown, its output frame index).
    std::function<void(const RgbFrame&, const RgbFrame&, int64_t sourceIndex, int64_t outputIndex)> onPair;
};

struct ChunkResult {
    ChunkStats stats;
    std::vector<int64_t> sceneCuts;
};

// Frames each queue may hold. A float RGB frame is 25 MB at 1080p but 100 MB at 4K and 400 MB at 8K, so
// the depths come from a byte budget (about 256 MiB of float frames per queue), between a floor
// that keeps the threads decoupled and the 1080p depths (4 source, 4 per factor output frames).
struct QueueDepths {
    size_t source = 0;
    size_t output = 0;
};
QueueDepths queueDepths(int width, int height, int factor);

Result<ChunkResult> renderChunk(const ChunkJob& job);

}  // namespace vfi::pipeline
