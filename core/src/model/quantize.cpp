#include "quantize.h"

namespace vfi::model {

VectorQuantizerImpl::VectorQuantizerImpl(int64_t nEmbed, int64_t embedDim) {
    embedding = register_module("embedding", torch::nn::Embedding(nEmbed, embedDim));
}

torch::Tensor VectorQuantizerImpl::distances(const torch::Tensor& zIn) {
    const auto z = zIn.permute({0, 2, 3, 1}).contiguous();
    const auto flat = z.view({-1, z.size(3)});
    const auto& e = embedding->weight;
    // Distances stay fp32 whatever the compute precision (codebook argmin is a discontinuity).
    return torch::sum(flat.pow(2), 1, true) + torch::sum(e.pow(2), 1) -
           2 * torch::einsum("bd,dn->bn", {flat, e.permute({1, 0})});
}

QuantizeOutput VectorQuantizerImpl::forward(const torch::Tensor& zIn) {
    const auto z = zIn.permute({0, 2, 3, 1}).contiguous();
    const auto d = distances(zIn);
    auto indices = torch::argmin(d, 1);
    auto zq = embedding(indices).view(z.sizes());
    // Straight-through form of the reference: z + (e - z), not e (differs by rounding).
    zq = z + (zq - z);
    QuantizeOutput out;
    out.zq = zq.permute({0, 3, 1, 2}).contiguous();
    out.indices = indices.view({z.size(0), z.size(1), z.size(2)});
    return out;
}

}  // namespace vfi::model
