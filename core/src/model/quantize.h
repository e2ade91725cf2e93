// quantize.py:VectorQuantizer2 at inference: nearest codebook entry per latent vector, returned in
// the straight-through form z + (e - z) (differs from e by float rounding; kept for bit-parity).
#pragma once

#include <torch/torch.h>

namespace vfi::model {

struct QuantizeOutput {
    torch::Tensor zq;       // (N, C, h, w)
    torch::Tensor indices;  // (N, h, w) int64
};

class VectorQuantizerImpl : public torch::nn::Module {
public:
    VectorQuantizerImpl(int64_t nEmbed, int64_t embedDim);
    QuantizeOutput forward(const torch::Tensor& z);
    // The reference's distance matrix ‖z‖² + ‖e‖² − 2 z·eᵀ, (N·h·w, nEmbed), rows in (n, y, x) order.
    torch::Tensor distances(const torch::Tensor& z);

    torch::nn::Embedding embedding{nullptr};
};
TORCH_MODULE(VectorQuantizer);

}  // namespace vfi::model
