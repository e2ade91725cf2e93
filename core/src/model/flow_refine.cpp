#include "flow_refine.h"

#include <algorithm>

#include "tiling.h"
#include "warp.h"

namespace vfi::model {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

namespace {

constexpr int64_t kTaps = 9;  // 3x3 neighbourhood (r = 1)

nn::Conv2d conv(int64_t in, int64_t out, int64_t k) {
    return nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(1).padding(k / 2));
}
nn::PReLU prelu(int64_t n) { return nn::PReLU(nn::PReLUOptions().num_parameters(n)); }

// FlowRefineNetA.L2normalize: x / (sum(x^2) + eps)^0.5 over the last dimension.
torch::Tensor l2normalize(const torch::Tensor& x) {
    auto norm = x.pow(2);
    norm = norm.sum(-1, true) + 1e-12;
    norm = norm.pow(0.5);
    return x / norm;
}

}  // namespace

FlowRefineNetAImpl::FlowRefineNetAImpl(int64_t contextDim, int64_t c) {
    const int64_t hidden = c;
    occl_convs = register_module(
        "occl_convs", nn::Sequential(conv(2 * contextDim, hidden, 1), prelu(hidden), conv(hidden, hidden, 1),
                                     prelu(hidden), conv(hidden, 1, 1), nn::Sigmoid()));
    corr_convs = register_module(
        "corr_convs", nn::Sequential(conv(kTaps, hidden, 1), prelu(hidden), conv(hidden, c, 1), prelu(c)));
    flow_convs = register_module("flow_convs",
                                 nn::Sequential(conv(2, hidden, 3), prelu(hidden), conv(hidden, c, 3), prelu(c)));
    motion_convs = register_module("motion_convs", nn::Sequential(conv(2 * c, c, 3), prelu(c)));
    gru = register_module("gru", nn::Sequential(conv(c + contextDim * 2 + 2, hidden, 3), prelu(hidden),
                                                conv(hidden, c, 3), prelu(c)));
    flow_head = register_module("flow_head", nn::Sequential(conv(c, hidden, 3), prelu(hidden), conv(hidden, 2, 3)));
}

torch::Tensor FlowRefineNetAImpl::occlusionBlend(const torch::Tensor& fea0, const torch::Tensor& fea1) {
    auto occl = occl_convs->forward(torch::cat({fea0, fea1}, 1));
    return fea0 * occl + fea1 * (1 - occl);
}

// (B, C, H, W) -> (B*H*W, 1, C), L2-normalised over C: the reference's layout for the correlation.
static torch::Tensor pixelRows(const torch::Tensor& x) {
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    return l2normalize(x.permute({0, 2, 3, 1}).contiguous().view({b * h * w, 1, c}));
}

// The reference: unfold both features, warp the 9·C channels, correlate all taps at once.
torch::Tensor FlowRefineNetAImpl::correlationUnfold(const torch::Tensor& x0, const torch::Tensor& x1,
                                                    const torch::Tensor& flow0, const torch::Tensor& flow1,
                                                    torch::Tensor& fea0, torch::Tensor& fea1, torch::Tensor& fea,
                                                    torch::Tensor& corr1) {
    const int64_t b = x0.size(0), c = x0.size(1), h = x0.size(2), w = x0.size(3);
    auto unfoldOpts = F::UnfoldFuncOptions({3, 3}).padding(1);
    auto contents0 = warp(F::unfold(x0, unfoldOpts).view({b, c * kTaps, h, w}), flow0).view({b, c, kTaps, h, w});
    auto contents1 = warp(F::unfold(x1, unfoldOpts).view({b, c * kTaps, h, w}), flow1).view({b, c, kTaps, h, w});
    fea0 = contents0.select(2, kTaps / 2);
    fea1 = contents1.select(2, kTaps / 2);
    fea = occlusionBlend(fea0, fea1);
    auto feaView = pixelRows(fea);
    auto corrOf = [&](const torch::Tensor& contents) {
        auto cv = l2normalize(contents.permute({0, 3, 4, 2, 1}).contiguous().view({b * h * w, kTaps, c}));
        auto corr = torch::einsum("bic,bjc->bij", {feaView, cv});
        return corr_convs->forward(corr.view({b, h, w, kTaps}).permute({0, 3, 1, 2}).contiguous());
    };
    corr1 = corrOf(contents1);
    return corrOf(contents0);
}

// One tap at a time: tap k of unfold(x, 3, padding=1) is x shifted by (k/3 - 1, k%3 - 1) with zeros
// outside, so warping the shifted view gives exactly the reference's warped unfold channel.
torch::Tensor FlowRefineNetAImpl::correlationTaps(const torch::Tensor& padded, const torch::Tensor& flow,
                                                  int64_t firstRow, int64_t fullHeight, const torch::Tensor& centre,
                                                  const torch::Tensor& feaView) {
    const int64_t b = flow.size(0), h = flow.size(2), w = flow.size(3);
    const int64_t srcH = padded.size(2) - 2, srcW = padded.size(3) - 2;
    std::vector<torch::Tensor> corr;
    corr.reserve(kTaps);
    for (int64_t k = 0; k < kTaps; ++k) {
        const int64_t ky = k / 3, kx = k % 3;
        auto tap = k == kTaps / 2
                       ? centre
                       : warpRows(padded.slice(2, ky, ky + srcH).slice(3, kx, kx + srcW), flow, firstRow, fullHeight);
        corr.push_back(torch::einsum("bic,bjc->bij", {feaView, pixelRows(tap)}));
    }
    auto all = torch::cat(corr, 2);
    return corr_convs->forward(all.view({b, h, w, kTaps}).permute({0, 3, 1, 2}).contiguous());
}

torch::Tensor FlowRefineNetAImpl::forward(const torch::Tensor& x0, const torch::Tensor& x1,
                                          const torch::Tensor& flow0In, const torch::Tensor& flow1In) {
    torch::Tensor fea0, fea1, fea, corr0, corr1;
    if (m_tapByTap) {
        // The centre tap of the unfold is the features themselves.
        fea0 = warp(x0, flow0In);
        fea1 = warp(x1, flow1In);
        fea = occlusionBlend(fea0, fea1);
        auto feaView = pixelRows(fea);
        const int64_t h = x0.size(2);
        corr0 = correlationTaps(F::pad(x0, F::PadFuncOptions({1, 1, 1, 1})), flow0In, 0, h, fea0, feaView);
        corr1 = correlationTaps(F::pad(x1, F::PadFuncOptions({1, 1, 1, 1})), flow1In, 0, h, fea1, feaView);
    } else {
        corr0 = correlationUnfold(x0, x1, flow0In, flow1In, fea0, fea1, fea, corr1);
    }

    auto motion0 = motion_convs->forward(torch::cat({corr0, flow_convs->forward(flow0In)}, 1));
    auto motion1 = motion_convs->forward(torch::cat({corr1, flow_convs->forward(flow1In)}, 1));

    auto flow0 = flow0In + flow_head->forward(gru->forward(torch::cat({fea, fea0, motion0, flow0In}, 1)));
    auto flow1 = flow1In + flow_head->forward(gru->forward(torch::cat({fea, fea1, motion1, flow1In}, 1)));
    return torch::cat({flow0, flow1}, 1);
}

torch::Tensor FlowRefineNetAImpl::forwardTiled(const torch::Tensor& x0, const torch::Tensor& x1,
                                               const torch::Tensor& flow0In, const torch::Tensor& flow1In,
                                               int64_t rows) {
    TORCH_CHECK(x0.size(0) == 1, "tiled flow refinement: batch 1 only");
    // flow_convs (2) -> motion_convs (1) -> gru (2) -> flow_head (2): seven 3x3 convolutions after
    // the per-pixel warps, occlusion blend and correlation.
    constexpr int64_t kHalo = 7;
    const int64_t height = x0.size(2);
    auto out = torch::empty({1, 4, height, x0.size(3)}, flow0In.options());
    auto conv3 = [](const tiling::Band& in, nn::Sequential& seq, size_t idx, int64_t a, int64_t b, int64_t h) {
        return tiling::conv3Rows(in, *seq[idx]->as<nn::Conv2dImpl>(), a, b, h);
    };
    auto prelu = [](tiling::Band band, nn::Sequential& seq, size_t idx) {
        band.x = seq[idx]->as<nn::PReLUImpl>()->forward(band.x);
        return band;
    };
    for (int side = 0; side < 2; ++side) {
        const auto& xs = side == 0 ? x0 : x1;
        const auto& flowS = side == 0 ? flow0In : flow1In;
        const auto padded = F::pad(xs, F::PadFuncOptions({1, 1, 1, 1}));
        for (int64_t r = 0; r < height; r += rows) {
            const int64_t e = std::min(r + rows, height);
            // Rows of the stage k convolutions away from the output: [r - k, e + k) within the image.
            auto lo = [&](int64_t k) { return std::max<int64_t>(r - k, 0); };
            auto hi = [&](int64_t k) { return std::min(e + k, height); };
            const int64_t ea = lo(kHalo), eb = hi(kHalo);
            auto fea0 = warpRows(x0, flow0In.slice(2, ea, eb), ea, height);
            auto fea1 = warpRows(x1, flow1In.slice(2, ea, eb), ea, height);
            auto fea = occlusionBlend(fea0, fea1);
            auto feaS = side == 0 ? fea0 : fea1;
            fea0 = fea1 = torch::Tensor();
            auto corr = correlationTaps(padded, flowS.slice(2, ea, eb), ea, height, feaS, pixelRows(fea));
            auto crop = [&](const torch::Tensor& t, int64_t a, int64_t b) { return t.slice(2, a - ea, b - ea); };

            tiling::Band f{flowS.slice(2, ea, eb), ea, eb};
            f = prelu(conv3(f, flow_convs, 0, lo(6), hi(6), height), flow_convs, 1);
            f = prelu(conv3(f, flow_convs, 2, lo(5), hi(5), height), flow_convs, 3);
            tiling::Band motion{torch::cat({crop(corr, f.a, f.b), f.x}, 1), f.a, f.b};
            corr = torch::Tensor();
            motion = prelu(conv3(motion, motion_convs, 0, lo(4), hi(4), height), motion_convs, 1);
            tiling::Band g{torch::cat({crop(fea, motion.a, motion.b), crop(feaS, motion.a, motion.b), motion.x,
                                       flowS.slice(2, motion.a, motion.b)},
                                      1),
                           motion.a, motion.b};
            fea = feaS = torch::Tensor();
            g = prelu(conv3(g, gru, 0, lo(3), hi(3), height), gru, 1);
            g = prelu(conv3(g, gru, 2, lo(2), hi(2), height), gru, 3);
            g = prelu(conv3(g, flow_head, 0, lo(1), hi(1), height), flow_head, 1);
            g = conv3(g, flow_head, 2, r, e, height);
            out.slice(1, 2 * side, 2 * side + 2).slice(2, r, e).copy_(flowS.slice(2, r, e) + g.x);
        }
    }
    return out;
}

FlowRefineNetMultisImpl::FlowRefineNetMultisImpl(int64_t c) {
    rf_block1 = register_module("rf_block1", FlowRefineNetA(c, c));
    rf_block2 = register_module("rf_block2", FlowRefineNetA(c, c));
    rf_block3 = register_module("rf_block3", FlowRefineNetA(2 * c, 2 * c));
    rf_block4 = register_module("rf_block4", FlowRefineNetA(2 * c, 2 * c));
}

torch::Tensor FlowRefineNetMultisImpl::forward(std::vector<torch::Tensor> feats, const torch::Tensor& flowIn) {
    TORCH_CHECK(feats.size() == 4, "flow refinement needs 4 feature levels, got ", feats.size());
    const int64_t bs = feats[0].size(0) / 2;
    FlowRefineNetA blocks[4] = {rf_block1, rf_block2, rf_block3, rf_block4};
    auto flow = resizeFlow(flowIn, 0.25);
    for (int level = 3; level >= 0; --level) {
        if (level != 3) {
            flow = resizeFlow(flow, 2.0);
        }
        const auto s = std::move(feats[static_cast<size_t>(level)]);
        // Sized for ~16 feature-wide tensors per band row (warps, normalised copies, conv outputs).
        const int64_t rows = m_tapByTap && bs == 1 ? bandRowsFor(m_plan, s.size(2), s.size(3), s.size(1), 16) : 0;
        if (rows > 0) {
            flow = blocks[level]->forwardTiled(s.slice(0, 0, bs), s.slice(0, bs), flow.slice(1, 0, 2),
                                               flow.slice(1, 2, 4), rows);
        } else {
            flow = blocks[level]->forward(s.slice(0, 0, bs), s.slice(0, bs), flow.slice(1, 0, 2), flow.slice(1, 2, 4));
        }
    }
    return flow;
}

void FlowRefineNetMultisImpl::setTapByTap(bool on) {
    m_tapByTap = on;
    for (auto* block : {&rf_block1, &rf_block2, &rf_block3, &rf_block4}) {
        (*block)->setTapByTap(on);
    }
}

std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> FlowRefineNetMultisImpl::getContext(
    const std::vector<torch::Tensor>& feats, const torch::Tensor& flow, size_t firstLevel) {
    std::vector<torch::Tensor> c0(feats.size()), c1(feats.size());
    auto f0 = flow.slice(1, 0, 2);
    auto f1 = flow.slice(1, 2, 4);
    for (size_t level = 0; level < feats.size(); ++level) {
        if (level > 0) {
            f0 = resizeFlow(f0, 0.5);
            f1 = resizeFlow(f1, 0.5);
        }
        if (level < firstLevel) {
            continue;
        }
        const int64_t bs = feats[level].size(0) / 2;
        c0[level] = warp(feats[level].slice(0, 0, bs), f0);
        c1[level] = warp(feats[level].slice(0, bs), f1);
    }
    return {c0, c1};
}

}  // namespace vfi::model
