// Exact row tiling of the decoder's full-resolution tail (FlowDecoderWithResidual::headTiled).
// The tail is: nearest x2 + conv3 (up.0.upsample), GroupNorm(norm_out) + swish + conv3 (conv_out),
// conv3 + GroupNorm(16) + ReLU + conv3 + GroupNorm(8) + ReLU + conv3 (moduleout), blend. Every conv is
// 3x3 with zero padding, so an output band needs one more row on each side per conv (5 at the
// input); the three GroupNorms need whole-image statistics, gathered in three passes over the bands
// (each recomputing the band up to that norm) before the final pass writes the blend. Bands never
// hold more than `rows + 10` rows of any 64-channel full-resolution tensor.
#include <algorithm>

#include "decoder.h"
#include "tiling.h"

namespace vfi::model {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

using tiling::Band;
using tiling::conv3Rows;
using tiling::GroupStats;

torch::Tensor FlowDecoderWithResidualImpl::headTiled(const torch::Tensor& hHalf, const torch::Tensor& warped0,
                                                     const torch::Tensor& warped1, int64_t rows) {
    TORCH_CHECK(hHalf.size(0) == 1, "tiled decoder head: batch 1 only");
    const int64_t height = hHalf.size(2) * 2;
    auto& upConv = *up[0]->as<DecoderLevelImpl>()->upsample->conv;
    auto& head0 = *moduleout[0]->as<nn::Conv2dImpl>();
    auto& head3 = *moduleout[3]->as<nn::Conv2dImpl>();
    auto& head6 = *moduleout[6]->as<nn::Conv2dImpl>();
    GroupStats statsA(*norm_out), statsC(*moduleout[1]->as<nn::GroupNormImpl>()),
        statsD(*moduleout[4]->as<nn::GroupNormImpl>());
    auto clipA = [&](int64_t a) { return std::max<int64_t>(a, 0); };
    auto clipB = [&](int64_t b) { return std::min<int64_t>(b, height); };

    // Each stage: output rows [a, b) (already inside the image) from the previous stage's rows
    // [a-1, b+1) clipped to the image.
    auto bandA = [&](int64_t a, int64_t b) {
        const int64_t ua = clipA(a - 1), ub = clipB(b + 1);
        const int64_t ha = ua / 2, hb = (ub + 1) / 2;
        auto u = F::interpolate(hHalf.slice(2, ha, hb),
                                F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
        return conv3Rows({u.slice(2, ua - 2 * ha, ub - 2 * ha), ua, ub}, upConv, a, b, height);
    };
    auto bandC = [&](int64_t a, int64_t b) {
        const int64_t ba = clipA(a - 1), bb = clipB(b + 1);
        Band act = bandA(clipA(ba - 1), clipB(bb + 1));
        act.x = swish(statsA.apply(act.x));
        Band bandB = conv3Rows(act, *conv_out, ba, bb, height);
        return conv3Rows(bandB, head0, a, b, height);
    };
    auto bandD = [&](int64_t a, int64_t b) {
        Band c = bandC(clipA(a - 1), clipB(b + 1));
        c.x = torch::relu(statsC.apply(c.x));
        return conv3Rows(c, head3, a, b, height);
    };
    auto bandOut = [&](int64_t a, int64_t b) {
        Band d = bandD(clipA(a - 1), clipB(b + 1));
        d.x = torch::relu(statsD.apply(d.x));
        return conv3Rows(d, head6, a, b, height);
    };

    for (int64_t r = 0; r < height; r += rows) {
        statsA.add(bandA(r, std::min(r + rows, height)).x);
    }
    statsA.finish();
    for (int64_t r = 0; r < height; r += rows) {
        statsC.add(bandC(r, std::min(r + rows, height)).x);
    }
    statsC.finish();
    for (int64_t r = 0; r < height; r += rows) {
        statsD.add(bandD(r, std::min(r + rows, height)).x);
    }
    statsD.finish();

    auto result = torch::empty({1, 3, height, hHalf.size(3) * 2}, warped0.options());
    for (int64_t r = 0; r < height; r += rows) {
        const int64_t e = std::min(r + rows, height);
        auto out = bandOut(r, e).x;
        auto mask1 = torch::sigmoid(out.slice(1, 3, 4));
        auto mask2 = 1 - mask1;
        auto res = torch::sigmoid(out.slice(1, 0, 3)) * 2 - 1;
        result.slice(2, r, e).copy_(warped0.slice(2, r, e) * mask1 + warped1.slice(2, r, e) * mask2 + res);
    }
    return result;
}

}  // namespace vfi::model
