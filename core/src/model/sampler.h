// Brownian-bridge sampler (BrownianBridgeModel.register_schedule / p_sample, objective 'BB',
// skip_sample with linear steps). Float32 buffers and the reference's float32 formula order.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "model_config.h"
#include "vfi/result.h"

namespace vfi::model {

// Source of the Gaussian noise drawn at every step except the last (t = 0): `step` is the index in
// the step list, `like` gives shape/dtype/device. Tests inject the reference's noise; the product
// draws from a seeded CPU generator and copies to the device, so CPU and GPU runs match.
class NoiseSource {
public:
    virtual ~NoiseSource() = default;
    virtual torch::Tensor next(int64_t step, const torch::Tensor& like) = 0;
};

// Seeded CPU normal noise (torch's CPU generator), copied to `like`'s device and dtype.
class SeededCpuNoise : public NoiseSource {
public:
    explicit SeededCpuNoise(uint64_t seed);
    torch::Tensor next(int64_t step, const torch::Tensor& like) override;

private:
    torch::Generator m_generator;
};

// Replays given tensors in order (golden noise.npy); errors if asked for more than it holds.
class ReplayNoise : public NoiseSource {
public:
    explicit ReplayNoise(std::vector<torch::Tensor> noise);
    torch::Tensor next(int64_t step, const torch::Tensor& like) override;

private:
    std::vector<torch::Tensor> m_noise;
    size_t m_pos = 0;
};

// The noise of a batch of independent samples: sample k draws from its own source, as it would
// alone (a batch changes no sample's noise).
class BatchNoise : public NoiseSource {
public:
    explicit BatchNoise(std::vector<NoiseSource*> perSample) : m_sources(std::move(perSample)) {}
    torch::Tensor next(int64_t step, const torch::Tensor& like) override;

private:
    std::vector<NoiseSource*> m_sources;
};

// arange(T-1, 1, -(T-1)/(S-2)).long() + [1, 0]. S < 3 is refused (S = 2 divides by zero in the reference).
Result<std::vector<int64_t>> bridgeSteps(int64_t numTimesteps, int64_t sampleSteps);

struct BridgeSchedule {
    // float32 [T] buffers in state-dict order: m_t, m_tminus, variance_t, variance_tminus,
    // variance_t_tminus, posterior_variance_t (computed in float64, stored as float32).
    torch::Tensor m_t, m_tminus, variance_t, variance_tminus, variance_t_tminus, posterior_variance_t;
};
BridgeSchedule makeBridgeSchedule(int64_t numTimesteps, double maxVar);

// Per-step callback for tests and progress: step index, UNet output, x0 prediction, next state.
using StepObserver = std::function<void(int64_t step, const torch::Tensor& unetOut,
                                        const torch::Tensor& x0, const torch::Tensor& next)>;

class BrownianBridgeSampler {
public:
    // `mT` and `varT` are the model's m_t / variance_t buffers (float32 [T]); `steps` from bridgeSteps.
    BrownianBridgeSampler(torch::Tensor mT, torch::Tensor varT, std::vector<int64_t> steps, double eta);

    const std::vector<int64_t>& steps() const { return m_steps; }

    // One p_sample update given the UNet output `objective` for step index i (x0 = x_t - objective).
    // Returns x_{next}; for the last step (t = 0) returns x0 and draws no noise.
    torch::Tensor update(int64_t i, const torch::Tensor& xt, const torch::Tensor& y,
                         const torch::Tensor& objective, NoiseSource& noise) const;

    // Whole loop: x_T = y, condition = y; denoise(x_t, t, context) is the UNet.
    using Denoiser = std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& t,
                                                 const torch::Tensor& context)>;
    torch::Tensor sample(const torch::Tensor& y, const Denoiser& denoise, NoiseSource& noise,
                         const StepObserver& observer = {}) const;

private:
    torch::Tensor m_mT, m_varT;
    std::vector<int64_t> m_steps;
    double m_eta;
};

}  // namespace vfi::model
