// Seeded per-call diffusion noise for the engine (issue 3: seed = job seed, pair index, bisection step).
#pragma once

#include <atomic>
#include <cstdint>

#include "sampler.h"

namespace vfi::model {

// Seed of one model call: a stable mix of (job seed, pair index, bisection step), so a pair rendered
// again (resume, re-render of a chunk) draws exactly the same noise.
uint64_t callNoiseSeed(uint64_t jobSeed, int64_t pairIndex, int bisectionStep);

// Gaussian noise from a CPU generator seeded with callNoiseSeed(...), copied to the model's device
// (CPU and CUDA runs get the same noise). next() throws when `cancel` is set, which ends the
// sampler between steps; the interpolator reports ErrorCode::Cancelled.
class CallNoise : public NoiseSource {
public:
    CallNoise(uint64_t seed, const std::atomic<bool>* cancel) : m_inner(seed), m_cancel(cancel) {}
    torch::Tensor next(int64_t step, const torch::Tensor& like) override;

private:
    SeededCpuNoise m_inner;
    const std::atomic<bool>* m_cancel;
};

}  // namespace vfi::model
