// LatentBrownianBridgeModel: the whole TLB-VFI model, one interpolated frame per sample() call.
//
// State-dict layout (official-keys.tsv): the six schedule buffers m_t, m_tminus, variance_t,
// variance_tminus, variance_t_tminus, posterior_variance_t (registered buffers, in that order), then
// `denoise_fn.*` (UNet), then `vqgan.*`, then `cond_stage_model.*`. The reference sets
// `cond_stage_model = self.vqgan`, so the 778 `cond_stage_model.X` keys are the SAME tensors as
// `vqgan.X`. This module does not register a second child: the key traversal (model-io) appends
// kCondStageAliasPrefix + X for every vqgan.X key, in vqgan order, to reproduce the 1776-key list;
// the loader reads `vqgan.X` and only checks that the alias exists with the same shape (it shares
// the storage in the file), never loading it twice.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "memory_plan.h"
#include "model_config.h"
#include "sampler.h"
#include "unet.h"
#include "vfi/result.h"
#include "vqgan.h"

namespace vfi::model {

inline constexpr const char* kVqganPrefix = "vqgan.";
inline constexpr const char* kCondStageAliasPrefix = "cond_stage_model.";

// Intermediates of one sample() call for parity checks (all optional to read).
struct SampleTrace {
    torch::Tensor encLatent;              // (3, C, h, w)
    bool encoderMappedToUnit = false;
    std::vector<torch::Tensor> xt;        // xt[0] = start, xt[k+1] after step k (sampler layout)
    std::vector<torch::Tensor> unetOut;   // per step
    DecodeTrace decode;
};

class TlbvfiModelImpl : public torch::nn::Module {
public:
    explicit TlbvfiModelImpl(const TlbvfiConfig& config);

    // prev/next: (1, 3, H, W) RGB in [-1, 1]. scale: flow scale 0.25 / 0.5 / 1.0.
    // Returns (1, 3, H, W) in [-1, 1]. Errors (bad shapes, LibTorch exceptions) as Result.
    Result<torch::Tensor> sample(const torch::Tensor& prev, const torch::Tensor& next, double scale,
                                 NoiseSource& noise, SampleTrace* trace = nullptr);

    // Rebuilds the step list (the reference bakes it in at construction). S < 3 is refused.
    Status setSampleSteps(int64_t sampleSteps);
    const std::vector<int64_t>& steps() const { return m_steps; }
    const TlbvfiConfig& config() const { return m_config; }

    // Exact tiling of the full-resolution stages (encoder down path, decoder head), see memory_plan.h.
    // Band heights are derived per call from the plan and the frame size. Default: untiled.
    void setMemoryPlan(const MemoryPlan& plan);
    const MemoryPlan& memoryPlan() const { return m_memoryPlan; }

    // The sampler over this model's buffers and current step list.
    BrownianBridgeSampler sampler() const;

    torch::Tensor m_t, m_tminus, variance_t, variance_tminus, variance_t_tminus, posterior_variance_t;
    UNetModel denoise_fn{nullptr};
    VQFlowNetInterface vqgan{nullptr};

private:
    TlbvfiConfig m_config;
    std::vector<int64_t> m_steps;
    MemoryPlan m_memoryPlan;
};
TORCH_MODULE(TlbvfiModel);

}  // namespace vfi::model
