// VQFlowNetInterface.decode (vqgan.py): quantise, post_quant_conv, the optional reduced-resolution
// flow pass, the decoder, and the crop back to the input size.
#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "decoder.h"
#include "profiling.h"
#include "vqgan.h"
#include "warp.h"

namespace vfi::model {

namespace F = torch::nn::functional;

namespace {

torch::Tensor padReflect(const torch::Tensor& x, const PadInfo& pad) {
    if (pad.padH == 0 && pad.padW == 0) {
        return x;
    }
    // The reference pads with F.pad(x, (0, pad_w, 0, pad_h), 'reflect') in one call: the same
    // values as padding rows and then columns (padBottomRight), which also serves sides < 256.
    if (pad.padH < pad.h0 && pad.padW < pad.w0) {
        return F::pad(x, F::PadFuncOptions({0, pad.padW, 0, pad.padH}).mode(torch::kReflect));
    }
    return padBottomRight(x, pad.padH, pad.padW);
}

// The codebook lookup in bands of latent rows when the plan is tiled: the distance matrix
// (tokens x codebook entries, fp32, a few copies alive) grows with the frame (~3 GB at 4K) while each
// token's nearest entry depends on that token alone, so bands give the same indices and values.
QuantizeOutput quantizeBanded(VectorQuantizerImpl& quantize, const torch::Tensor& latent, const MemoryPlan& plan) {
    const int64_t height = latent.size(2);
    const int64_t rows =
        bandRowsFor(plan, height, latent.size(0) * latent.size(3), quantize.embedding->weight.size(0), 4, 4);
    if (rows == 0) {
        return quantize.forward(latent);
    }
    std::vector<torch::Tensor> zq, indices;
    for (int64_t r = 0; r < height; r += rows) {
        auto part = quantize.forward(latent.slice(2, r, std::min(r + rows, height)));
        zq.push_back(std::move(part.zq));
        indices.push_back(std::move(part.indices));
    }
    return {torch::cat(zq, 2), torch::cat(indices, 1)};
}

}  // namespace

torch::Tensor VQFlowNetInterfaceImpl::decode(const torch::Tensor& latent, const torch::Tensor& prev,
                                             const torch::Tensor& next, const std::vector<torch::Tensor>& phiList,
                                             const PadInfo& pad, double scale, DecodeTrace* trace) {
    torch::NoGradGuard noGrad;
    torch::Tensor quant;
    std::optional<prof::Stage> codebook(std::in_place, prof::kCodebook);
    if (trace != nullptr && trace->forcedQuant.defined()) {
        quant = trace->forcedQuant;
    } else {
        auto q = quantizeBanded(*quantize, latent, decoder->memoryPlan());
        quant = q.zq;
        if (trace != nullptr) {
            trace->indices = q.indices;
        }
    }
    if (trace != nullptr) {
        trace->quant = quant;
    }
    auto framePrev = padReflect(prev, pad);
    auto frameNext = padReflect(next, pad);
    auto postQuant = post_quant_conv->forward(quant);
    if (trace != nullptr) {
        trace->postQuant = postQuant;
    }
    codebook.reset();

    torch::Tensor flow;
    if (scale < 1.0) {
        std::optional<prof::Stage> reducedStage(std::in_place, prof::kEncoderReduced);
        // Downscale the UNPADDED frames and place them top-left on a zero canvas of floor(P * scale).
        const auto h = static_cast<int64_t>(std::floor(static_cast<double>(framePrev.size(2)) * scale));
        const auto w = static_cast<int64_t>(std::floor(static_cast<double>(framePrev.size(3)) * scale));
        auto down0 = resizeBilinear(prev, scale);
        auto down1 = resizeBilinear(next, scale);
        auto img0 = torch::zeros({prev.size(0), prev.size(1), h, w}, prev.options());
        auto img1 = torch::zeros({prev.size(0), prev.size(1), h, w}, prev.options());
        img0.slice(2, 0, down0.size(2)).slice(3, 0, down0.size(3)).copy_(down0);
        img1.slice(2, 0, down1.size(2)).slice(3, 0, down1.size(3)).copy_(down1);
        down0 = torch::Tensor();
        down1 = torch::Tensor();
        std::vector<torch::Tensor> feats;
        {
            // Only phi_list[:4] of the reference's encoder(cat[img0, 0, img1]) is used: the encoder
            // runs just those down-path levels of the two frames (same min() < 0 decision), pair by
            // pair; a batch's features are [frame 0 of every pair, frame 1 of every pair].
            const int64_t pairs = img0.size(0);
            std::vector<std::vector<torch::Tensor>> perPair;
            for (int64_t p = 0; p < pairs; ++p) {
                auto reduced = encoder->flowFeatures(img0.slice(0, p, p + 1), img1.slice(0, p, p + 1), 4, featureCache());
                perPair.push_back(std::move(reduced.phiList));
                if (trace != nullptr) {
                    trace->reducedEncoderMappedToUnit = reduced.mappedToUnit;
                }
            }
            if (pairs == 1) {
                feats = std::move(perPair.front());
            } else {
                for (size_t l = 0; l < perPair.front().size(); ++l) {
                    std::vector<torch::Tensor> parts;
                    for (int half = 0; half < 2; ++half)
                        for (auto& phi : perPair) parts.push_back(phi[l].slice(0, half, half + 1));
                    feats.push_back(torch::cat(parts, 0));
                }
            }
        }
        reducedStage.reset();
        torch::Tensor coarse;
        // Quirk kept: IFNet sees these frames in [-1, 1] (the scale = 1 path gives it [0, 1]).
        flow = decoder->getFlow(img0, img1, std::move(feats), &coarse, scale);
        if (trace != nullptr) {
            trace->ifnetFlow = coarse;
        }
        feats.clear();
    }

    DecoderTrace decTrace;
    auto dec = decoder->forward(postQuant, phiList, framePrev, frameNext, flow, trace != nullptr ? &decTrace : nullptr);
    const int64_t h0 = prev.size(2), w0 = prev.size(3);
    if (trace != nullptr) {
        if (decTrace.ifnetFlow.defined()) {
            trace->ifnetFlow = decTrace.ifnetFlow;
        }
        trace->flow = decTrace.flow;
        trace->decPreclamp = decTrace.preclamp.slice(2, 0, h0).slice(3, 0, w0);
        trace->decoderMappedToUnit = decTrace.mappedToUnit;
    }
    return dec.slice(2, 0, h0).slice(3, 0, w0);
}

}  // namespace vfi::model
