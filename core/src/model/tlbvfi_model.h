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
#include "speed_options.h"
#include "unet.h"
#include "unet_graph.h"
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

    // Several independent pairs as one batch: prev/next (B, 3, H, W), noise[k] the noise of pair k
    // (as sample() would draw it). Each pair's encoder runs alone (the feature cache sees the pairs
    // in order); the sampler runs the B latents as one batch, and the decoder too unless the memory
    // plan bands this frame size (then pair by pair). Returns (B, 3, H, W); equals B sample() calls
    // within float rounding (batched kernels may sum in another order).
    Result<torch::Tensor> sampleBatch(const torch::Tensor& prev, const torch::Tensor& next, double scale,
                                      const std::vector<NoiseSource*>& noise);

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
    // The UNet call of a sampler step: through the CUDA graphs when they are on.
    BrownianBridgeSampler::Denoiser denoiser();

    // Once, after to(device): channels_last converts the weights, sdpa switches the attention
    // kernels (process-wide), cuda_graphs makes the UNet steps replay graphs (speed_options.h).
    void setSpeedOptions(const SpeedOptions& options);
    const SpeedOptions& speedOptions() const { return m_speed; }
    // Graphs captured so far (tests, benchmarks): 0 without CUDA graphs.
    size_t capturedGraphs() const { return m_graphs ? m_graphs->captured() : 0; }

    torch::Tensor m_t, m_tminus, variance_t, variance_tminus, variance_t_tminus, posterior_variance_t;
    UNetModel denoise_fn{nullptr};
    VQFlowNetInterface vqgan{nullptr};

private:
    TlbvfiConfig m_config;
    std::vector<int64_t> m_steps;
    MemoryPlan m_memoryPlan;
    SpeedOptions m_speed;
    std::shared_ptr<UnetGraphs> m_graphs;
};
TORCH_MODULE(TlbvfiModel);

}  // namespace vfi::model
