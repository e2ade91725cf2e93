#include "cross_attention.h"

#include <algorithm>
#include <atomic>

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

namespace vfi::model {

namespace {
std::atomic<int64_t> g_attentionBudget{int64_t{128} << 20};
}

void setGlobalAttentionBudget(int64_t bytes) { g_attentionBudget.store(bytes); }

namespace {
std::atomic<bool> g_fusedAttention{false};
}
void setFusedAttention(bool on) { g_fusedAttention.store(on); }
bool fusedAttention() { return g_fusedAttention.load(); }
int64_t globalAttentionBudget() { return g_attentionBudget.load(); }

int64_t attentionQueryChunk(int64_t batch, int64_t tokens, int64_t budgetBytes) {
    if (budgetBytes <= 0) return tokens;
    // Weights plus their softmax output live together, sized as fp32 (softmax runs in fp32).
    const int64_t perQuery = std::max<int64_t>(1, 2 * batch * tokens * static_cast<int64_t>(sizeof(float)));
    return std::clamp<int64_t>(budgetBytes / perQuery, 1, std::max<int64_t>(tokens, 1));
}

torch::Tensor chunkedGlobalAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                     double scale, int64_t budgetBytes) {
    const int64_t b = q.size(0), t = q.size(2);
    const auto qt = q.permute({0, 2, 1});   // (B, T, C) view, as the reference's permute
    const int64_t chunk = attentionQueryChunk(b, t, budgetBytes);
    auto weights = [&](int64_t start, int64_t n) {
        auto w = torch::bmm(n == t ? qt : qt.narrow(1, start, n), k);   // (B, n, T)
        w.mul_(scale);   // in place: the same multiply as the reference's w * scale, one buffer less
        return torch::softmax(w, 2);
    };
    if (chunk >= t) {
        return torch::bmm(v, weights(0, t).permute({0, 2, 1}));
    }
    torch::Tensor out;
    for (int64_t start = 0; start < t; start += chunk) {
        const int64_t n = std::min(chunk, t - start);
        auto part = torch::bmm(v, weights(start, n).permute({0, 2, 1}));   // (B, C, n)
        if (!out.defined()) {
            out = torch::empty({b, v.size(1), t}, part.options());
        }
        out.narrow(2, start, n).copy_(part);
    }
    return out;
}

}  // namespace vfi::model
