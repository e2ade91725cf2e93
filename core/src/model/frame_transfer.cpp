#include "frame_transfer.h"

#include <cstring>

#include "profiling.h"

#if defined(VFI_WITH_CUDA)
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace vfi::model {

struct FrameTransfer::Cuda {
#if defined(VFI_WITH_CUDA)
    explicit Cuda(c10::DeviceIndex index) : copy(c10::cuda::getStreamFromPool(false, index)) {}
    c10::cuda::CUDAStream copy;
    torch::Tensor uploaded;   // the last upload, mapped to [-1, 1] slot by slot in waitFor
    std::vector<std::unique_ptr<at::cuda::CUDAEvent>> arrived;
    std::vector<bool> mapped;
#endif
};

FrameTransfer::FrameTransfer(const torch::Device& device, bool pipelined) : m_device(device), m_pipelined(false) {
#if defined(VFI_WITH_CUDA)
    if (pipelined && device.is_cuda()) {
        m_pipelined = true;
        m_cuda = std::make_unique<Cuda>(device.has_index() ? device.index() : 0);
    }
#else
    (void)pipelined;
#endif
}

FrameTransfer::~FrameTransfer() = default;

torch::Tensor FrameTransfer::upload(const std::vector<const RgbFrame*>& frames) {
    prof::Stage stage(prof::kUpload);
    const auto n = static_cast<int64_t>(frames.size());
    const int64_t h = frames.front()->height, w = frames.front()->width;
    if (!m_pipelined) {
        // (x − 0.5) / 0.5 in float32: bit-identical to ToTensor + Normalize(0.5, 0.5).
        std::vector<torch::Tensor> parts;
        for (const RgbFrame* f : frames)
            parts.push_back(torch::from_blob(const_cast<float*>(f->data.data()), {1, 3, h, w}, torch::kFloat32).sub(0.5).div(0.5));
        auto x = n == 1 ? parts.front() : torch::cat(parts, 0);
        return x.to(m_device);
    }
#if defined(VFI_WITH_CUDA)
    auto staging = torch::empty({n, 3, h, w}, torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(true));
    // Allocated for the compute stream, written by the copy stream: the copy waits for the compute
    // stream's queued work, which may still read the memory this block last held.
    auto dev = torch::empty({n, 3, h, w}, torch::TensorOptions().dtype(torch::kFloat32).device(m_device));
    at::cuda::CUDAEvent computeReady;
    computeReady.record(c10::cuda::getCurrentCUDAStream(m_device.index()));
    computeReady.block(m_cuda->copy);
    m_cuda->arrived.clear();
    m_cuda->mapped.assign(frames.size(), false);
    const size_t bytes = static_cast<size_t>(3 * h * w) * sizeof(float);
    for (int64_t i = 0; i < n; ++i) {
        std::memcpy(staging[i].data_ptr<float>(), frames[static_cast<size_t>(i)]->data.data(), bytes);
        c10::cuda::CUDAStreamGuard guard(m_cuda->copy);
        dev[i].copy_(staging[i], /*non_blocking=*/true);
        auto ev = std::make_unique<at::cuda::CUDAEvent>();
        ev->record(m_cuda->copy);
        m_cuda->arrived.push_back(std::move(ev));
    }
    m_cuda->uploaded = dev;
    return dev;
#else
    return {};
#endif
}

void FrameTransfer::waitFor(size_t i) {
#if defined(VFI_WITH_CUDA)
    if (!m_pipelined || i >= m_cuda->arrived.size() || m_cuda->mapped[i]) return;
    prof::Stage stage(prof::kUpload);
    m_cuda->arrived[i]->block(c10::cuda::getCurrentCUDAStream(m_device.index()));
    const auto k = static_cast<int64_t>(i);
    m_cuda->uploaded.slice(0, k, k + 1).sub_(0.5).div_(0.5);
    m_cuda->mapped[i] = true;
#else
    (void)i;
#endif
}

std::vector<RgbFrame> FrameTransfer::download(const torch::Tensor& out) {
    prof::Stage stage(prof::kDownload);
    const int64_t n = out.size(0), h = out.size(2), w = out.size(3);
    torch::Tensor host;
    if (!m_pipelined) {
        host = out.to(torch::kCPU, torch::kFloat32).div(2).add(0.5).contiguous();
    } else {
#if defined(VFI_WITH_CUDA)
        // Mapped back on the device (×0.5 and +0.5 are exact in either place), copied on the copy
        // stream into pinned memory once the compute stream has produced it.
        auto img = out.to(torch::kFloat32).div(2).add(0.5).contiguous();
        host = torch::empty({n, 3, h, w}, torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(true));
        at::cuda::CUDAEvent done;
        done.record(c10::cuda::getCurrentCUDAStream(m_device.index()));
        done.block(m_cuda->copy);
        {
            c10::cuda::CUDAStreamGuard guard(m_cuda->copy);
            host.copy_(img, /*non_blocking=*/true);
        }
        at::cuda::CUDAEvent copied;
        copied.record(m_cuda->copy);
        copied.synchronize();
        m_cuda->uploaded = torch::Tensor();
#endif
    }
    std::vector<RgbFrame> frames;
    const size_t bytes = static_cast<size_t>(3 * h * w) * sizeof(float);
    for (int64_t i = 0; i < n; ++i) {
        RgbFrame f = RgbFrame::uninitialized(static_cast<int>(w), static_cast<int>(h));
        std::memcpy(f.data.data(), host[i].data_ptr<float>(), bytes);
        frames.push_back(std::move(f));
    }
    return frames;
}

}  // namespace vfi::model
