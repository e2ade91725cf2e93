// Building blocks of the VQ-flow autoencoder shared by the encoder (FIEncoder, model-enc) and the
// decoder (FlowDecoderWithResidual, model-dec). Names mirror model.py so that named_parameters()
// reproduce the official state-dict keys. Frames travel frame-major as a batch of 3: (3, C, H, W).
#pragma once

#include <torch/torch.h>

namespace vfi::model {

// model.py:nonlinearity. The VQ model uses x*sigmoid(x), not silu(): same maths, different kernel,
// and the port mirrors the primitive for bit-parity.
torch::Tensor swish(const torch::Tensor& x);

// GroupNorm that gives the CPU kernel contiguous (NCHW) input. LibTorch 1.13's channels-last CPU
// kernel sums in float: at 512² it is 1e-3 off, which moved case-a's latent by 0.15 and flipped VQ
// codes (test_speed_paths); the contiguous kernel is exact to 1e-6. Other devices get the input as is.
class VqGroupNormImpl : public torch::nn::GroupNormImpl {
public:
    using torch::nn::GroupNormImpl::GroupNormImpl;
    torch::Tensor forward(const torch::Tensor& x);
};
TORCH_MODULE(VqGroupNorm);

// model.py:Normalize: GroupNorm(4 groups, eps 1e-6, affine).
VqGroupNorm vqNorm(int64_t channels, int64_t groups = 4);

// (F*B, C, H, W) frame-major batch -> (B, C, F, H, W): chunk(F) + stack(dim 2) (model.py:Rearrange).
torch::Tensor toVideo(const torch::Tensor& x, int64_t frames = 3);
// (B, C, F, H, W) -> (F*B, C, H, W) frame-major, the inverse of toVideo. The reference's
// Rearrange(back=True) returns batch-major order, which mixes the frames of different pairs for B > 1
// (spec §1.9); for B = 1 both orders are the same tensor.
torch::Tensor fromVideo(const torch::Tensor& x);

// model.py:ResnetBlock (2D, no time embedding). nin_shortcut always exists (it is in the
// checkpoint) but only runs when in != out, as in the reference.
class VqResnetBlockImpl : public torch::nn::Module {
public:
    VqResnetBlockImpl(int64_t inChannels, int64_t outChannels);
    torch::Tensor forward(const torch::Tensor& x);

    VqGroupNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, nin_shortcut{nullptr};

private:
    int64_t m_in, m_out;
};
TORCH_MODULE(VqResnetBlock);

// model.py:ResnetBlock_fusion. Input/output (3, C, H, W). norm1 on the 5D video (statistics joint
// over the 3 frames), Conv3d k3 p1, norm2 per frame; the 1x1x1 nin_shortcut always applies.
class ResnetBlockFusionImpl : public torch::nn::Module {
public:
    ResnetBlockFusionImpl(int64_t inChannels, int64_t outChannels);
    torch::Tensor forward(const torch::Tensor& x);

    VqGroupNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv3d conv1{nullptr}, conv2{nullptr}, nin_shortcut{nullptr};
};
TORCH_MODULE(ResnetBlockFusion);

// model.py:STAttnBlock: single-head global attention over all F*H*W tokens. In/out (3, C, H, W).
class STAttnBlockImpl : public torch::nn::Module {
public:
    explicit STAttnBlockImpl(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x);

    VqGroupNorm norm{nullptr};
    torch::nn::Conv3d q{nullptr}, k{nullptr}, v{nullptr}, proj_out{nullptr};
};
TORCH_MODULE(STAttnBlock);

// model.py:Downsample(with_conv=True): zero pad (0,1,0,1) then conv3 stride 2, no padding.
class VqDownsampleImpl : public torch::nn::Module {
public:
    explicit VqDownsampleImpl(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(VqDownsample);

}  // namespace vfi::model
