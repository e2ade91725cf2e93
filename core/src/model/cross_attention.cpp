#include "cross_attention.h"

namespace vfi::model {

namespace nn = torch::nn;

SqueezeExcitationImpl::SqueezeExcitationImpl(int64_t dim, double shrinkage) {
    const auto hidden = static_cast<int64_t>(static_cast<double>(dim) * shrinkage);
    // Indices 0 and 5 are einops Reduce / Rearrange in the reference (no parameters).
    gate = register_module(
        "gate", nn::Sequential(nn::Functional([](const torch::Tensor& x) { return x.mean({2, 3}); }),
                               nn::Linear(nn::LinearOptions(dim, hidden).bias(false)), nn::SiLU(),
                               nn::Linear(nn::LinearOptions(hidden, dim).bias(false)), nn::Sigmoid(),
                               nn::Functional([](const torch::Tensor& x) {
                                   return x.view({x.size(0), x.size(1), 1, 1});
                               })));
}

torch::Tensor SqueezeExcitationImpl::forward(const torch::Tensor& x) { return x * gate->forward(x); }

nn::Sequential makeMBConv(int64_t dimIn, int64_t dimOut, int64_t expansion) {
    const int64_t hidden = expansion * dimOut;
    return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(dimIn, hidden, 1)), nn::BatchNorm2d(hidden), nn::GELU(),
                          nn::Conv2d(nn::Conv2dOptions(hidden, hidden, 3).stride(1).padding(1).groups(hidden)),
                          nn::BatchNorm2d(hidden), nn::GELU(), SqueezeExcitation(hidden),
                          nn::Conv2d(nn::Conv2dOptions(hidden, dimOut, 1)), nn::BatchNorm2d(dimOut));
}

SpatialCrossAttentionWithMaxImpl::SpatialCrossAttentionWithMaxImpl(int64_t channels, int64_t ctxDim, int64_t heads,
                                                                   int64_t dimHead, int64_t window)
    : m_window(window) {
    if (dimHead <= 0) {
        dimHead = channels / heads;
    }
    const int64_t layerDim = dimHead * heads;
    proj_in = register_module("proj_in", makeMBConv(ctxDim, layerDim));
    attn_block = register_module("attn_block", PreNormAttention(layerDim, dimHead, window));
    ff_block = register_module("ff_block", PreNormFeedForward(layerDim));
    attn_grid = register_module("attn_grid", PreNormAttention(layerDim, dimHead, window));
    ff_grid = register_module("ff_grid", PreNormFeedForward(layerDim));
    out_conv = register_module(
        "out_conv", nn::Sequential(SqueezeExcitation(layerDim * 2),
                                   nn::Conv2d(nn::Conv2dOptions(layerDim * 2, layerDim, 3).padding(1))));
}

torch::Tensor SpatialCrossAttentionWithMaxImpl::forward(const torch::Tensor& xIn, const torch::Tensor& context) {
    auto c = proj_in->forward(context);

    auto x = maxvitBlockIn(xIn, m_window);
    c = maxvitBlockIn(c, m_window);
    x = attn_block->forward(x, c);
    x = ff_block->forward(x);
    x = maxvitBlockOut(x);
    c = maxvitBlockOut(c);

    x = maxvitGridIn(x, m_window);
    c = maxvitGridIn(c, m_window);
    x = attn_grid->forward(x, c);
    x = ff_grid->forward(x);
    return maxvitGridOut(x);
}

}  // namespace vfi::model
