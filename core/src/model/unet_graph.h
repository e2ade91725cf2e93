// The sampler's UNet steps from CUDA graphs (SpeedOptions::cuda_graphs; LibTorch >= 2.0 with CUDA).
// A step is ~100 small kernels on a latent of 1/32 of the frame, so launching them costs about as
// much as running them; a graph launches them at once. One graph per input shape and precision,
// captured on first use and kept with the loaded model (so once per job). Replay runs the kernels
// of the eager call on copies of the inputs: the same arithmetic.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "unet.h"

namespace vfi::model {

class UnetGraphs {
public:
    UnetGraphs();
    ~UnetGraphs();
    UnetGraphs(const UnetGraphs&) = delete;
    UnetGraphs& operator=(const UnetGraphs&) = delete;

    // unet->forward(x, t, context) through a graph when possible (CUDA tensors, a graph-capable
    // build); otherwise the eager call.
    torch::Tensor run(UNetModelImpl& unet, const torch::Tensor& x, const torch::Tensor& timesteps,
                      const torch::Tensor& context);
    size_t captured() const;

private:
    struct Entry;
    std::vector<std::unique_ptr<Entry>> m_entries;
};

}  // namespace vfi::model
