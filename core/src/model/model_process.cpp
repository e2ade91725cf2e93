#include "model_process.h"

#include <ATen/Parallel.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <torch/cuda.h>

#if defined(VFI_WITH_CUDA)
#include <cuda_runtime_api.h>
#endif

#include "torch_compat.h"

namespace vfi::model {

namespace {
std::atomic<bool> g_configured{false};
std::mutex g_threadsMutex;
}  // namespace

bool processConfigured() { return g_configured.load(); }

void applyThreadsToThisThread() {
    std::lock_guard lk(g_threadsMutex);
    at::init_num_threads();
}

Status configureProcess(const ModelOptions& o, int intraOpThreadsPerWorker) {
    g_configured = true;
    std::lock_guard lk(g_threadsMutex);
    try {
        if (intraOpThreadsPerWorker > 0) at::set_num_threads(intraOpThreadsPerWorker);
        if (o.device.rfind("cuda", 0) == 0) {
            auto& ctx = at::globalContext();
            const bool tf32 = o.precision == "tf32";
            ctx.setAllowTF32CuDNN(tf32);
            ctx.setAllowTF32CuBLAS(tf32);
            ctx.setDeterministicCuDNN(o.deterministic);
            ctx.setBenchmarkCuDNN(!o.deterministic);
        }
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::ModelError, std::string("Configuring LibTorch failed: ") + e.what_without_backtrace(),
                         {e.what_without_backtrace()});
    }
    return {};
}

void applyCpuMemoryPolicy(CpuMemoryPolicy wanted) {
#if defined(__GLIBC__)
    static std::mutex mutex;
    static std::optional<CpuMemoryPolicy> current;
    std::lock_guard lk(mutex);
    if (const char* env = std::getenv("VFI_CPU_MEMORY")) {
        if (std::strcmp(env, "system") == 0) return;
        if (std::strcmp(env, "keep") == 0) wanted = CpuMemoryPolicy::Keep;
        if (std::strcmp(env, "return") == 0) wanted = CpuMemoryPolicy::Return;
    }
    if (current == wanted) return;
    current = wanted;
    if (wanted == CpuMemoryPolicy::Keep) {
        mallopt(M_MMAP_MAX, 0);               // every block from the heap (also fixes the threshold)
        mallopt(M_TRIM_THRESHOLD, -1);        // and the heap's free top stays (-1: never trim, mallopt(3))
    } else {
        mallopt(M_MMAP_MAX, 65536);           // glibc's default count
        mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 128 * 1024);
        malloc_trim(0);                       // what Keep held goes back before the bands start
    }
#else
    (void)wanted;
#endif
}

std::vector<ComputeDevice> listDevices() {
    std::vector<ComputeDevice> out;
    try {
        const int n = torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
        for (int i = 0; i < n; ++i) {
            ComputeDevice d;
            d.id = "cuda:" + std::to_string(i);
            d.kind = "cuda";
            d.name = "CUDA device " + std::to_string(i);
#if defined(VFI_WITH_CUDA)
            cudaDeviceProp prop{};
            if (cudaGetDeviceProperties(&prop, i) == cudaSuccess) {
                d.name = prop.name;
                d.totalMemoryBytes = static_cast<int64_t>(prop.totalGlobalMem);
            }
#endif
            out.push_back(std::move(d));
        }
        if (compat::mpsAvailable()) out.push_back({"mps", "mps", "Apple GPU (MPS)", -1});
    } catch (const c10::Error&) {
        // A broken driver lists no GPU; a job naming one then fails with the driver's message.
    }
    return out;
}

}  // namespace vfi::model
