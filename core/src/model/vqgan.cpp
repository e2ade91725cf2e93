#include "vqgan.h"

#if __has_include("decoder.h")
#include "decoder.h"
#define VFI_HAVE_FLOW_DECODER 1
#endif

namespace vfi::model {

namespace F = torch::nn::functional;

PadInfo computePadding(int64_t h, int64_t w, int64_t numResolutions) {
    // 8: MaxViT window, 2^(levels-1): encoder down-sampling, 4: the diffusion UNet's two levels.
    const int64_t minSide = 8 * (int64_t{1} << (numResolutions - 1)) * 4;
    auto padFor = [&](int64_t side) -> int64_t {
        if (side % minSide == 0) {
            return 0;
        }
        const int64_t pad = minSide - side % minSide;
        return pad == side ? 0 : pad;  // the reference leaves a side of exactly minSide/2 alone
    };
    return {h, w, padFor(h), padFor(w)};
}

VQFlowNetInterfaceImpl::VQFlowNetInterfaceImpl(const VqganConfig& config) : m_config(config) {
    encoder = register_module("encoder", FIEncoder(config));
#ifdef VFI_HAVE_FLOW_DECODER
    decoder = register_module("decoder", std::make_shared<FlowDecoderWithResidualImpl>(config));
#endif
    quantize = register_module("quantize", VectorQuantizer(config.nEmbed, config.embedDim));
    quant_conv = register_module("quant_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.zChannels, config.embedDim, 1)));
    post_quant_conv = register_module("post_quant_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.embedDim, config.zChannels, 1)));
}

EncodeResult VQFlowNetInterfaceImpl::encode(const torch::Tensor& frames) {
    EncodeResult result;
    result.pad = computePadding(frames.size(2), frames.size(3), encoder->numResolutions());
    torch::Tensor x = frames;
    if (result.pad.padH > 0) {
        x = F::pad(x, F::PadFuncOptions({0, 0, 0, result.pad.padH}).mode(torch::kReflect));
    }
    if (result.pad.padW > 0) {
        x = F::pad(x, F::PadFuncOptions({0, result.pad.padW, 0, 0}).mode(torch::kReflect));
    }
    auto enc = encoder->forward(x, featureCache());
    x = torch::Tensor();
    result.latent = quant_conv(enc.latent);
    result.phiList = std::move(enc.phiList);
    result.encoderMappedToUnit = enc.mappedToUnit;
    return result;
}

}  // namespace vfi::model
