// Source analysis for `tlbvfi info` and the GUI: probe + demux index (exact frame count and
// timestamps) + optional scene-cut scan (decodes every frame; cost ~ one decode of the file).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi {

struct SourceAnalysis {
    MediaInfo info;
    int64_t frames = 0;                  // exact, from the index pass
    bool variableFrameRate = false;      // from the index: frame intervals differ
    // From the index: the exact rate of a constant-rate source ({0, 1} when variable or one frame),
    // and (frames - 1) / (last - first frame time), the rate a target rate (--fps) must exceed.
    Rational constantFrameRate{0, 1};
    double averageFrameRate = 0;
    double firstFrameSeconds = 0;
    double lastFrameSeconds = 0;
    // From the index, exact: last minus first frame time plus the last frame's duration (the
    // container's duration field may be rounded or include other streams).
    double durationSeconds = 0;
    bool scannedScenes = false;
    std::vector<int64_t> sceneCuts;      // source frame i where the pair (i, i+1) is a cut
};

Result<SourceAnalysis> analyzeSource(const std::string& path, double sceneThreshold = 0.35, bool scanScenes = true);

// A synthetic test clip (moving pattern, optional AAC sine audio), encoded with libx264/yuv420p by the
// engine's own libav path. Container by extension (.mp4, .mov, .mkv).
struct SampleClipSpec {
    int frames = 90;
    int width = 640;
    int height = 360;
    int fpsNum = 30000;
    int fpsDen = 1001;
    bool audio = false;
};
Status makeSampleClip(const std::string& path, const SampleClipSpec& spec);

}  // namespace vfi
