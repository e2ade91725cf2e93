#include "pipeline/output_timing.h"

#include <cstddef>
#include <utility>

namespace vfi::pipeline {

OutputTiming::OutputTiming(std::vector<int64_t> sourcePts, int64_t lastDuration, int factor)
    : m_pts(std::move(sourcePts)), m_lastDuration(lastDuration > 0 ? lastDuration : 1), m_factor(factor) {}

OutputTiming::OutputTiming(std::shared_ptr<const FrameSelection> selection)
    : m_selection(std::move(selection)), m_factor(m_selection->factor()) {}

int64_t OutputTiming::outputFrames() const {
    if (m_selection) return m_selection->outputFrames();
    return m_pts.empty() ? 0 : (static_cast<int64_t>(m_pts.size()) - 1) * m_factor + 1;
}

int64_t OutputTiming::pts(int64_t j) const {
    if (m_selection) return j;
    const int64_t i = j / m_factor;
    const int64_t r = j % m_factor;
    const int64_t a = m_pts[static_cast<size_t>(i)];
    if (r == 0) return a * m_factor;
    const int64_t b = m_pts[static_cast<size_t>(i) + 1];
    return a * m_factor + r * (b - a);
}

int64_t OutputTiming::duration(int64_t j) const {
    if (m_selection) return 1;
    if (j + 1 >= outputFrames()) return m_lastDuration * m_factor;
    return pts(j + 1) - pts(j);
}

}  // namespace vfi::pipeline
