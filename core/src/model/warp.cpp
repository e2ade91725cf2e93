#include "warp.h"

#include <cmath>

namespace vfi::model {

namespace F = torch::nn::functional;

torch::Tensor warp(const torch::Tensor& input, const torch::Tensor& flow) {
    return warpRows(input, flow, 0, flow.size(2));
}

torch::Tensor warpRows(const torch::Tensor& input, const torch::Tensor& flow, int64_t firstRow, int64_t fullHeight) {
    const int64_t b = flow.size(0), h = flow.size(2), w = flow.size(3);
    auto opts = flow.options();
    // Built exactly as the reference builds (and caches) it: expanded linspace views concatenated.
    auto horizontal = torch::linspace(-1.0, 1.0, w, opts).view({1, 1, 1, w}).expand({b, -1, h, -1});
    auto vertical = torch::linspace(-1.0, 1.0, fullHeight, opts).slice(0, firstRow, firstRow + h);
    vertical = vertical.view({1, 1, h, 1}).expand({b, -1, -1, w});
    auto grid = torch::cat({horizontal, vertical}, 1);
    auto scaled = torch::cat({flow.slice(1, 0, 1) / ((static_cast<double>(input.size(3)) - 1.0) / 2.0),
                              flow.slice(1, 1, 2) / ((static_cast<double>(input.size(2)) - 1.0) / 2.0)},
                             1);
    auto g = (grid + scaled).permute({0, 2, 3, 1});
    return F::grid_sample(input, g,
                          F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(true));
}

torch::Tensor resizeBilinear(const torch::Tensor& x, double scale) {
    // What F.interpolate(scale_factor=s) does in Python: output floor(size * s), and the scale itself
    // (not the size ratio) handed to the kernel. Called directly: LibTorch's F::interpolate logs a
    // warning on every call with a fractional scale.
    const auto h = static_cast<int64_t>(std::floor(static_cast<double>(x.size(2)) * scale));
    const auto w = static_cast<int64_t>(std::floor(static_cast<double>(x.size(3)) * scale));
    return torch::upsample_bilinear2d(x, {h, w}, false, scale, scale);
}

torch::Tensor resizeFlow(const torch::Tensor& flow, double scale) {
    return resizeBilinear(flow, scale) * scale;
}

}  // namespace vfi::model
