// VFI/archs/VFIformer_arch.py:IFNet (RIFE-style coarse-to-fine flow), kept by the decoder as
// `flownet`. Widths are hard-coded in the reference: (in, scale, c) = (6,4,240), (10,2,150), (10,1,90).
// Keys: blockN.conv0.{0,1}.{0 conv, 1 PReLU}, blockN.convblock.{0..7}.{0,1}, blockN.conv1 (ConvTranspose2d).
#pragma once

#include <torch/torch.h>

namespace vfi::model {

// VFIformer_arch.py:conv: Sequential(Conv2d 3x3 with bias, PReLU(out)); children named "0" and "1"
// (LibTorch cannot nest a Sequential inside a Sequential).
class ConvPreluImpl : public torch::nn::Module {
public:
    ConvPreluImpl(int64_t in, int64_t out, int64_t stride = 1);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv{nullptr};
    torch::nn::PReLU act{nullptr};
};
TORCH_MODULE(ConvPrelu);

class IFBlockImpl : public torch::nn::Module {
public:
    IFBlockImpl(int64_t inPlanes, int64_t scale, int64_t c);
    // Output: 4 flow channels at the resolution of x (flow values are not rescaled, as in the reference).
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Sequential conv0{nullptr};
    torch::nn::Sequential convblock{nullptr};
    torch::nn::ConvTranspose2d conv1{nullptr};

private:
    int64_t m_scale;
};
TORCH_MODULE(IFBlock);

class IFNetImpl : public torch::nn::Module {
public:
    IFNetImpl();
    // x = cat(img0, img1) (B, 6, H, W); returns F3 (B, 4, H/2, W/2): channels 0:2 sample img0, 2:4 img1.
    torch::Tensor forward(const torch::Tensor& x);

    IFBlock block0{nullptr}, block1{nullptr}, block2{nullptr};
};
TORCH_MODULE(IFNet);

}  // namespace vfi::model
