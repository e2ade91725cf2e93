#include "vqgan.h"

#include <algorithm>

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
        if (side < minSide / 2) {
            return minSide / 2 - side;  // the reference fails here (reflect pad >= side)
        }
        const int64_t pad = minSide - side % minSide;
        return pad == side ? 0 : pad;  // the reference leaves a side of exactly minSide/2 alone
    };
    return {h, w, padFor(h), padFor(w)};
}

torch::Tensor padBottomRight(const torch::Tensor& x, int64_t padH, int64_t padW) {
    torch::Tensor y = x;
    // dim 2 (rows) then dim 3 (columns), as the reference's two F.pad calls in encode().
    for (int dim : {2, 3}) {
        int64_t remaining = dim == 2 ? padH : padW;
        while (remaining > 0) {
            const int64_t step = std::min(remaining, y.size(dim) - 1);
            TORCH_CHECK(step > 0, "cannot reflect-pad a side of ", y.size(dim), " pixel");
            y = dim == 2 ? F::pad(y, F::PadFuncOptions({0, 0, 0, step}).mode(torch::kReflect))
                         : F::pad(y, F::PadFuncOptions({0, step, 0, 0}).mode(torch::kReflect));
            remaining -= step;
        }
    }
    return y;
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
    torch::Tensor x = padBottomRight(frames, result.pad.padH, result.pad.padW);
    auto enc = encoder->forward(x, featureCache());
    x = torch::Tensor();
    result.latent = quant_conv(enc.latent);
    result.phiList = std::move(enc.phiList);
    result.encoderMappedToUnit = enc.mappedToUnit;
    return result;
}

}  // namespace vfi::model
