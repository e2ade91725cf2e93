// Full decode of a written chunk before it is renamed into place (design.md §4): it must decode
// without error and hold exactly the planned frames. Reentrant.
#pragma once

#include <cstdint>
#include <string>

#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi::media {

struct ChunkExpectation {
    int64_t frames = 0;
    int64_t firstPts = 0, lastPts = 0;    // in timeBase
    Rational timeBase{1, 60000};
};

struct ChunkReport {
    int64_t frames = 0;
    int64_t packets = 0;
    int64_t firstPts = 0, lastPts = 0;    // rescaled to the expectation's time base
    bool firstIsKeyframe = false;
};

// ChunkInvalid (names the file and what differs) or Ffmpeg errors.
Result<ChunkReport> verifyChunk(const std::string& path, const ChunkExpectation& expected);

}  // namespace vfi::media
