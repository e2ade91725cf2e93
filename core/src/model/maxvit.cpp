#include "maxvit.h"

#include "cross_attention.h"
#include "torch_compat.h"

#include <cmath>

namespace vfi::model {

torch::Tensor maxvitBlockIn(const torch::Tensor& x, int64_t window) {
    const int64_t b = x.size(0), d = x.size(1), X = x.size(2) / window, Y = x.size(3) / window;
    return x.reshape({b, d, X, window, Y, window}).permute({0, 2, 4, 3, 5, 1});
}

torch::Tensor maxvitBlockOut(const torch::Tensor& x) {
    const int64_t b = x.size(0), X = x.size(1), Y = x.size(2), w1 = x.size(3), w2 = x.size(4), d = x.size(5);
    return x.permute({0, 5, 1, 3, 2, 4}).reshape({b, d, X * w1, Y * w2});
}

torch::Tensor maxvitGridIn(const torch::Tensor& x, int64_t window) {
    const int64_t b = x.size(0), d = x.size(1), X = x.size(2) / window, Y = x.size(3) / window;
    return x.reshape({b, d, window, X, window, Y}).permute({0, 3, 5, 2, 4, 1});
}

torch::Tensor maxvitGridOut(const torch::Tensor& x) {
    const int64_t b = x.size(0), X = x.size(1), Y = x.size(2), w1 = x.size(3), w2 = x.size(4), d = x.size(5);
    return x.permute({0, 5, 3, 1, 4, 2}).reshape({b, d, w1 * X, w2 * Y});
}

torch::Tensor relPosIndices(int64_t window) {
    const int64_t n = window * window;
    auto idx = torch::empty({n, n}, torch::kLong);
    auto a = idx.accessor<int64_t, 2>();
    for (int64_t p = 0; p < n; ++p) {
        for (int64_t q = 0; q < n; ++q) {
            const int64_t di = p / window - q / window + window - 1;
            const int64_t dj = p % window - q % window + window - 1;
            a[p][q] = di * (2 * window - 1) + dj;
        }
    }
    return idx;
}

WindowAttentionImpl::WindowAttentionImpl(int64_t dim, int64_t dimHead, int64_t window)
    : m_heads(dim / dimHead), m_scale(std::pow(static_cast<double>(dimHead), -0.5)) {
    TORCH_CHECK(dim % dimHead == 0, "dimension should be divisible by dimension per head");
    auto lin = [&](const char* name) {
        return register_module(name, torch::nn::Linear(torch::nn::LinearOptions(dim, dim).bias(false)));
    };
    to_q = lin("to_q");
    to_k = lin("to_k");
    to_v = lin("to_v");
    to_out = register_module("to_out", torch::nn::Sequential(
        torch::nn::Linear(torch::nn::LinearOptions(dim, dim).bias(false)), torch::nn::Dropout(0.0)));
    rel_pos_bias = register_module("rel_pos_bias", torch::nn::Embedding((2 * window - 1) * (2 * window - 1), m_heads));
    m_relPosIndices = relPosIndices(window);
}

torch::Tensor WindowAttentionImpl::forward(const torch::Tensor& xIn, const torch::Tensor& cIn) {
    const auto& cSrc = cIn.defined() ? cIn : xIn;
    const int64_t batch = xIn.size(0), height = xIn.size(1), width = xIn.size(2);
    const int64_t wh = xIn.size(3), ww = xIn.size(4), d = xIn.size(5);
    auto x = xIn.reshape({batch * height * width, wh * ww, d});
    auto c = cSrc.reshape({cSrc.size(0) * cSrc.size(1) * cSrc.size(2), cSrc.size(3) * cSrc.size(4), cSrc.size(5)});

    auto splitHeads = [&](const torch::Tensor& t) {
        return t.reshape({t.size(0), t.size(1), m_heads, t.size(2) / m_heads}).permute({0, 2, 1, 3});
    };
    auto q = splitHeads(to_q(x));
    auto k = splitHeads(to_k(c));
    auto v = splitHeads(to_v(c));
    torch::Tensor out;
#if VFI_TORCH_AT_LEAST(2, 0)
    if (fusedAttention()) {
        // m_scale is dim_head^-1/2, the fused kernel's default; the relative-position bias is its
        // additive mask.
        auto bias = rel_pos_bias(m_relPosIndices.to(q.device())).permute({2, 0, 1}).unsqueeze(0).to(q.scalar_type());
        out = at::scaled_dot_product_attention(q, k, v, bias);
    }
#endif
    if (!out.defined()) {
        q = q * m_scale;
        auto sim = torch::einsum("bhid,bhjd->bhij", {q, k});
        auto bias = rel_pos_bias(m_relPosIndices.to(sim.device()));
        sim = sim + bias.permute({2, 0, 1});
        auto attn = torch::softmax(sim, -1);
        out = torch::einsum("bhij,bhjd->bhid", {attn, v});
    }
    // 'b h (w1 w2) d -> b w1 w2 (h d)'
    out = out.reshape({out.size(0), m_heads, wh, ww, out.size(3)}).permute({0, 2, 3, 1, 4});
    out = out.reshape({out.size(0), wh, ww, m_heads * out.size(4)});
    out = to_out->forward(out);
    return out.reshape({batch, height, width, wh, ww, d});
}

FeedForwardImpl::FeedForwardImpl(int64_t dim, int64_t mult) {
    net = register_module("net", torch::nn::Sequential(
        torch::nn::Linear(dim, dim * mult), torch::nn::GELU(), torch::nn::Dropout(0.0),
        torch::nn::Linear(dim * mult, dim), torch::nn::Dropout(0.0)));
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor& x) {
    return net->forward(x);
}

PreNormAttentionImpl::PreNormAttentionImpl(int64_t dim, int64_t dimHead, int64_t window) {
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    fn = register_module("fn", WindowAttention(dim, dimHead, window));
}

torch::Tensor PreNormAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& c) {
    if (c.defined()) {
        return fn(norm(x), norm(c)) + x;
    }
    return fn(norm(x)) + x;
}

PreNormFeedForwardImpl::PreNormFeedForwardImpl(int64_t dim) {
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    fn = register_module("fn", FeedForward(dim));
}

torch::Tensor PreNormFeedForwardImpl::forward(const torch::Tensor& x) {
    return fn(norm(x)) + x;
}

MaxAttentionBlockImpl::MaxAttentionBlockImpl(int64_t channels, int64_t heads, int64_t dimHead, int64_t window)
    : m_window(window) {
    if (dimHead <= 0) {
        dimHead = channels;
    }
    const int64_t layerDim = dimHead * heads;
    attn_block = register_module("attn_block", PreNormAttention(layerDim, dimHead, window));
    ff_block = register_module("ff_block", PreNormFeedForward(layerDim));
    attn_grid = register_module("attn_grid", PreNormAttention(layerDim, dimHead, window));
    ff_grid = register_module("ff_grid", PreNormFeedForward(layerDim));
}

torch::Tensor MaxAttentionBlockImpl::forward(const torch::Tensor& xIn) {
    auto x = maxvitBlockIn(xIn, m_window);
    x = attn_block(x);
    x = ff_block(x);
    x = maxvitBlockOut(x);
    x = maxvitGridIn(x, m_window);
    x = attn_grid(x);
    x = ff_grid(x);
    return maxvitGridOut(x);
}

}  // namespace vfi::model
