#include "pipeline/chunk_plan.h"

#include <algorithm>
#include <cmath>

namespace vfi::pipeline {

ChunkPlan::ChunkPlan(int64_t sourceFrames, int factor, int64_t chunkFrames)
    : m_sourceFrames(std::max<int64_t>(1, sourceFrames)), m_factor(factor), m_chunkFrames(std::max<int64_t>(1, chunkFrames)) {
    // The final source frame has no pair: it rides with the last chunk, so chunk starts only cover
    // pair-start frames [0, N-1) (and frame 0 alone for a one-frame source).
    const int64_t pairStarts = std::max<int64_t>(1, m_sourceFrames - 1);
    for (int64_t s = 0; s < pairStarts; s += m_chunkFrames) m_starts.push_back(s);
}

ChunkPlan::ChunkPlan(std::shared_ptr<const FrameSelection> selection, int64_t chunkFrames)
    : ChunkPlan(selection->sourceFrames(), selection->factor(), chunkFrames) {
    m_selection = std::move(selection);
    // Keep a start only where both the chunk it ends and the chunk it begins hold an output frame.
    std::vector<int64_t> kept{m_starts.front()};
    for (size_t k = 1; k < m_starts.size(); ++k) {
        const int64_t begin = outputOf(m_starts[k]);
        const int64_t end = k + 1 < m_starts.size() ? outputOf(m_starts[k + 1]) : outputFrames();
        if (outputOf(kept.back()) < begin && begin < end) kept.push_back(m_starts[k]);
    }
    m_starts = std::move(kept);
}

int64_t ChunkPlan::outputOf(int64_t sourceFrame) const {
    return m_selection ? m_selection->firstOutputOf(sourceFrame) : sourceFrame * m_factor;
}

ChunkSpan ChunkPlan::chunk(int k) const {
    ChunkSpan c;
    c.index = k;
    c.sourceBegin = m_starts[static_cast<size_t>(k)];
    const bool last = k + 1 == chunkCount();
    c.sourceEnd = last ? m_sourceFrames : m_starts[static_cast<size_t>(k) + 1];
    c.decodeEnd = last ? m_sourceFrames : std::min(m_sourceFrames, c.sourceEnd + 1);
    c.outputBegin = outputOf(c.sourceBegin);
    c.outputEnd = last ? outputFrames() : outputOf(c.sourceEnd);
    return c;
}

int ChunkPlan::chunkOfSource(int64_t sourceFrame) const {
    auto it = std::upper_bound(m_starts.begin(), m_starts.end(), sourceFrame);
    return std::max(0, static_cast<int>(it - m_starts.begin()) - 1);
}

std::vector<int> ChunkPlan::chunksForRange(int64_t begin, int64_t end) const {
    if (end < 0 || end > m_sourceFrames) end = m_sourceFrames;
    begin = std::clamp<int64_t>(begin, 0, m_sourceFrames - 1);
    std::vector<int> out;
    if (end <= begin) return out;
    const int first = chunkOfSource(begin);
    const int last = chunkOfSource(end - 1);
    for (int k = first; k <= last; ++k) out.push_back(k);
    return out;
}

std::vector<int> ChunkPlan::chunksForPart(int part, int parts) const {
    std::vector<int> out;
    if (parts <= 0 || part < 0 || part >= parts) return out;
    const int64_t c = chunkCount();
    for (int64_t k = part * c / parts; k < (part + 1) * c / parts; ++k) out.push_back(static_cast<int>(k));
    return out;
}

int64_t ChunkPlan::defaultChunkFrames(double sourceFps) {
    if (!(sourceFps > 0) || !std::isfinite(sourceFps)) return 60;
    return std::max<int64_t>(1, static_cast<int64_t>(std::llround(2.0 * sourceFps)));
}

}  // namespace vfi::pipeline
