// Frames between the engine (planar float RGB in [0, 1] on the host) and the model ((N, 3, H, W) in
// [-1, 1] on its device), for one interpolator.
// Pipelined (CUDA, SpeedOptions::pinned): frames are staged in pinned host memory and copied on a
// copy stream of their own, one event per frame, so the compute stream waits only for the frames
// it is about to use (pair k + 1 travels while pair k is encoded); the result comes back the same
// way. The [0,1] -> [-1,1] mapping runs on the device. Not pipelined (and on the CPU): the frames
// are mapped on the host and copied in order. Both give bit-identical model inputs and outputs (the
// mapping is one IEEE subtraction and division per value wherever it runs).
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "vfi/rgb_frame.h"

namespace vfi::model {

class FrameTransfer {
public:
    FrameTransfer(const torch::Device& device, bool pipelined);
    ~FrameTransfer();
    FrameTransfer(const FrameTransfer&) = delete;
    FrameTransfer& operator=(const FrameTransfer&) = delete;

    bool pipelined() const { return m_pipelined; }

    // Starts the upload of `frames` (equal sizes) as one (N, 3, H, W) tensor in [-1, 1]. With a
    // copy stream, the compute stream must call waitFor(i) before it reads frame i.
    torch::Tensor upload(const std::vector<const RgbFrame*>& frames);
    // Makes the current (compute) stream wait until frame i of the last upload has arrived.
    void waitFor(size_t i);
    // The model output (N, 3, H, W) in [-1, 1] as N frames in [0, 1].
    std::vector<RgbFrame> download(const torch::Tensor& out);

private:
    struct Cuda;
    torch::Device m_device;
    bool m_pipelined;
    std::unique_ptr<Cuda> m_cuda;
};

}  // namespace vfi::model
