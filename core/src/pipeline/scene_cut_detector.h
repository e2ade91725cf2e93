// Cheap scene-cut test between two consecutive source frames: luma of a downscaled (about 64 px
// wide) thumbnail; score = mean of (a) half the L1 distance of 32-bin luma histograms and (b) the
// mean absolute thumbnail difference scaled by 3 and clipped to 1. 0 = identical, 1 = unrelated.
// A pair whose score >= threshold is a cut: no interpolation across it (the earlier frame repeats).
#pragma once

#include <vector>

#include "vfi/rgb_frame.h"

struct AVFrame;

namespace vfi::pipeline {

struct LumaThumb {
    int width = 0;
    int height = 0;
    std::vector<float> luma;
};

// The thumbnail's luma is BT.709's (0.2126 R + 0.7152 G + 0.0722 B) of each whole step x step block,
// step = max(1, width / 64).
LumaThumb makeLumaThumb(const RgbFrame& frame);
// The same thumbnail straight from the decoded luma plane, reading one sample per pixel instead of
// three floats: for a BT.709 YUV frame (or gray) the RGB conversion's luma IS the Y plane, normalised
// by the range ((Y - 16·2^(d-8)) / (219·2^(d-8)) limited, Y / (2^d - 1) full), so both give the same
// thumbnail (within float rounding). False where that does not hold or the layout is not a plain
// planar/semi-planar little-endian luma plane: the caller then uses the RGB frame.
bool makeLumaThumbFromLuma(const AVFrame& frame, bool bt709Matrix, bool fullRange, LumaThumb& out);
double sceneCutScore(const LumaThumb& a, const LumaThumb& b);
inline bool isSceneCut(double score, double threshold) { return threshold > 0 && score >= threshold; }

}  // namespace vfi::pipeline
