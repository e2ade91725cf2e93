// VFI/archs/VFIformer_arch.py:FlowRefineNet_Multis_our / FlowRefineNetA: coarse-to-fine refinement
// of the IFNet flow on the encoder's per-level features (one iteration per level), and the feature
// warping the decoder uses as cross-attention context.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "memory_plan.h"

namespace vfi::model {

class FlowRefineNetAImpl : public torch::nn::Module {
public:
    FlowRefineNetAImpl(int64_t contextDim, int64_t c);
    // x0/x1 (B, C, H, W) features, flow0/flow1 (B, 2, H, W). Returns cat(flow0', flow1') (B, 4, H, W).
    torch::Tensor forward(const torch::Tensor& x0, const torch::Tensor& x1, const torch::Tensor& flow0,
                          const torch::Tensor& flow1);

    // Tap by tap (default): each of the 9 neighbour taps is shifted, warped, normalised and correlated
    // on its own instead of materialising the 3x3 unfold (9·C channels) of both features, warped and
    // permuted copies: same values (warping is per channel), ~9x less memory at this, the model's
    // peak. false = the reference's unfold formulation (kept for the equivalence test).
    void setTapByTap(bool on) { m_tapByTap = on; }

    // Tap by tap in bands of `rows` output rows: the warps read the whole
    // features and write the band (plus the halo of the seven 3x3 convolutions that follow them);
    // everything else is per pixel. Flow 0 and flow 1 are done in separate passes so that only one
    // zero-padded feature copy is alive. Same values as forward().
    torch::Tensor forwardTiled(const torch::Tensor& x0, const torch::Tensor& x1, const torch::Tensor& flow0,
                               const torch::Tensor& flow1, int64_t rows);

    torch::nn::Sequential occl_convs{nullptr}, corr_convs{nullptr}, flow_convs{nullptr},
        motion_convs{nullptr}, gru{nullptr}, flow_head{nullptr};

private:
    torch::Tensor correlationUnfold(const torch::Tensor& x0, const torch::Tensor& x1, const torch::Tensor& flow0,
                                    const torch::Tensor& flow1, torch::Tensor& fea0, torch::Tensor& fea1,
                                    torch::Tensor& fea, torch::Tensor& corr1);
    // padded: the features zero-padded by 1; flow: rows [firstRow, firstRow + flow.size(2)) of a flow
    // of `fullHeight` rows.
    torch::Tensor correlationTaps(const torch::Tensor& padded, const torch::Tensor& flow, int64_t firstRow,
                                  int64_t fullHeight, const torch::Tensor& centre, const torch::Tensor& feaView);
    torch::Tensor occlusionBlend(const torch::Tensor& fea0, const torch::Tensor& fea1);

    bool m_tapByTap = true;
};
TORCH_MODULE(FlowRefineNetA);

class FlowRefineNetMultisImpl : public torch::nn::Module {
public:
    explicit FlowRefineNetMultisImpl(int64_t c);

    // feats: 4 entries (2, C_l, H_l, W_l) = cat[frame0, frame1] at 1, 1/2, 1/4, 1/8 of the flow's
    // target resolution; flow (1, 4, H_1/2, W_1/2) from IFNet. Returns the refined flow at H_1 x W_1.
    // The reference also warps the features here; those results are unused by every caller, so
    // they are not computed.
    // feats by value: each level is dropped once refined (coarse to fine), so the finest level runs
    // without the coarser ones alive when the caller moved them in.
    torch::Tensor forward(std::vector<torch::Tensor> feats, const torch::Tensor& flow);

    // get_context / warp_fea: warps level l of frame 0 / frame 1 with the flow halved l times.
    // Returns {c0, c1}, each with feats.size() entries; entries below `firstLevel` are left undefined
    // (the decoder discards the full-resolution level, so it is never computed).
    std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> getContext(
        const std::vector<torch::Tensor>& feats, const torch::Tensor& flow, size_t firstLevel = 1);

    void setTapByTap(bool on);
    // Tiled plans band the tap-by-tap refinement of levels whose band would not hold the whole level.
    void setMemoryPlan(const MemoryPlan& plan) { m_plan = plan; }

    FlowRefineNetA rf_block1{nullptr}, rf_block2{nullptr}, rf_block3{nullptr}, rf_block4{nullptr};

private:
    MemoryPlan m_plan;
    bool m_tapByTap = true;
};
TORCH_MODULE(FlowRefineNetMultis);

}  // namespace vfi::model
