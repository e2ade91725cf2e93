// model.py:FlowDecoderWithResidual (the live definition, line 1469): decodes the three quantised
// frame latents into a mask + residual at full padded resolution, backward-warps the two input frames
// with the flow and blends them. Holds the flow networks (flownet = IFNet, refinenet).
// Submodules in the official key order: flownet, refinenet, conv_in, mid.{block_1, attn_1, block_2},
// up.{0..4}.{block, attn, cross_attn, upsample}, norm_out, conv_out, moduleout.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "cross_attention.h"
#include "flow_refine.h"
#include "ifnet.h"
#include "maxvit.h"
#include "memory_plan.h"
#include "model_config.h"
#include "vq_blocks.h"

namespace vfi::model {

// model.py:ResnetBlock_Dec: 3 frames in, 1 out. conv1 Conv3d k3 p1 on the video (norm1 joint over
// frames), norm2 per frame, conv2 Conv3d k3 padding (0,1,1) and shortcut Conv3d (3,1,1) collapse F.
class ResnetBlockDecImpl : public torch::nn::Module {
public:
    ResnetBlockDecImpl(int64_t inChannels, int64_t outChannels);
    // x (3, C, H, W) frame-major -> (1, C_out, H, W)
    torch::Tensor forward(const torch::Tensor& x);

    VqGroupNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv3d conv1{nullptr}, conv2{nullptr}, nin_shortcut{nullptr};
};
TORCH_MODULE(ResnetBlockDec);

// model.py:Upsample(with_conv=True): nearest x2 then conv3 p1.
class VqUpsampleImpl : public torch::nn::Module {
public:
    explicit VqUpsampleImpl(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(VqUpsample);

class DecoderMidImpl : public torch::nn::Module {
public:
    explicit DecoderMidImpl(int64_t channels);

    ResnetBlockFusion block_1{nullptr};
    STAttnBlock attn_1{nullptr};
    ResnetBlockDec block_2{nullptr};
};
TORCH_MODULE(DecoderMid);

// One entry of `up`: block (ResnetBlocks), attn (MaxAttentionBlock at the attention resolution),
// cross_attn, upsample. (The reference's empty `fusion` ModuleList holds no keys.)
class DecoderLevelImpl : public torch::nn::Module {
public:
    DecoderLevelImpl(int64_t blockIn, int64_t blockOut, int64_t numResBlocks, bool withAttn, int64_t ctxDim);

    torch::nn::ModuleList block{nullptr};
    torch::nn::ModuleList attn{nullptr};
    SpatialCrossAttentionWithMax cross_attn{nullptr};
    VqUpsample upsample{nullptr};
};
TORCH_MODULE(DecoderLevel);

// Intermediates of one decoder call (optional).
struct DecoderTrace {
    torch::Tensor ifnetFlow;     // only when the flow is computed inside (scale = 1)
    torch::Tensor flow;          // (1, 4, P_H, P_W) used for warping
    torch::Tensor preclamp;      // (1, 3, P_H, P_W) blend before clamp / mapping back (uncropped)
    bool mappedToUnit = false;   // prev-frame min() < 0 branch
};

class FlowDecoderWithResidualImpl : public torch::nn::Module {
public:
    explicit FlowDecoderWithResidualImpl(const VqganConfig& config);

    // z: (3, zChannels, h, w) post_quant_conv output, frame-major. phiList: the full-resolution
    // encoder's 6 entries. framePrev/frameNext: (1, 3, P_H, P_W) padded frames as given to the
    // reference decoder ([-1, 1]). flow: (1, 4, P_H, P_W) or undefined (scale = 1: IFNet + refinement
    // run here on the frames as the decoder holds them). Returns (1, 3, P_H, P_W) in [-1, 1].
    torch::Tensor forward(const torch::Tensor& z, const std::vector<torch::Tensor>& phiList,
                          const torch::Tensor& framePrev, const torch::Tensor& frameNext,
                          const torch::Tensor& flow = {}, DecoderTrace* trace = nullptr);

    // decoder.get_flow: IFNet on cat(img0, img1) then refinement on feats (4 levels, batch 2).
    // ifnetOut (optional) receives the IFNet output.
    // feats by value: the refinement drops each level once used (move them in when done with them).
    // flowScale < 1: the refined flow is brought to full resolution as VQFlowNetInterface.decode
    // does (bilinear ×1/flowScale, values ÷ flowScale).
    torch::Tensor getFlow(const torch::Tensor& img0, const torch::Tensor& img1, std::vector<torch::Tensor> feats,
                          torch::Tensor* ifnetOut = nullptr, double flowScale = 1.0);

    // Exact row tiling of the full-resolution tail (up.0.upsample, norm_out, conv_out, moduleout and
    // the blend): bands of `rows` output rows with halos for the 3x3 convolutions, GroupNorm
    // statistics gathered over the whole image in separate passes (recomputing the bands), so no
    // 64-channel full-resolution tensor is ever whole. 0 (default) = untiled, as the reference.
    void setHeadTileRows(int64_t rows) { m_headTileRows = rows; }
    // The model's plan: when tiled, the head's band height follows from it and the frame size
    // (setHeadTileRows, when > 0, takes precedence).
    // Tiled, it also bands the up levels without MaxViT (decoder_tiled.cpp) and the flow refinement.
    void setMemoryPlan(const MemoryPlan& plan) {
        m_memoryPlan = plan;
        refinenet->setMemoryPlan(plan);
    }
    const MemoryPlan& memoryPlan() const { return m_memoryPlan; }
    // Whether the plan bands any stage of a frame whose latent is latentH x latentW. The banded
    // stages take one pair at a time; a batch of pairs is decoded pair by pair then.
    bool bandsFor(int64_t latentH, int64_t latentW);

    IFNet flownet{nullptr};
    FlowRefineNetMultis refinenet{nullptr};
    torch::nn::Conv3d conv_in{nullptr};
    DecoderMid mid{nullptr};
    torch::nn::ModuleList up{nullptr};
    VqGroupNorm norm_out{nullptr};
    torch::nn::Conv2d conv_out{nullptr};
    torch::nn::Sequential moduleout{nullptr};

private:
    // Tail from the level-0 cross-attention output (C, P/2) to the pre-clamp blend (1, 3, P).
    torch::Tensor headUntiled(const torch::Tensor& hHalf, const torch::Tensor& warped0, const torch::Tensor& warped1);
    torch::Tensor headTiled(const torch::Tensor& hHalf, const torch::Tensor& warped0, const torch::Tensor& warped1,
                            int64_t rows);  // decoder_head_tiled.cpp
    // Band height of up level i (0 = untiled): levels without MaxViT self-attention, sized for the
    // 4x-expanded MBConv / feed-forward tensors of the band.
    int64_t levelBandRows(int64_t i, int64_t height, int64_t width);
    // Up level i (blocks + cross-attention) in bands (decoder_tiled.cpp). hIn is the previous level's
    // output before its upsample `upIn` (nullptr: hIn is the level's input); flow0/flow1 the level's
    // flows (undefined: the context has no warped features). Returns the level's output, whole.
    torch::Tensor levelTiled(int64_t i, const torch::Tensor& hIn, VqUpsampleImpl* upIn, const torch::Tensor& phi,
                             const torch::Tensor& flow0, const torch::Tensor& flow1, int64_t rows);
    // getContext's flow pyramid: level l's (flow0, flow1) for l < levels.
    static std::vector<std::pair<torch::Tensor, torch::Tensor>> contextFlows(const torch::Tensor& flow, size_t levels);

    VqganConfig m_config;
    int64_t m_headTileRows = 0;
    MemoryPlan m_memoryPlan;
};
TORCH_MODULE(FlowDecoderWithResidual);

}  // namespace vfi::model
