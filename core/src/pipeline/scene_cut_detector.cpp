#include "pipeline/scene_cut_detector.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vfi::pipeline {

LumaThumb makeLumaThumb(const RgbFrame& f) {
    LumaThumb t;
    if (f.empty()) return t;
    const int step = std::max(1, f.width / 64);
    t.width = std::max(1, f.width / step);
    t.height = std::max(1, f.height / step);
    t.luma.assign(static_cast<size_t>(t.width) * t.height, 0.0f);
    const float* r = f.plane(0);
    const float* g = f.plane(1);
    const float* b = f.plane(2);
    for (int ty = 0; ty < t.height; ++ty) {
        for (int tx = 0; tx < t.width; ++tx) {
            double sum = 0;
            int n = 0;
            for (int y = ty * step; y < std::min(f.height, (ty + 1) * step); ++y) {
                for (int x = tx * step; x < std::min(f.width, (tx + 1) * step); ++x) {
                    const size_t i = static_cast<size_t>(y) * f.width + x;
                    sum += 0.2126 * r[i] + 0.7152 * g[i] + 0.0722 * b[i];
                    ++n;
                }
            }
            t.luma[static_cast<size_t>(ty) * t.width + tx] = static_cast<float>(n ? sum / n : 0.0);
        }
    }
    return t;
}

double sceneCutScore(const LumaThumb& a, const LumaThumb& b) {
    if (a.luma.size() != b.luma.size() || a.luma.empty()) return 1.0;
    constexpr int kBins = 32;
    std::array<double, kBins> ha{}, hb{};
    double mad = 0;
    const double n = static_cast<double>(a.luma.size());
    auto bin = [](float v) { return std::clamp(static_cast<int>(v * kBins), 0, kBins - 1); };
    for (size_t i = 0; i < a.luma.size(); ++i) {
        ha[static_cast<size_t>(bin(a.luma[i]))] += 1.0 / n;
        hb[static_cast<size_t>(bin(b.luma[i]))] += 1.0 / n;
        mad += std::fabs(a.luma[i] - b.luma[i]) / n;
    }
    double hist = 0;
    for (int i = 0; i < kBins; ++i) hist += std::fabs(ha[static_cast<size_t>(i)] - hb[static_cast<size_t>(i)]);
    hist *= 0.5;
    return 0.5 * hist + 0.5 * std::min(1.0, 3.0 * mad);
}

}  // namespace vfi::pipeline
