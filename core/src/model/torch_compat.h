// LibTorch 1.13 (Debian) vs 2.x differences in one place: version macros, autocast API, MPS
// availability, CUDA-only calls (the CPU build has no c10_cuda library to link).
#pragma once

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <c10/util/Exception.h>

#include <exception>
#include <string>

#if defined(VFI_WITH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#define VFI_TORCH_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

// c10::Allocator changed in 2.3: allocate() lost its const and copy_data() became pure virtual.
// A CPU allocator wrapper (bench_model's live-tensor meter) declares both through these.
#if VFI_TORCH_AT_LEAST(2, 3)
#define VFI_ALLOCATOR_ALLOCATE_CONST
#define VFI_ALLOCATOR_HAS_COPY_DATA 1
#else
#define VFI_ALLOCATOR_ALLOCATE_CONST const
#define VFI_ALLOCATOR_HAS_COPY_DATA 0
#endif

namespace vfi::model::compat {

inline std::string torchVersion() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

// What an exception says, for a user: c10::Error::what() appends LibTorch's C++ stack trace
// ("Exception raised from ... frame #0 ..."), which never belongs in a message.
inline std::string errorText(const std::exception& e) {
    if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
    std::string text = e.what();
    const auto trace = text.find("Exception raised from ");
    if (trace != std::string::npos) text.resize(trace);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

inline bool mpsAvailable() {
#if VFI_TORCH_AT_LEAST(1, 12)
    return at::hasMPS();
#else
    return false;
#endif
}

// CUDA autocast for fp16/bf16 inference. GroupNorm, softmax and the other fp32-listed ops stay in
// fp32 under autocast, as the reference does with torch.autocast.
class CudaAutocastGuard {
public:
    CudaAutocastGuard(bool enabled, at::ScalarType dtype) : m_enabled(enabled) {
        if (!m_enabled) return;
#if VFI_TORCH_AT_LEAST(2, 4)
        m_prevEnabled = at::autocast::is_autocast_enabled(at::kCUDA);
        m_prevDtype = at::autocast::get_autocast_dtype(at::kCUDA);
        at::autocast::set_autocast_dtype(at::kCUDA, dtype);
        at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
        m_prevEnabled = at::autocast::is_enabled();
        m_prevDtype = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(true);
#endif
    }
    ~CudaAutocastGuard() {
        if (!m_enabled) return;
#if VFI_TORCH_AT_LEAST(2, 4)
        at::autocast::set_autocast_enabled(at::kCUDA, m_prevEnabled);
        at::autocast::set_autocast_dtype(at::kCUDA, m_prevDtype);
#else
        at::autocast::set_enabled(m_prevEnabled);
        at::autocast::set_autocast_gpu_dtype(m_prevDtype);
#endif
        at::autocast::clear_cache();
    }
    CudaAutocastGuard(const CudaAutocastGuard&) = delete;
    CudaAutocastGuard& operator=(const CudaAutocastGuard&) = delete;

private:
    bool m_enabled;
    bool m_prevEnabled = false;
    at::ScalarType m_prevDtype = at::kHalf;
};

// Whether CUDA autocast is on, and its dtype.
inline bool cudaAutocastEnabled() {
#if VFI_TORCH_AT_LEAST(2, 4)
    return at::autocast::is_autocast_enabled(at::kCUDA);
#else
    return at::autocast::is_enabled();
#endif
}
inline at::ScalarType cudaAutocastDtype() {
#if VFI_TORCH_AT_LEAST(2, 4)
    return at::autocast::get_autocast_dtype(at::kCUDA);
#else
    return at::autocast::get_autocast_gpu_dtype();
#endif
}

inline void emptyCudaCache() {
#if defined(VFI_WITH_CUDA)
    c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

// Bytes currently allocated / peak on CUDA device `index`; -1 without CUDA support in this build.
inline int64_t cudaAllocatedBytes(int index, bool peak) {
#if defined(VFI_WITH_CUDA)
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
    const auto& s = stats.allocated_bytes[0];   // StatType::AGGREGATE
    return peak ? s.peak : s.current;
#else
    (void)index;
    (void)peak;
    return -1;
#endif
}

inline void resetCudaPeak(int index) {
#if defined(VFI_WITH_CUDA)
    c10::cuda::CUDACachingAllocator::resetPeakStats(index);
#else
    (void)index;
#endif
}

}  // namespace vfi::model::compat
