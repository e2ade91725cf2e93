#include "decoder.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "profiling.h"
#include "warp.h"

namespace vfi::model {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

ResnetBlockDecImpl::ResnetBlockDecImpl(int64_t inChannels, int64_t outChannels) {
    norm1 = register_module("norm1", vqNorm(inChannels));
    conv1 = register_module("conv1", nn::Conv3d(nn::Conv3dOptions(inChannels, outChannels, 3).stride(1).padding(1)));
    norm2 = register_module("norm2", vqNorm(outChannels));
    conv2 = register_module(
        "conv2", nn::Conv3d(nn::Conv3dOptions(outChannels, outChannels, 3).stride(1).padding({0, 1, 1})));
    nin_shortcut = register_module(
        "nin_shortcut", nn::Conv3d(nn::Conv3dOptions(inChannels, outChannels, {3, 1, 1}).stride(1).padding(0)));
}

torch::Tensor ResnetBlockDecImpl::forward(const torch::Tensor& frames) {
    auto x = toVideo(frames);
    auto h = conv1->forward(swish(norm1->forward(x)));
    h = swish(norm2->forward(fromVideo(h)));
    h = conv2->forward(toVideo(h));
    h = h + nin_shortcut->forward(x);
    return h.squeeze(2);
}

VqUpsampleImpl::VqUpsampleImpl(int64_t channels) {
    conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(channels, channels, 3).stride(1).padding(1)));
}

torch::Tensor VqUpsampleImpl::forward(const torch::Tensor& x) {
    auto up = F::interpolate(
        x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
    return conv->forward(up);
}

DecoderMidImpl::DecoderMidImpl(int64_t channels) {
    block_1 = register_module("block_1", ResnetBlockFusion(channels, channels));
    attn_1 = register_module("attn_1", STAttnBlock(channels));
    block_2 = register_module("block_2", ResnetBlockDec(channels, channels));
}

DecoderLevelImpl::DecoderLevelImpl(int64_t blockIn, int64_t blockOut, int64_t numResBlocks, bool withAttn,
                                   int64_t ctxDim) {
    block = nn::ModuleList();
    attn = nn::ModuleList();
    for (int64_t i = 0; i < numResBlocks; ++i) {
        block->push_back(VqResnetBlock(blockIn, blockOut));
        blockIn = blockOut;
        if (withAttn) {
            attn->push_back(MaxAttentionBlock(blockIn));
        }
    }
    register_module("block", block);
    register_module("attn", attn);
    cross_attn = register_module("cross_attn", SpatialCrossAttentionWithMax(blockIn, ctxDim));
    upsample = register_module("upsample", VqUpsample(blockIn));
}

FlowDecoderWithResidualImpl::FlowDecoderWithResidualImpl(const VqganConfig& config) : m_config(config) {
    const auto& mult = config.chMult;
    const auto numRes = static_cast<int64_t>(mult.size());
    flownet = register_module("flownet", IFNet());
    refinenet = register_module("refinenet", FlowRefineNetMultis(config.ch));

    int64_t blockIn = config.ch * mult.back();
    int64_t currRes = config.resolution >> (numRes - 1);
    conv_in = register_module(
        "conv_in", nn::Conv3d(nn::Conv3dOptions(config.zChannels, blockIn, 3).stride(1).padding(1)));
    mid = register_module("mid", DecoderMid(blockIn));

    std::vector<DecoderLevel> levels(static_cast<size_t>(numRes), nullptr);
    for (int64_t i = numRes - 1; i >= 0; --i) {
        const int64_t blockOut = config.ch * mult[static_cast<size_t>(i)];
        const bool withAttn = std::find(config.attnResolutions.begin(), config.attnResolutions.end(), currRes) !=
                              config.attnResolutions.end();
        // Levels coarser than 1/8 get only the features as context, finer ones also the warped features.
        const int64_t ctxDim = blockOut * (i > 2 ? 2 : 4);
        levels[static_cast<size_t>(i)] = DecoderLevel(blockIn, blockOut, config.numResBlocks, withAttn, ctxDim);
        blockIn = blockOut;
        currRes *= 2;
    }
    up = nn::ModuleList();
    for (auto& level : levels) {
        up->push_back(level);
    }
    register_module("up", up);

    norm_out = register_module("norm_out", vqNorm(blockIn));
    conv_out = register_module("conv_out", nn::Conv2d(nn::Conv2dOptions(blockIn, blockIn, 3).stride(1).padding(1)));
    moduleout = register_module(
        "moduleout",
        nn::Sequential(nn::Conv2d(nn::Conv2dOptions(blockIn, 64, 3).stride(1).padding(1)), vqNorm(64, 16), nn::ReLU(),
                       nn::Conv2d(nn::Conv2dOptions(64, 32, 3).stride(1).padding(1)), vqNorm(32, 8), nn::ReLU(),
                       nn::Conv2d(nn::Conv2dOptions(32, 4, 3).stride(1).padding(1))));
}

torch::Tensor FlowDecoderWithResidualImpl::getFlow(const torch::Tensor& img0, const torch::Tensor& img1,
                                                   std::vector<torch::Tensor> feats, torch::Tensor* ifnetOut,
                                                   double flowScale) {
    torch::Tensor coarse;
    {
        prof::Stage stage(prof::kIfnet);
        coarse = flownet->forward(torch::cat({img0, img1}, 1));
    }
    if (ifnetOut != nullptr) {
        *ifnetOut = coarse;
    }
    prof::Stage stage(prof::kRefine);
    auto flow = refinenet->forward(std::move(feats), coarse);
    return flowScale < 1.0 ? resizeBilinear(flow, 1.0 / flowScale) / flowScale : flow;
}

torch::Tensor FlowDecoderWithResidualImpl::headUntiled(const torch::Tensor& hHalf, const torch::Tensor& warped0,
                                                       const torch::Tensor& warped1) {
    auto h = up[0]->as<DecoderLevelImpl>()->upsample->forward(hHalf);
    h = conv_out->forward(swish(norm_out->forward(h)));
    auto out = moduleout->forward(h);
    h = torch::Tensor();
    auto mask1 = torch::sigmoid(out.slice(1, 3, 4));
    auto mask2 = 1 - mask1;
    auto res = torch::sigmoid(out.slice(1, 0, 3)) * 2 - 1;
    return warped0 * mask1 + warped1 * mask2 + res;
}

int64_t FlowDecoderWithResidualImpl::levelBandRows(int64_t i, int64_t height, int64_t width) {
    auto level = up[static_cast<size_t>(i)]->as<DecoderLevelImpl>();
    if (!m_memoryPlan.tiled() || level->attn->size() > 0) {
        return 0;
    }
    const int64_t channels = 4 * level->cross_attn->attn_block->fn->to_q->options.out_features();
    return bandRowsFor(m_memoryPlan, height, width, channels, 8);
}

torch::Tensor FlowDecoderWithResidualImpl::forward(const torch::Tensor& z, const std::vector<torch::Tensor>& phiList,
                                                   const torch::Tensor& framePrevIn, const torch::Tensor& frameNextIn,
                                                   const torch::Tensor& flowIn, DecoderTrace* trace) {
    const auto numRes = static_cast<int64_t>(m_config.chMult.size());
    TORCH_CHECK(static_cast<int64_t>(phiList.size()) == numRes + 1, "decoder expects ", numRes + 1,
                " feature levels, got ", phiList.size());
    auto framePrev = framePrevIn;
    auto frameNext = frameNextIn;
    const int64_t b = framePrev.size(0);
    // Data-dependent, on the previous frame only (reference quirk); per pair of a batch.
    torch::Tensor backPerPair;   // (b) bool, host
    {
        prof::Stage sync(prof::kHostSync);
        backPerPair = b == 1 ? torch::full({1}, framePrev.min().item<float>() < 0.0F, torch::kBool)
                             : framePrev.amin({1, 2, 3}).lt(0).cpu();
    }
    const int64_t mappedPairs = backPerPair.sum().item<int64_t>();
    const bool back = mappedPairs == b;
    // Pairs of a batch that took the branch and pairs that did not: mapped where taken.
    const torch::Tensor mixed = mappedPairs > 0 && mappedPairs < b
                                    ? backPerPair.to(framePrev.device()).view({b, 1, 1, 1})
                                    : torch::Tensor();
    if (back) {
        framePrev = framePrev / 2 + 0.5;
        frameNext = frameNext / 2 + 0.5;
    } else if (mixed.defined()) {
        framePrev = torch::where(mixed, framePrev / 2 + 0.5, framePrev);
        frameNext = torch::where(mixed, frameNext / 2 + 0.5, frameNext);
    }

    const std::vector<torch::Tensor> refineFeats(phiList.begin(), phiList.begin() + 4);
    torch::Tensor flow = flowIn;
    if (!flow.defined()) {
        torch::Tensor coarse;
        flow = getFlow(framePrev, frameNext, refineFeats, &coarse);
        if (trace != nullptr) {
            trace->ifnetFlow = coarse;
        }
    }
    // Levels banded by the memory plan compute their warped context band by band; the others get it
    // whole. The full-resolution level of the warped context is discarded by the reference: skip it.
    std::vector<int64_t> levelRows(static_cast<size_t>(numRes), 0);
    size_t firstContext = 1;
    for (int64_t i = numRes - 1; i >= 0; --i) {
        const int64_t shift = numRes - 1 - i;
        levelRows[static_cast<size_t>(i)] = levelBandRows(i, z.size(2) << shift, z.size(3) << shift);
    }
    while (firstContext <= 3 && levelRows[firstContext - 1] > 0) {
        ++firstContext;
    }
    std::optional<prof::Stage> warps(std::in_place, prof::kContext);
    auto [c0, c1] = refinenet->getContext(refineFeats, flow, firstContext);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> levelFlows;
    if (levelRows[0] > 0 || levelRows[1] > 0 || levelRows[2] > 0) {
        levelFlows = contextFlows(flow, 4);
    }

    auto warped0 = warp(framePrev, flow.slice(1, 0, 2));
    auto warped1 = warp(frameNext, flow.slice(1, 2, 4));
    warps.reset();

    std::optional<prof::Stage> midStage(std::in_place, prof::kDecoderMid);
    auto h = fromVideo(conv_in->forward(toVideo(z)));
    h = mid->block_1->forward(h);
    h = mid->attn_1->forward(h);
    h = mid->block_2->forward(h);
    midStage.reset();

    VqUpsampleImpl* pendingUp = nullptr;  // the previous level's upsample, left to a banded level
    for (int64_t i = numRes - 1; i >= 0; --i) {
        prof::Stage levelStage([i] { return prof::decoderLevel(i); });
        const auto& phi = phiList[static_cast<size_t>(i + 1)];
        auto level = up[static_cast<size_t>(i)]->as<DecoderLevelImpl>();
        if (levelRows[static_cast<size_t>(i)] > 0) {
            torch::Tensor f0, f1;
            if (i <= 2) {
                std::tie(f0, f1) = levelFlows[static_cast<size_t>(i + 1)];
            }
            h = levelTiled(i, h, pendingUp, phi, f0, f1, levelRows[static_cast<size_t>(i)]);
        } else {
            if (pendingUp != nullptr) {
                h = pendingUp->forward(h);
            }
            torch::Tensor ctx;
            if (i > 2) {
                ctx = torch::cat({phi.slice(0, 0, b), phi.slice(0, b)}, 1);
            } else {
                ctx = torch::cat({phi.slice(0, 0, b), phi.slice(0, b), c0[static_cast<size_t>(i + 1)],
                                  c1[static_cast<size_t>(i + 1)]},
                                 1);
            }
            for (size_t k = 0; k < level->block->size(); ++k) {
                h = level->block[k]->as<VqResnetBlockImpl>()->forward(h);
                if (level->attn->size() > 0) {
                    h = level->attn[k]->as<MaxAttentionBlockImpl>()->forward(h);
                }
            }
            h = level->cross_attn->forward(h, ctx);
        }
        if (i <= 2) {
            c0[static_cast<size_t>(i + 1)] = torch::Tensor();
            c1[static_cast<size_t>(i + 1)] = torch::Tensor();
        }
        pendingUp = nullptr;
        if (i > 0) {
            if (levelRows[static_cast<size_t>(i - 1)] > 0) {
                pendingUp = level->upsample.get();
            } else {
                h = level->upsample->forward(h);
            }
        }
    }
    c0.clear();
    c1.clear();

    prof::Stage head(prof::kDecoderHead);
    int64_t headRows = m_headTileRows;
    if (headRows <= 0) {
        // The head's band holds a few 64-channel tensors at full resolution (h is at half).
        headRows = bandRowsFor(m_memoryPlan, h.size(2) * 2, h.size(3) * 2, h.size(1), 8);
    }
    auto out = headRows > 0 ? headTiled(h, warped0, warped1, headRows) : headUntiled(h, warped0, warped1);
    if (trace != nullptr) {
        trace->flow = flow;
        trace->preclamp = out;
        trace->mappedToUnit = back;
    }
    if (back) {
        return out.clamp(0, 1) * 2 - 1;
    }
    if (mixed.defined()) {
        return torch::where(mixed, out.clamp(0, 1) * 2 - 1, out.clamp(-1, 1));
    }
    return out.clamp(-1, 1);
}

bool FlowDecoderWithResidualImpl::bandsFor(int64_t latentH, int64_t latentW) {
    const auto numRes = static_cast<int64_t>(m_config.chMult.size());
    for (int64_t i = numRes - 1; i >= 0; --i) {
        const int64_t shift = numRes - 1 - i;
        if (levelBandRows(i, latentH << shift, latentW << shift) > 0) {
            return true;
        }
    }
    // The head (full resolution, 64 channels) and the flow refinement (half resolution).
    const int64_t fullH = latentH << numRes, fullW = latentW << numRes;
    return m_headTileRows > 0 || bandRowsFor(m_memoryPlan, fullH, fullW, m_config.ch, 8) > 0 ||
           bandRowsFor(m_memoryPlan, fullH / 2, fullW / 2, m_config.ch, 16) > 0;
}

}  // namespace vfi::model
