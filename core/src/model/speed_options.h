// Speed switches of the model (issue 13), each exact in the sense of the parity tests: it changes
// how the same maths is computed, so frames move only by float rounding (measured against the
// golden cases on CPU; on CUDA by the GPU script's drift table, docs/benchmarks.md).
//   channels_last  convolution weights and activations in channels-last (NHWC / NDHWC) layout;
//   sdpa           fused scaled-dot-product attention (flash / memory-efficient kernels) for the
//                  global, UNet and window attention: LibTorch >= 2.0 only, a no-op on 1.13;
//   cuda_graphs    the sampler's UNet steps replayed from a CUDA graph captured once per shape and
//                  loaded model: LibTorch >= 2.0 with CUDA only;
//   pinned         CUDA uploads / downloads through pinned host buffers on a copy stream.
// Defaults per device (defaultSpeedOptions); the environment variable VFI_MODEL_SPEED overrides any
// of them for a run, e.g. VFI_MODEL_SPEED=channels_last=0,cuda_graphs=0 (a runtime switch to turn a
// candidate off should it misbehave on some GPU). The interpolator's fingerprint records the result,
// so a job is never resumed with switches that change its frames.
#pragma once

#include <torch/torch.h>

#include <string>

#include "vfi/result.h"

namespace vfi::model {

struct SpeedOptions {
    bool channelsLast = false;
    bool sdpa = false;
    bool cudaGraphs = false;
    bool pinned = false;
};

// Whether this LibTorch build has the fused attention / CUDA graph paths at all.
bool sdpaAvailable();
bool cudaGraphsAvailable();

SpeedOptions defaultSpeedOptions(const torch::Device& device);
// Applies "name=0|1,..." (names as above) to `base`; unknown names or values are InvalidArgument.
// Switches the build cannot do stay off.
Result<SpeedOptions> parseSpeedOptions(const std::string& spec, SpeedOptions base);
// "channels_last=1,sdpa=0,cuda_graphs=0,pinned=0": the form parseSpeedOptions reads.
std::string describeSpeedOptions(const SpeedOptions& options);
// defaultSpeedOptions(device) with $VFI_MODEL_SPEED applied.
Result<SpeedOptions> speedOptionsFromEnvironment(const torch::Device& device);

// Converts every 4-D (Conv2d) and 5-D (Conv3d) parameter of `module` to the channels-last memory
// format in place (values unchanged). Convolutions with such weights produce channels-last
// outputs, which the following layers keep.
void toChannelsLast(torch::nn::Module& module);

}  // namespace vfi::model
