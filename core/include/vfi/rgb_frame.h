// Planar float RGB frame: the currency between the media layer and interpolators.
// Layout: 3 planes (R, G, B), each height*width floats, row-major; data[c*H*W + y*W + x].
// Nominal range [0,1]; values are NOT clamped (out-of-gamut YUV survives a round trip).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vfi/frame_buffer.h"

namespace vfi {

struct RgbFrame {
    int width = 0;
    int height = 0;
    std::vector<float, FrameAllocator<float>> data;

    RgbFrame() = default;
    RgbFrame(int w, int h) : width(w), height(h), data(static_cast<size_t>(w) * h * 3, 0.0f) {}
    // For a frame every value of which is written next (conversions, blends, model outputs): its
    // buffer is recycled and not zeroed first.
    static RgbFrame uninitialized(int w, int h) {
        RgbFrame f;
        f.width = w;
        f.height = h;
        f.data.resize(static_cast<size_t>(w) * h * 3);
        return f;
    }

    size_t planeSize() const { return static_cast<size_t>(width) * height; }
    float* plane(int c) { return data.data() + c * planeSize(); }
    const float* plane(int c) const { return data.data() + c * planeSize(); }
    bool empty() const { return data.empty(); }
};

}  // namespace vfi
