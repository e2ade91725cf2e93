// The engine's TLB-VFI backend (vfi::FrameInterpolator). Torch-free header: the pipeline includes it. The public
// vfi::createTlbvfiInterpolator(ModelOptions) lives on the pipeline side (it parses the optional JSON
// config, which vfi_model cannot) and calls createTlbvfiInterpolator(options, candidates) below.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_config.h"
#include "vfi/frame_interpolator.h"
#include "vfi/job_settings.h"
#include "vfi/result.h"

namespace vfi::model {

struct ConfigCandidate {
    std::string name;          // "official", "tiny", or "" for a bare section
    TlbvfiConfig config;
};

// Validates the options (no file access, no model built): steps >= 3, flow scale in {0.25, 0.5,
// 1.0}, device cpu | cuda[:N] (available) | mps (where LibTorch has it), precision fp32 | tf32 |
// fp16 | bf16 (all but fp32 CUDA only). Errors: InvalidArgument, DeviceUnavailable.
Status validateModelOptions(const ModelOptions& options);

// Encoder feature cache of a loaded TLB-VFI interpolator (tests, benchmarks); nullopt for another
// backend or when not loaded; capacity 0 when the cache is off.
struct FeatureCacheStats {
    size_t capacity = 0;
    int64_t hits = 0;
    int64_t misses = 0;
};
std::optional<FeatureCacheStats> featureCacheStats(const FrameInterpolator& interpolator);

// The whole-process budget the loaded model plans its tiling with (bytes; 0 = untiled), -1 for
// another backend.
int64_t memoryBudgetBytes(const FrameInterpolator& interpolator);

// The budget of the model's MemoryPlan (exact tiling of the full-resolution stages), bytes: the
// explicit ModelOptions::memoryBudgetMb, else a share of the machine's total memory; -1 for another
// backend or when not loaded.
int64_t tilingBudgetBytes(const FrameInterpolator& interpolator);

// `candidates`: the configurations to try, in order; load() uses the first whose keys and shapes
// match the checkpoint exactly (a JSON file may hold both the official and a reduced-width section).
// Empty: the official configuration.
Result<std::unique_ptr<FrameInterpolator>> createTlbvfiInterpolator(const ModelOptions& options,
                                                                     std::vector<ConfigCandidate> candidates);

}  // namespace vfi::model
