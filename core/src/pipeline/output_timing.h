// Exact output timestamps (design.md §3): computed from the source index, never accumulated.
// Output time base = source time base / factor, so the generated frame r/factor of the way between
// source PTS a and b is a*factor + r*(b - a): an integer, exact for CFR and VFR alike.
// A target-rate job (FrameSelection) has time base 1 / rate instead: output frame n has pts n.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "pipeline/frame_selection.h"

namespace vfi::pipeline {

class OutputTiming {
public:
    OutputTiming() = default;
    // sourcePts: presentation timestamps of every source frame in display order, in the source
    // time base; lastDuration: the source's last-frame duration in that time base.
    OutputTiming(std::vector<int64_t> sourcePts, int64_t lastDuration, int factor);
    // Target-rate job: pts n, duration 1, in selection->outputTimeBase().
    explicit OutputTiming(std::shared_ptr<const FrameSelection> selection);

    int factor() const { return m_factor; }
    int64_t outputFrames() const;
    // PTS of output frame j in the output time base (source tb / factor).
    int64_t pts(int64_t outputIndex) const;
    // Duration of output frame j (the last keeps the source's last-frame duration).
    int64_t duration(int64_t outputIndex) const;

private:
    std::shared_ptr<const FrameSelection> m_selection;
    std::vector<int64_t> m_pts;
    int64_t m_lastDuration = 1;
    int m_factor = 2;
};

}  // namespace vfi::pipeline
