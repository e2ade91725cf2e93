// MaxViT attention primitives (maxvit.py, adapted from lucidrains). Used by the encoder's level-4
// MaxAttentionBlock and, with a context tensor, by the decoder's SpatialCrossAttentionWithMax
// (model-dec). Layouts follow the einops patterns of the reference exactly (views + permutes), so the
// same LibTorch kernels see the same memory layouts.
#pragma once

#include <torch/torch.h>

namespace vfi::model {

// 'b d (x w1) (y w2) -> b x y w1 w2 d' (a view) and its inverse (a contiguous copy).
torch::Tensor maxvitBlockIn(const torch::Tensor& x, int64_t window);
torch::Tensor maxvitBlockOut(const torch::Tensor& x);
// 'b d (w1 x) (w2 y) -> b x y w1 w2 d' and its inverse.
torch::Tensor maxvitGridIn(const torch::Tensor& x, int64_t window);
torch::Tensor maxvitGridOut(const torch::Tensor& x);

// (Δi + w-1)·(2w-1) + (Δj + w-1) over a w×w window: maxvit.py's non-persistent rel_pos_indices.
torch::Tensor relPosIndices(int64_t window);

// maxvit.py:Attention. to_q/to_k/to_v Linear without bias, to_out = Sequential(Linear, Dropout),
// rel_pos_bias Embedding((2w-1)^2, heads). forward takes (b, X, Y, w1, w2, d) tensors; c defaults
// to x (self-attention); q comes from x, k and v from c.
class WindowAttentionImpl : public torch::nn::Module {
public:
    WindowAttentionImpl(int64_t dim, int64_t dimHead, int64_t window);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& c = {});

    torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr};
    torch::nn::Sequential to_out{nullptr};
    torch::nn::Embedding rel_pos_bias{nullptr};

private:
    int64_t m_heads;
    double m_scale;
    torch::Tensor m_relPosIndices;  // not a registered buffer: not in the checkpoint
};
TORCH_MODULE(WindowAttention);

// maxvit.py:FeedForward: net = Sequential(Linear(d,4d), GELU(erf), Dropout, Linear(4d,d), Dropout).
class FeedForwardImpl : public torch::nn::Module {
public:
    FeedForwardImpl(int64_t dim, int64_t mult = 4);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Sequential net{nullptr};
};
TORCH_MODULE(FeedForward);

// maxvit.py:PreNormResidual around an Attention: fn(norm(x), norm(c)) + x, the SAME LayerNorm for
// x and c. Keys: norm.*, fn.*.
class PreNormAttentionImpl : public torch::nn::Module {
public:
    PreNormAttentionImpl(int64_t dim, int64_t dimHead, int64_t window);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& c = {});

    torch::nn::LayerNorm norm{nullptr};
    WindowAttention fn{nullptr};
};
TORCH_MODULE(PreNormAttention);

// maxvit.py:PreNormResidual around a FeedForward: fn(norm(x)) + x.
class PreNormFeedForwardImpl : public torch::nn::Module {
public:
    explicit PreNormFeedForwardImpl(int64_t dim);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::LayerNorm norm{nullptr};
    FeedForward fn{nullptr};
};
TORCH_MODULE(PreNormFeedForward);

// maxvit.py:MaxAttentionBlock(in_channels, heads=1, dim_head=in_channels, window 8): block attention
// + FF, then grid attention + FF. In/out (B, C, H, W) with H, W multiples of the window.
class MaxAttentionBlockImpl : public torch::nn::Module {
public:
    MaxAttentionBlockImpl(int64_t channels, int64_t heads = 1, int64_t dimHead = -1, int64_t window = 8);
    torch::Tensor forward(const torch::Tensor& x);

    PreNormAttention attn_block{nullptr};
    PreNormFeedForward ff_block{nullptr};
    PreNormAttention attn_grid{nullptr};
    PreNormFeedForward ff_grid{nullptr};

private:
    int64_t m_window;
};
TORCH_MODULE(MaxAttentionBlock);

}  // namespace vfi::model
