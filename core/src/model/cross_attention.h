// maxvit.py:SpatialCrossAttentionWithMax (decoder up levels): the context goes through an MBConv
// projection, then block and grid window attention with queries from x and keys/values from the
// context (the SAME LayerNorm normalises both), each followed by a feed-forward. out_conv exists in
// the checkpoint but the reference never calls it; it is instantiated so the keys match.
#pragma once

#include <torch/torch.h>

#include "maxvit.h"

namespace vfi::model {

// Global softmax attention split by query chunks over all keys (STAttnBlock, model-spec §5 item 3).
// q, k, v are (B, C, T); returns (B, C, T) with out[:, :, j] = sum_t v[:, :, t] * softmax_t(q_j . k_t * scale),
// the reference's bmm / scale / softmax(dim=2) / bmm sequence, one chunk of queries at a time so the
// T x T weight matrix never exists whole. The chunk holds as many queries as fit `budgetBytes` for the
// weights and their softmax (fp32 sizing); budgetBytes <= 0 computes all queries in one go.
// Queries per chunk for `tokens` keys at batch `batch` within `budgetBytes` (>= 1, <= tokens).
int64_t attentionQueryChunk(int64_t batch, int64_t tokens, int64_t budgetBytes);
torch::Tensor chunkedGlobalAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                     double scale, int64_t budgetBytes);

// Process-wide byte budget used by STAttnBlock (default 128 MiB; <= 0 = unchunked). Tests force tiny values.
// Fused scaled-dot-product attention (SpeedOptions::sdpa) for STAttn, the UNet's attention and the
// MaxViT windows: process-wide, off by default; has no effect before LibTorch 2.0.
void setFusedAttention(bool on);
bool fusedAttention();

void setGlobalAttentionBudget(int64_t bytes);
int64_t globalAttentionBudget();

// maxvit.py:SqueezeExcitation: gate = Sequential(mean over H,W; Linear(d, d/4, no bias); SiLU;
// Linear(d/4, d, no bias); Sigmoid; reshape); x * gate(x). Keys gate.1, gate.3.
class SqueezeExcitationImpl : public torch::nn::Module {
public:
    explicit SqueezeExcitationImpl(int64_t dim, double shrinkage = 0.25);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Sequential gate{nullptr};
};
TORCH_MODULE(SqueezeExcitation);

// maxvit.py:MBConv(dimIn, dimOut, downsample=False) for dimIn != dimOut (no residual):
// 0 conv1x1, 1 BN, 2 GELU, 3 depthwise conv3x3, 4 BN, 5 GELU, 6 SE, 7 conv1x1, 8 BN.
torch::nn::Sequential makeMBConv(int64_t dimIn, int64_t dimOut, int64_t expansion = 4);

class SpatialCrossAttentionWithMaxImpl : public torch::nn::Module {
public:
    SpatialCrossAttentionWithMaxImpl(int64_t channels, int64_t ctxDim, int64_t heads = 1,
                                     int64_t dimHead = -1, int64_t window = 8);
    // x (B, C, H, W), context (B, ctxDim, H, W); H, W multiples of the window.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context);

    torch::nn::Sequential proj_in{nullptr};
    PreNormAttention attn_block{nullptr};
    PreNormFeedForward ff_block{nullptr};
    PreNormAttention attn_grid{nullptr};
    PreNormFeedForward ff_grid{nullptr};
    torch::nn::Sequential out_conv{nullptr};

private:
    int64_t m_window;
};
TORCH_MODULE(SpatialCrossAttentionWithMax);

}  // namespace vfi::model
