// Cheap scene-cut test between two consecutive source frames: luma of a downscaled (about 64 px
// wide) thumbnail; score = mean of (a) half the L1 distance of 32-bin luma histograms and (b) the
// mean absolute thumbnail difference scaled by 3 and clipped to 1. 0 = identical, 1 = unrelated.
// A pair whose score >= threshold is a cut: no interpolation across it (the earlier frame repeats).
#pragma once

#include <vector>

#include "vfi/rgb_frame.h"

namespace vfi::pipeline {

struct LumaThumb {
    int width = 0;
    int height = 0;
    std::vector<float> luma;
};

LumaThumb makeLumaThumb(const RgbFrame& frame);
double sceneCutScore(const LumaThumb& a, const LumaThumb& b);
inline bool isSceneCut(double score, double threshold) { return threshold > 0 && score >= threshold; }

}  // namespace vfi::pipeline
