#include "unet_graph.h"

#include "speed_options.h"
#include "torch_compat.h"

#if VFI_TORCH_AT_LEAST(2, 0) && defined(VFI_WITH_CUDA)
#define VFI_UNET_GRAPHS 1
#include <ATen/autocast_mode.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace vfi::model {

struct UnetGraphs::Entry {
    std::vector<int64_t> shape;
    at::ScalarType dtype = at::kFloat;
    bool autocast = false;
    at::ScalarType autocastDtype = at::kHalf;
    torch::Tensor x, emb, context, out;   // the graph's static inputs and output
#if defined(VFI_UNET_GRAPHS)
    at::cuda::CUDAGraph graph;
#endif
};

UnetGraphs::UnetGraphs() = default;
UnetGraphs::~UnetGraphs() = default;

size_t UnetGraphs::captured() const { return m_entries.size(); }

torch::Tensor UnetGraphs::run(UNetModelImpl& unet, const torch::Tensor& x, const torch::Tensor& timesteps,
                              const torch::Tensor& context) {
#if defined(VFI_UNET_GRAPHS)
    if (!x.is_cuda()) return unet.forward(x, timesteps, context);
    // The embedding is made outside the graph: its frequencies come from the host.
    const auto emb = unet.embed(timesteps);
    const bool autocast = compat::cudaAutocastEnabled();
    const auto autocastDtype = compat::cudaAutocastDtype();
    Entry* entry = nullptr;
    for (auto& e : m_entries)
        if (e->shape == x.sizes().vec() && e->dtype == x.scalar_type() && e->autocast == autocast &&
            (!autocast || e->autocastDtype == autocastDtype))
            entry = e.get();
    if (entry == nullptr) {
        auto e = std::make_unique<Entry>();
        e->shape = x.sizes().vec();
        e->dtype = x.scalar_type();
        e->autocast = autocast;
        e->autocastDtype = autocastDtype;
        e->x = x.clone();
        e->emb = emb.clone();
        e->context = context.clone();
        const auto device = x.device().index();
        auto current = c10::cuda::getCurrentCUDAStream(device);
        auto side = c10::cuda::getStreamFromPool(false, device);
        at::cuda::CUDAEvent inputsReady;
        inputsReady.record(current);
        inputsReady.block(side);
        {
            c10::cuda::CUDAStreamGuard guard(side);
            // Autocast's cast cache would hand the graph fp16 weights allocated outside it, which
            // the interpolator's guard frees after the call: casts are made inside the graph.
            const bool cache = at::autocast::is_autocast_cache_enabled();
            at::autocast::set_autocast_cache_enabled(false);
            // Warm-up on the capture stream: cuDNN/cuBLAS handles and algorithm choice happen here,
            // not during the capture.
            for (int i = 0; i < 2; ++i) e->out = unet.forwardEmbedded(e->x, e->emb, e->context);
            side.synchronize();
            // Thread-local: other threads (another device's worker) may use CUDA meanwhile.
            e->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
            e->out = unet.forwardEmbedded(e->x, e->emb, e->context);
            e->graph.capture_end();
            at::autocast::set_autocast_cache_enabled(cache);
        }
        at::cuda::CUDAEvent capturedEvent;
        capturedEvent.record(side);
        capturedEvent.block(current);
        entry = e.get();
        m_entries.push_back(std::move(e));
    }
    entry->x.copy_(x);
    entry->emb.copy_(emb);
    entry->context.copy_(context);
    entry->graph.replay();
    // The next replay overwrites the output: hand out a copy.
    return entry->out.clone();
#else
    return unet.forward(x, timesteps, context);
#endif
}

}  // namespace vfi::model
