#include "ifnet.h"

#include "warp.h"

namespace vfi::model {

namespace nn = torch::nn;

ConvPreluImpl::ConvPreluImpl(int64_t in, int64_t out, int64_t stride) {
    conv = register_module("0", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1)));
    act = register_module("1", nn::PReLU(nn::PReLUOptions().num_parameters(out)));
}

torch::Tensor ConvPreluImpl::forward(const torch::Tensor& x) { return act->forward(conv->forward(x)); }

IFBlockImpl::IFBlockImpl(int64_t inPlanes, int64_t scale, int64_t c) : m_scale(scale) {
    conv0 = register_module("conv0", nn::Sequential(ConvPrelu(inPlanes, c / 2, 2), ConvPrelu(c / 2, c, 2)));
    convblock = nn::Sequential();
    for (int i = 0; i < 8; ++i) {
        convblock->push_back(ConvPrelu(c, c));
    }
    register_module("convblock", convblock);
    conv1 = register_module("conv1", nn::ConvTranspose2d(nn::ConvTranspose2dOptions(c, 4, 4).stride(2).padding(1)));
}

torch::Tensor IFBlockImpl::forward(const torch::Tensor& input) {
    torch::Tensor x = input;
    if (m_scale != 1) {
        x = resizeBilinear(x, 1.0 / static_cast<double>(m_scale));
    }
    x = conv0->forward(x);
    x = convblock->forward(x) + x;
    x = conv1->forward(x);
    if (m_scale != 1) {
        x = resizeBilinear(x, static_cast<double>(m_scale));
    }
    return x;
}

IFNetImpl::IFNetImpl() {
    block0 = register_module("block0", IFBlock(6, 4, 240));
    block1 = register_module("block1", IFBlock(10, 2, 150));
    block2 = register_module("block2", IFBlock(10, 1, 90));
}

torch::Tensor IFNetImpl::forward(const torch::Tensor& x) {
    auto img0 = x.slice(1, 0, 3);
    auto img1 = x.slice(1, 3);
    auto flow0 = block0->forward(x);
    auto large = resizeBilinear(flow0, 2.0) * 2.0;
    auto flow1 = block1->forward(
        torch::cat({warp(img0, large.slice(1, 0, 2)), warp(img1, large.slice(1, 2, 4)), large}, 1));
    auto f2 = flow0 + flow1;
    large = resizeBilinear(f2, 2.0) * 2.0;
    auto flow2 = block2->forward(
        torch::cat({warp(img0, large.slice(1, 0, 2)), warp(img1, large.slice(1, 2, 4)), large}, 1));
    // Reference order: (flow0 + flow1) + flow2.
    return (flow0 + flow1) + flow2;
}

}  // namespace vfi::model
