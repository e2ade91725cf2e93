// Shared helpers of test_joiner / test_joiner_av: chunk files written with explicit pts.
#pragma once

#include <QtTest>

#include <numeric>
#include <string>
#include <vector>

#include "media/joiner.h"
#include "support/media_gen.h"

namespace vfi::test {

// Splits `pts` (presentation order, timeBase) into MOV (or NUT) chunks of the given sizes; each chunk is a
// fresh encoder (closed GOP, keyframe first) continuing the frame pattern.
inline media::JoinPlan makeChunks(const TempDir& tmp, const std::vector<int64_t>& pts, Rational timeBase,
                                  const std::vector<int>& sizes, const std::string& outName, int bframes = 2,
                                  const std::string& codec = "libx264", const std::string& chunkExt = ".mov") {
    media::JoinPlan plan;
    plan.outputTimeBase = timeBase;
    plan.outputPath = tmp.file(outName);
    size_t at = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
        GenSpec s;
        s.codec = codec;
        s.frames = sizes[k];
        s.bframes = bframes;
        s.gop = 1000;
        s.vfrTimeBase = timeBase;
        s.vfrPts.assign(pts.begin() + static_cast<long>(at), pts.begin() + static_cast<long>(at + static_cast<size_t>(sizes[k])));
        s.firstFrameNumber = static_cast<int>(at);
        media::JoinChunk c;
        c.path = tmp.file("chunk_" + std::to_string(k) + chunkExt);
        c.pts = s.vfrPts;
        auto st = generate(c.path, s);
        if (!st) qFatal("chunk generation failed: %s", st.error().message.c_str());
        plan.chunks.push_back(c);
        at += static_cast<size_t>(sizes[k]);
    }
    return plan;
}

inline std::vector<int64_t> range(int64_t n, int64_t step = 1, int64_t first = 0) {
    std::vector<int64_t> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = first + i * step;
    return v;
}

}  // namespace vfi::test
