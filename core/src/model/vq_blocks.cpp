#include "vq_blocks.h"

#include "cross_attention.h"
#include "torch_compat.h"

#include <cmath>

namespace vfi::model {

namespace F = torch::nn::functional;

torch::Tensor swish(const torch::Tensor& x) {
    return x * torch::sigmoid(x);
}

torch::Tensor VqGroupNormImpl::forward(const torch::Tensor& x) {
    return torch::nn::GroupNormImpl::forward(x.is_cpu() ? x.contiguous() : x);
}

VqGroupNorm vqNorm(int64_t channels, int64_t groups) {
    return VqGroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(1e-6).affine(true));
}

torch::Tensor toVideo(const torch::Tensor& x, int64_t frames) {
    return torch::stack(torch::chunk(x, frames, 0), 2);
}

torch::Tensor fromVideo(const torch::Tensor& x) {
    // permute(B C F H W -> F B C H W) then '(f b) c h w': reshape copies like einops does.
    const auto p = x.permute({2, 0, 1, 3, 4});
    return p.reshape({p.size(0) * p.size(1), p.size(2), p.size(3), p.size(4)});
}

VqResnetBlockImpl::VqResnetBlockImpl(int64_t inChannels, int64_t outChannels)
    : m_in(inChannels), m_out(outChannels) {
    norm1 = register_module("norm1", vqNorm(inChannels));
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, outChannels, 3).padding(1)));
    norm2 = register_module("norm2", vqNorm(outChannels));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(outChannels, outChannels, 3).padding(1)));
    nin_shortcut = register_module("nin_shortcut", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, outChannels, 1)));
}

torch::Tensor VqResnetBlockImpl::forward(const torch::Tensor& x) {
    auto h = conv1(swish(norm1(x)));
    h = conv2(swish(norm2(h)));
    if (m_in != m_out) {
        return h + nin_shortcut(x);
    }
    return h + x;
}

ResnetBlockFusionImpl::ResnetBlockFusionImpl(int64_t inChannels, int64_t outChannels) {
    norm1 = register_module("norm1", vqNorm(inChannels));
    conv1 = register_module("conv1", torch::nn::Conv3d(torch::nn::Conv3dOptions(inChannels, outChannels, 3).padding(1)));
    norm2 = register_module("norm2", vqNorm(outChannels));
    conv2 = register_module("conv2", torch::nn::Conv3d(torch::nn::Conv3dOptions(outChannels, outChannels, 3).padding(1)));
    nin_shortcut = register_module("nin_shortcut", torch::nn::Conv3d(torch::nn::Conv3dOptions(inChannels, outChannels, 1)));
}

torch::Tensor ResnetBlockFusionImpl::forward(const torch::Tensor& x) {
    const auto video = toVideo(x);
    auto h = conv1(swish(norm1(video)));
    h = fromVideo(h);
    h = swish(norm2(h));
    h = conv2(toVideo(h));
    h = h + nin_shortcut(video);
    return fromVideo(h);
}

STAttnBlockImpl::STAttnBlockImpl(int64_t channels) {
    norm = register_module("norm", vqNorm(channels));
    auto conv = [&](const char* name) {
        return register_module(name, torch::nn::Conv3d(torch::nn::Conv3dOptions(channels, channels, 1)));
    };
    q = conv("q");
    k = conv("k");
    v = conv("v");
    proj_out = conv("proj_out");
}

torch::Tensor STAttnBlockImpl::forward(const torch::Tensor& x) {
    auto h = norm(toVideo(x));
    auto qq = q(h);
    auto kk = k(h);
    auto vv = v(h);
    h = torch::Tensor();
    const int64_t b = qq.size(0), c = qq.size(1), f = qq.size(2), hh = qq.size(3), ww = qq.size(4);
#if VFI_TORCH_AT_LEAST(2, 0)
    if (fusedAttention()) {
        // softmax(q^T k / sqrt(C)) over the keys, as below, by the fused kernel: (B, 1, T, C) each.
        auto tokens = [&](const torch::Tensor& t) { return t.reshape({b, c, f * hh * ww}).transpose(1, 2).unsqueeze(1); };
        auto fused = at::scaled_dot_product_attention(tokens(qq), tokens(kk), tokens(vv));
        auto out = fused.squeeze(1).transpose(1, 2).reshape({b, c, f, hh, ww});
        return x + fromVideo(proj_out(out));
    }
#endif
    // Query chunks over all keys (cross_attention.cpp): the T x T weights never exist whole.
    auto out = chunkedGlobalAttention(qq.reshape({b, c, f * hh * ww}), kk.reshape({b, c, f * hh * ww}),
                                      vv.reshape({b, c, f * hh * ww}), std::pow(static_cast<double>(c), -0.5),
                                      globalAttentionBudget())
                   .reshape({b, c, f, hh, ww});
    qq = kk = vv = torch::Tensor();
    return x + fromVideo(proj_out(out));
}

VqDownsampleImpl::VqDownsampleImpl(int64_t channels) {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).stride(2).padding(0)));
}

torch::Tensor VqDownsampleImpl::forward(const torch::Tensor& x) {
    // No asymmetric padding in conv: pad right/bottom by one zero first, as the reference.
    return conv(F::pad(x, F::PadFuncOptions({0, 1, 0, 1}).mode(torch::kConstant).value(0)));
}

}  // namespace vfi::model
