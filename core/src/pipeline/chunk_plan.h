// The chunk plan: which source frames each chunk owns, and which output frames it holds.
// Chunk k owns source frames [s_k, s_{k+1}) and all output frames of the pairs starting there; the
// last chunk also holds the final source frame. Output frame of source frame i is i * factor.
// A target-rate job (FrameSelection) owns instead every output frame whose time falls in
// [t(s_k), t(s_{k+1})) (the last chunk: from t(s_k) on); a chunk that would hold no output frame
// (a burst of short intervals in a variable-rate source) is merged into the one before it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "pipeline/frame_selection.h"

namespace vfi::pipeline {

struct ChunkSpan {
    int index = 0;
    int64_t sourceBegin = 0;     // first owned source frame
    int64_t sourceEnd = 0;       // one past the last owned source frame
    int64_t decodeEnd = 0;       // one past the last source frame needed (pair partner of the last)
    int64_t outputBegin = 0;     // first output frame index
    int64_t outputEnd = 0;       // one past the last output frame index
    int64_t outputCount() const { return outputEnd - outputBegin; }
};

class ChunkPlan {
public:
    ChunkPlan() = default;
    // sourceFrames >= 1, factor in {2,4,8}, chunkFrames >= 1.
    ChunkPlan(int64_t sourceFrames, int factor, int64_t chunkFrames);
    ChunkPlan(std::shared_ptr<const FrameSelection> selection, int64_t chunkFrames);

    int64_t sourceFrames() const { return m_sourceFrames; }
    int factor() const { return m_factor; }
    int64_t chunkFrames() const { return m_chunkFrames; }
    int chunkCount() const { return static_cast<int>(m_starts.size()); }
    int64_t outputFrames() const { return m_selection ? m_selection->outputFrames() : (m_sourceFrames - 1) * m_factor + 1; }
    ChunkSpan chunk(int k) const;
    int chunkOfSource(int64_t sourceFrame) const;
    // Chunks covering [begin, end) of source frames (end -1: to the last), snapped outwards.
    std::vector<int> chunksForRange(int64_t begin, int64_t end) const;
    // Part `part` of `parts` (0 <= part < parts): whole chunks [part*C/parts, (part+1)*C/parts), so
    // the parts of one job cover every chunk once; empty when there are fewer chunks than parts.
    std::vector<int> chunksForPart(int part, int parts) const;

    // Default chunk length: about 2 s of source (at least 1 frame).
    static int64_t defaultChunkFrames(double sourceFps);

private:
    int64_t outputOf(int64_t sourceFrame) const;

    std::shared_ptr<const FrameSelection> m_selection;
    int64_t m_sourceFrames = 0;
    int m_factor = 2;
    int64_t m_chunkFrames = 1;
    std::vector<int64_t> m_starts;
};

}  // namespace vfi::pipeline
