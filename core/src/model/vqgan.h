// vqgan.py:VQFlowNetInterface: the VQ-flow autoencoder. Submodules in the official key order:
// encoder (FIEncoder, model-enc), decoder (FlowDecoderWithResidual, model-dec, decoder.h),
// quantize (VectorQuantizer2), quant_conv, post_quant_conv.
// encode() is implemented in vqgan.cpp (model-enc); decode() in vqgan_decode.cpp (model-dec).
// Unlike the reference, the padding amounts are returned (PadInfo) instead of being stored on the
// module, so one module can serve several pairs without hidden state.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "encoder.h"
#include "model_config.h"
#include "quantize.h"

namespace vfi::model {

// decoder.h (model-dec) defines it with the constructor FlowDecoderWithResidualImpl(const VqganConfig&).
class FlowDecoderWithResidualImpl;

// Bottom/right reflect padding applied by encode() and reused by decode().
struct PadInfo {
    int64_t h0 = 0, w0 = 0;      // original frame size
    int64_t padH = 0, padW = 0;  // rows / columns added
};

// Reference rule: pad each side to a multiple of 512 (8 · 2^(levels-1) · 4), except when the pad
// would equal the side (a side of exactly 256 stays). The reference fails on sides < 256 (reflect
// needs pad < side); here they are padded to 256, the smallest side the model takes unpadded.
PadInfo computePadding(int64_t h, int64_t w, int64_t numResolutions);

// Bottom/right reflect padding by (padH, padW) of a (N, C, H, W) tensor. Where the pad is smaller
// than the side this is the reference's single F.pad(..., 'reflect'); a larger pad (sides < 256)
// reflects repeatedly, each time by at most the current side - 1, i.e. mirrors the mirrored image.
// Sides of 1 cannot be reflected (InvalidArgument from sample() before this is reached).
torch::Tensor padBottomRight(const torch::Tensor& x, int64_t padH, int64_t padW);

struct EncodeResult {
    torch::Tensor latent;                // (3, embedDim, Ph/32, Pw/32) after quant_conv
    std::vector<torch::Tensor> phiList;  // see EncoderOutput
    PadInfo pad;
    bool encoderMappedToUnit = false;    // the encoder's min() < 0 branch
};

// Optional intermediates of decode() for parity tests and model-check.
struct DecodeTrace {
    torch::Tensor quant;          // (3, C, h, w) straight-through VQ output
    torch::Tensor indices;        // (3, h, w) int64
    torch::Tensor postQuant;      // (3, C, h, w)
    torch::Tensor ifnetFlow;      // IFNet output before refinement
    torch::Tensor flow;           // (1, 4, Ph, Pw) flow given to the decoder
    torch::Tensor decPreclamp;    // blend before clamp / mapping back, cropped to (H, W)
    bool reducedEncoderMappedToUnit = false;  // half-res encoder pass min() < 0 (scale < 1)
    bool decoderMappedToUnit = false;         // decoder prev-frame min() < 0
    torch::Tensor forcedQuant;    // if defined: use this instead of quantizing (golden near-ties)
};

class VQFlowNetInterfaceImpl : public torch::nn::Module {
public:
    explicit VQFlowNetInterfaceImpl(const VqganConfig& config);

    // frames: (3, 3, H, W) = [prev, zeros, next] in [-1, 1], unpadded. Pads, runs the encoder and quant_conv.
    EncodeResult encode(const torch::Tensor& frames);

    // latent: (3, C, h, w) frame-major (the sampler's (1,C,3,h,w) permuted back); prev/next: (1,3,H,W)
    // unpadded in [-1,1]. Returns (1, 3, H, W). Implemented by model-dec (vqgan_decode.cpp).
    torch::Tensor decode(const torch::Tensor& latent, const torch::Tensor& prev, const torch::Tensor& next,
                         const std::vector<torch::Tensor>& phiList, const PadInfo& pad, double scale,
                         DecodeTrace* trace = nullptr);

    const VqganConfig& config() const { return m_config; }

    // Reuse of per-frame encoder down-path features across pairs (issue 3, item 6b), for encode() and
    // for decode()'s reduced-resolution pass (FIEncoder::flowFeatures). Capacity in frames; 0 (the
    // default) disables it. Each entry holds one frame's features at every level (about 90 floats
    // per padded pixel at ch = 64), so size it to the memory budget.
    void setFeatureCacheCapacity(size_t frames) { m_featureCache.setCapacity(frames); }
    EncoderFeatureCache* featureCache() { return m_featureCache.capacity() > 0 ? &m_featureCache : nullptr; }

    FIEncoder encoder{nullptr};
    std::shared_ptr<FlowDecoderWithResidualImpl> decoder;
    VectorQuantizer quantize{nullptr};
    torch::nn::Conv2d quant_conv{nullptr}, post_quant_conv{nullptr};

private:
    VqganConfig m_config;
    EncoderFeatureCache m_featureCache{0};
};
TORCH_MODULE(VQFlowNetInterface);

}  // namespace vfi::model
