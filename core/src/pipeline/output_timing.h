// Exact output timestamps (design.md §3): computed from the source index, never accumulated.
// Output time base = source time base / factor, so the generated frame r/factor of the way between
// source PTS a and b is a*factor + r*(b - a): an integer, exact for CFR and VFR alike.
#pragma once

#include <cstdint>
#include <vector>

namespace vfi::pipeline {

class OutputTiming {
public:
    OutputTiming() = default;
    // sourcePts: presentation timestamps of every source frame in display order, in the source
    // time base; lastDuration: the source's last-frame duration in that time base.
    OutputTiming(std::vector<int64_t> sourcePts, int64_t lastDuration, int factor);

    int factor() const { return m_factor; }
    int64_t outputFrames() const;
    // PTS of output frame j in the output time base (source tb / factor).
    int64_t pts(int64_t outputIndex) const;
    // Duration of output frame j (the last keeps the source's last-frame duration).
    int64_t duration(int64_t outputIndex) const;

private:
    std::vector<int64_t> m_pts;
    int64_t m_lastDuration = 1;
    int m_factor = 2;
};

}  // namespace vfi::pipeline
