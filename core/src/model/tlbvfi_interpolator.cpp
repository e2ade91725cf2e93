#include "tlbvfi_interpolator.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <thread>

#include <unistd.h>

#include <c10/core/DeviceGuard.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(VFI_WITH_CUDA)
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

#include "call_noise.h"
#include "checkpoint_reader.h"
#include "decoder.h"
#include "frame_transfer.h"
#include "profiling.h"
#include "speed_options.h"
#include "model_process.h"
#include "tlbvfi_model.h"
#include "torch_compat.h"

namespace vfi::model {
namespace {

struct CancelledBySampler : std::runtime_error {
    CancelledBySampler() : std::runtime_error("cancelled") {}
};

uint64_t splitmix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

Error invalidOption(const std::string& option, const std::string& value, const std::string& why) {
    return makeError(ErrorCode::InvalidArgument, "Invalid model option " + option + " '" + value + "': " + why + ".",
                     {option, value});
}

struct ParsedDevice {
    torch::Device device = torch::kCPU;
};

Result<ParsedDevice> parseDevice(const std::string& s) {
    if (s == "cpu") return ParsedDevice{torch::kCPU};
    if (s == "mps") {
        if (!compat::mpsAvailable())
            return makeError(ErrorCode::DeviceUnavailable, "Device 'mps' is not available in this LibTorch build.",
                             {s, "no MPS support"});
        return ParsedDevice{torch::Device(torch::kMPS)};
    }
    if (s == "cuda" || s.rfind("cuda:", 0) == 0) {
        int index = 0;
        if (s.size() > 5) {
            const std::string n = s.substr(5);
            if (n.empty() || n.size() > 3 || !std::all_of(n.begin(), n.end(), ::isdigit))
                return invalidOption("device", s, "expected cpu, cuda, cuda:N or mps");
            index = std::stoi(n);
        }
        if (!torch::cuda::is_available())
            return makeError(ErrorCode::DeviceUnavailable,
                             "Device '" + s + "' is not available: this LibTorch build or machine has no CUDA.",
                             {s, "no CUDA"});
        if (index >= static_cast<int>(torch::cuda::device_count()))
            return makeError(ErrorCode::DeviceUnavailable,
                             "Device '" + s + "' is not available: " + std::to_string(torch::cuda::device_count()) +
                                 " CUDA device(s) present.",
                             {s, "no such CUDA device"});
        return ParsedDevice{torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index))};
    }
    return invalidOption("device", s, "expected cpu, cuda, cuda:N or mps");
}

// MemAvailable from /proc/meminfo (Linux), else free physical pages; -1 when unknown.
int64_t availableRamBytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    int64_t kb = 0;
    std::string unit;
    while (in >> key >> kb >> unit) {
        if (key == "MemAvailable:") return kb * 1024;
    }
    const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? static_cast<int64_t>(pages) * page : -1;
}

int64_t residentBytes() {
    std::ifstream in("/proc/self/statm");
    int64_t size = 0, resident = 0;
    if (!(in >> size >> resident)) return 0;
    return resident * sysconf(_SC_PAGESIZE);
}

struct CudaMemory {
    int64_t freeBytes = -1;   // -1: unknown (no CUDA in this build, or the query failed)
    int64_t totalBytes = 0;
};

CudaMemory cudaMemory(const torch::Device& device) {
#if defined(VFI_WITH_CUDA)
    c10::cuda::CUDAGuard guard(device.index() < 0 ? 0 : device.index());
    size_t freeBytes = 0, totalBytes = 0;
    if (cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess)
        return {static_cast<int64_t>(freeBytes), static_cast<int64_t>(totalBytes)};
#else
    (void)device;
#endif
    return {};
}

// ModelOptions::memoryBudgetMb = 0: what this process may use in all. The margin leaves room for
// the rest of the system (CPU) or the driver and other contexts (CUDA).
int64_t automaticBudgetBytes(const torch::Device& device) {
    constexpr int64_t kMiB = 1024 * 1024;
    int64_t avail = -1, held = 0;
    if (device.is_cuda()) {
        avail = cudaMemory(device).freeBytes;
        held = std::max<int64_t>(0, compat::cudaAllocatedBytes(device.index() < 0 ? 0 : device.index(), false));
    } else {
        avail = availableRamBytes();
        held = residentBytes();
    }
    if (avail <= 0) return 0;   // unknown: untiled, as before
    const int64_t margin = std::max<int64_t>(device.is_cuda() ? 512 * kMiB : 1024 * kMiB, avail / 10);
    return std::max<int64_t>(256 * kMiB, held + avail - margin);
}

// Physical RAM (CPU) or device memory (CUDA); 0 when unknown.
int64_t totalMemoryBytes(const torch::Device& device) {
    if (device.is_cuda()) return cudaMemory(device).totalBytes;
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? static_cast<int64_t>(pages) * page : 0;
}

// ModelOptions::memoryBudgetMb = 0: the tiling plan follows the machine's total memory, not what is
// free at the moment, so that every run of a job on one machine (re-render, resume) gets the same
// band heights. Tiled output equals untiled only within float rounding, so a plan that followed
// free memory would make bit-identical re-renders depend on what else was running. A frame whose
// stages fit in a quarter of this budget is not tiled at all.
int64_t automaticTilingBudgetBytes(const torch::Device& device) {
    const int64_t total = totalMemoryBytes(device);
    // CPU: half, since the user keeps working on the machine (a browser, an editor) meanwhile.
    return device.is_cuda() ? total / 100 * 85 : total / 2;
}

std::string hex64(uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

class TlbvfiInterpolator final : public FrameInterpolator {
public:
    TlbvfiInterpolator(ModelOptions options, std::vector<ConfigCandidate> candidates, torch::Device device,
                       SpeedOptions speed)
        : m_options(std::move(options)), m_candidates(std::move(candidates)), m_device(device), m_speed(speed) {}

    // Whole CPU frames keep freed memory in the process while the job runs (chooseCpuMemoryPolicy);
    // a GUI that stays open after the job gets it back here.
    ~TlbvfiInterpolator() override {
        m_model = nullptr;
        m_transfer.reset();
#if defined(__GLIBC__)
        if (m_device.is_cpu()) malloc_trim(0);
#endif
    }

    Status load() override {
        if (m_model) return {};
        try {
            c10::OptionalDeviceGuard deviceGuard;
            if (m_device.is_cuda()) deviceGuard.reset_device(m_device);
            // Process-wide LibTorch state is the job's (configureProcess, once per job before its
            // workers load); an interpolator used without a job (tests, benchmarks) sets it here once.
            if (!processConfigured()) {
                const int threads = m_options.threads > 0
                                        ? m_options.threads
                                        : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
                VFI_TRY(configureProcess(m_options, threads));
            }
            applyThreadsToThisThread();
            // The weights and the first frame's tensors too; the first frame switches to Return if banded.
            if (m_device.is_cpu()) applyCpuMemoryPolicy(CpuMemoryPolicy::Keep);
            if (m_options.checkpointPath.empty())
                return makeError(ErrorCode::CheckpointMissing, "No TLB-VFI checkpoint was given (the weights vimeo_unet.pth: --model PATH in tlbvfi, Settings in the app).", {""});
            VFI_ASSIGN_OR_RETURN(CheckpointData ckpt,
                                 readCheckpoint(m_options.checkpointPath,
                                                {.weights = m_options.useEma ? WeightSet::Ema : WeightSet::Model}));
            Error firstError;
            bool found = false;
            for (const auto& cand : m_candidates) {
                TlbvfiModel model(cand.config);
                Status st = loadStateDict(*model, ckpt.model);
                if (!st) {
                    if (firstError.message.empty()) {
                        firstError = st.takeError();
                        firstError.message = "Checkpoint " + m_options.checkpointPath + " does not fit the " +
                                             (cand.name.empty() ? std::string("given") : "'" + cand.name + "'") +
                                             " model configuration: " + firstError.message;
                        firstError.args = {m_options.checkpointPath, firstError.message};
                    }
                    continue;
                }
                VFI_TRY(model->setSampleSteps(m_options.steps));
                model->eval();
                model->to(m_device);
                model->setSpeedOptions(m_speed);
                m_transfer = std::make_unique<FrameTransfer>(m_device, m_speed.pinned);
                // Set once per load (not per call) so every pair of a run uses the same plan.
                const int64_t explicitBytes = m_options.memoryBudgetMb * 1024 * 1024;
                m_budgetBytes = explicitBytes > 0 ? explicitBytes : automaticBudgetBytes(m_device);
                MemoryPlan plan;
                plan.budgetBytes = explicitBytes > 0 ? explicitBytes : automaticTilingBudgetBytes(m_device);
                const bool half = m_options.precision == "fp16" || m_options.precision == "bf16";
                plan.activationBytes = half && m_device.is_cuda() ? 2 : 4;
                model->setMemoryPlan(plan);
                m_model = model;
                m_configName = cand.name.empty() ? "custom" : cand.name;
                m_configCh = cand.config.vqgan.ch;
                found = true;
                break;
            }
            if (!found) return firstError;
            m_weightsHash = ckpt.contentHash;
            return {};
        } catch (const std::exception& e) {
            m_model = nullptr;
            const std::string text = compat::errorText(e);
            return makeError(ErrorCode::ModelError, "Loading TLB-VFI failed: " + text, {text});
        }
    }

    // Pause-and-free: drops the weights and the feature cache (both owned by the model), hands
    // LibTorch's cached CUDA blocks back to the driver and, on CPU, freed heap pages back to the OS so
    // that the memory is really available while paused. load() restores the same state.
    void release() override {
        m_model = nullptr;
        m_transfer.reset();
        m_cacheFrameSize = {0, 0};
        if (m_device.is_cuda()) compat::emptyCudaCache();
#if defined(__GLIBC__)
        malloc_trim(0);
#endif
    }

    std::optional<FeatureCacheStats> cacheStats() const {
        if (!m_model) return std::nullopt;
        TlbvfiModel model = m_model;   // non-const handle: featureCache() is not const
        const EncoderFeatureCache* cache = model->vqgan->featureCache();
        if (cache == nullptr) return FeatureCacheStats{};
        return FeatureCacheStats{cache->capacity(), cache->hits(), cache->misses()};
    }
    int64_t budgetBytes() const { return m_budgetBytes; }
    // What the model itself was given, so tests see the plan the frames are computed with.
    int64_t tilingBudgetBytes() const { return m_model ? m_model->memoryPlan().budgetBytes : -1; }

    bool loaded() const override { return static_cast<bool>(m_model); }

    Result<RgbFrame> interpolate(const RgbFrame& a, const RgbFrame& b, const InterpolationCall& call) override {
        const std::vector<InterpolationRequest> one{InterpolationRequest{&a, &b, call}};
        VFI_ASSIGN_OR_RETURN(auto frames, run(one));
        return std::move(frames.front());
    }

    Result<std::vector<RgbFrame>> interpolateBatch(const std::vector<InterpolationRequest>& requests) override {
        if (requests.empty()) return std::vector<RgbFrame>{};
        return run(requests);
    }

    // ModelOptions::batchPairs when set; else on CUDA as many pairs as the tiling budget (a fixed
    // share of the device's total memory, so every run on one machine batches alike) holds at about
    // 3 KB per padded pixel and pair (the fp32 peak of one pair measured at 1080p and 4K was 2.1 KB,
    // docs/benchmarks.md), at most 4; frames the plan bands, and the CPU, one pair at a time (on
    // the CPU a batch gains nothing: the cores are busy either way).
    int batchSize(int width, int height) const override {
        if (m_options.batchPairs > 0) return m_options.batchPairs;
        if (!m_model || !m_device.is_cuda()) return 1;
        const int64_t paddedH = (height + 511) / 512 * 512, paddedW = (width + 511) / 512 * 512;
        if (m_model->vqgan->decoder->bandsFor(paddedH / 32, paddedW / 32)) return 1;
        const int64_t perPair = paddedH * paddedW * 3 * 1024;
        return static_cast<int>(std::clamp<int64_t>(m_model->memoryPlan().budgetBytes / std::max<int64_t>(perPair, 1), 1, 4));
    }

    std::string fingerprint() const override {
        char scale[16];
        std::snprintf(scale, sizeof scale, "%g", m_options.flowScale);
        return "tlbvfi;weights=" + (m_model ? hex64(m_weightsHash) : std::string("not-loaded")) +
               ";config=" + m_configName + ";ch=" + std::to_string(m_configCh) +
               // The kind only: a session moves between GPUs (cuda:0 -> cuda:1) and device counts.
               ";device=" + c10::DeviceTypeName(m_device.type(), /*lower_case=*/true) +
               ";precision=" + m_options.precision + ";steps=" + std::to_string(m_options.steps) + ";scale=" + scale +
               ";ema=" + (m_options.useEma ? "1" : "0") + ";deterministic=" + (m_options.deterministic ? "1" : "0") +
               ";libtorch=" + compat::torchVersion() + ";speed=" + describeSpeedOptions(m_speed);
    }

    std::string displayName() const override {
        return "TLB-VFI (" + m_device.str() + ", " + m_options.precision + ", " + std::to_string(m_options.steps) +
               " steps)";
    }
    bool isPreviewQuality() const override { return false; }

    DeviceMemoryInfo deviceMemory() const override {
        DeviceMemoryInfo info;
        if (m_device.is_cuda()) info.usedBytes = compat::cudaAllocatedBytes(m_device.index() < 0 ? 0 : m_device.index(), false);
        return info;
    }

private:
    // interpolate() and interpolateBatch(): one request runs TlbvfiModel::sample (as always), several
    // run sampleBatch. Frames travel through m_transfer (pipelined on CUDA).
    Result<std::vector<RgbFrame>> run(const std::vector<InterpolationRequest>& requests) {
        if (!m_model) return makeError(ErrorCode::ModelError, "TLB-VFI is not loaded (load() first).", {"not loaded"});
        const RgbFrame& first = *requests.front().a;
        for (const auto& r : requests) {
            const RgbFrame& a = *r.a;
            const RgbFrame& b = *r.b;
            if (a.width != b.width || a.height != b.height || a.empty() || a.data.size() != a.planeSize() * 3 ||
                b.data.size() != b.planeSize() * 3 || a.width != first.width || a.height != first.height)
                return makeError(ErrorCode::ModelError, "TLB-VFI needs two frames of the same, non-zero size.",
                                 {"frame size mismatch"});
            if (r.call.cancel && r.call.cancel->load()) return makeError(ErrorCode::Cancelled, "Cancelled.");
        }
        // Reflect padding needs two pixels on a side (sides < 256 are mirrored repeatedly, vqgan.h).
        if (first.width < 2 || first.height < 2)
            return makeError(ErrorCode::ModelError,
                             "TLB-VFI needs frames of at least 2x2 pixels (got " + std::to_string(first.width) + "x" +
                                 std::to_string(first.height) + ").",
                             {"frame too small"});
        auto cancelled = [&] {
            for (const auto& r : requests)
                if (r.call.cancel && r.call.cancel->load()) return true;
            return false;
        };
        try {
            // Several devices in one process: every CUDA call of this worker goes to its device.
            c10::OptionalDeviceGuard deviceGuard;
            if (m_device.is_cuda()) deviceGuard.reset_device(m_device);
            torch::InferenceMode inference;
            prof::CallScope profiled(m_device);
            sizeFeatureCache(first.width, first.height);
            chooseCpuMemoryPolicy(first.width, first.height);
            std::vector<const RgbFrame*> frames;
            for (const auto& r : requests) frames.push_back(r.a);
            for (const auto& r : requests) frames.push_back(r.b);
            const auto n = static_cast<int64_t>(requests.size());
            const torch::Tensor both = m_transfer->upload(frames);
            for (size_t i = 0; i < frames.size(); ++i) m_transfer->waitFor(i);
            const torch::Tensor prev = both.slice(0, 0, n), next = both.slice(0, n, 2 * n);
            std::vector<CallNoise> noise;
            noise.reserve(requests.size());
            std::vector<NoiseSource*> sources;
            for (const auto& r : requests) {
                noise.emplace_back(callNoiseSeed(r.call.jobSeed, r.call.pairIndex, r.call.bisectionStep), r.call.cancel);
                sources.push_back(&noise.back());
            }
            const bool half = m_options.precision == "fp16" || m_options.precision == "bf16";
            compat::CudaAutocastGuard autocast(half && m_device.is_cuda(),
                                               m_options.precision == "bf16" ? at::kBFloat16 : at::kHalf);
            auto out = n == 1 ? m_model->sample(prev, next, m_options.flowScale, noise.front())
                              : m_model->sampleBatch(prev, next, m_options.flowScale, sources);
            if (cancelled()) return makeError(ErrorCode::Cancelled, "Cancelled.");
            if (!out) return out.takeError();
            auto result = m_transfer->download(*out);
            if (auto* p = profile::active()) p->addGeneratedFrames(n);
            return result;
        } catch (const CancelledBySampler&) {
            return makeError(ErrorCode::Cancelled, "Cancelled.");
        } catch (const std::exception& e) {
            if (cancelled()) return makeError(ErrorCode::Cancelled, "Cancelled.");
            const std::string text = compat::errorText(e);
            return makeError(ErrorCode::ModelError, "TLB-VFI failed: " + text, {text});
        }
    }

    // Encoder feature cache (item 6b), sized when the frame size changes: 8 frames hold what 2x and
    // 4x bisection reuse (a pair adds its new frame at full and reduced size, 4x also the middle
    // frame); fewer than 4 entries are evicted before reuse, so that is off. An entry is about 90
    // floats per padded pixel at ch = 64 (all levels); a quarter of the budget may go to the cache.
    void sizeFeatureCache(int64_t width, int64_t height) {
        if (m_cacheFrameSize == std::pair{width, height}) return;
        m_cacheFrameSize = {width, height};
        size_t frames = 0;
        if (m_options.featureCacheFrames >= 0) {
            frames = static_cast<size_t>(m_options.featureCacheFrames);
        } else {
            const int64_t padded = ((width + 63) / 64 * 64) * ((height + 63) / 64 * 64);
            const int64_t entryBytes = std::max<int64_t>(1, padded * 90 * 4 * m_configCh / 64);
            const int64_t fit = m_budgetBytes > 0 ? m_budgetBytes / 4 / entryBytes : kAutoCacheFrames;
            frames = fit >= 4 ? static_cast<size_t>(std::min<int64_t>(fit, kAutoCacheFrames)) : 0;
        }
        m_model->vqgan->setFeatureCacheCapacity(frames);
    }

    static constexpr int64_t kAutoCacheFrames = 8;

    // CPU frames the decoder computes in bands (the memory plan found the machine's memory short for
    // them) return freed memory at once; frames it computes whole keep it for speed (model_process.h
    // says why and what was measured). The same test as batchSize's.
    void chooseCpuMemoryPolicy(int64_t width, int64_t height) {
        if (!m_device.is_cpu()) return;
        const int64_t paddedH = (height + 511) / 512 * 512, paddedW = (width + 511) / 512 * 512;
        const bool banded = m_model->vqgan->decoder->bandsFor(paddedH / 32, paddedW / 32);
        applyCpuMemoryPolicy(banded ? CpuMemoryPolicy::Return : CpuMemoryPolicy::Keep);
    }

    ModelOptions m_options;
    std::vector<ConfigCandidate> m_candidates;
    torch::Device m_device;
    TlbvfiModel m_model{nullptr};
    std::string m_configName = "official";
    int m_configCh = 0;
    uint64_t m_weightsHash = 0;
    int64_t m_budgetBytes = 0;   // feature cache sizing (free memory at load)
    SpeedOptions m_speed;
    std::unique_ptr<FrameTransfer> m_transfer;
    std::pair<int64_t, int64_t> m_cacheFrameSize{0, 0};
};

}  // namespace

uint64_t callNoiseSeed(uint64_t jobSeed, int64_t pairIndex, int bisectionStep) {
    uint64_t h = splitmix(jobSeed ^ 0x746c6276666931ULL);
    h = splitmix(h ^ static_cast<uint64_t>(pairIndex));
    h = splitmix(h ^ static_cast<uint64_t>(static_cast<int64_t>(bisectionStep)));
    return h;
}

torch::Tensor CallNoise::next(int64_t step, const torch::Tensor& like) {
    if (m_cancel && m_cancel->load()) throw CancelledBySampler();
    return m_inner.next(step, like);
}

std::optional<FeatureCacheStats> featureCacheStats(const FrameInterpolator& interpolator) {
    const auto* t = dynamic_cast<const TlbvfiInterpolator*>(&interpolator);
    return t != nullptr ? t->cacheStats() : std::nullopt;
}

int64_t memoryBudgetBytes(const FrameInterpolator& interpolator) {
    const auto* t = dynamic_cast<const TlbvfiInterpolator*>(&interpolator);
    return t != nullptr ? t->budgetBytes() : -1;
}

int64_t tilingBudgetBytes(const FrameInterpolator& interpolator) {
    const auto* t = dynamic_cast<const TlbvfiInterpolator*>(&interpolator);
    return t != nullptr ? t->tilingBudgetBytes() : -1;
}

Status validateModelOptions(const ModelOptions& o) {
    if (o.steps < 3) return invalidOption("steps", std::to_string(o.steps), "TLB-VFI needs at least 3 sample steps");
    if (o.steps > 1000) return invalidOption("steps", std::to_string(o.steps), "at most 1000 sample steps");
    if (o.flowScale != 0.25 && o.flowScale != 0.5 && o.flowScale != 1.0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", o.flowScale);
        return invalidOption("flow scale", buf, "expected 0.25, 0.5 or 1.0");
    }
    if (o.precision != "fp32" && o.precision != "tf32" && o.precision != "fp16" && o.precision != "bf16")
        return invalidOption("precision", o.precision, "expected fp32, tf32, fp16 or bf16");
    if (o.threads < 0) return invalidOption("threads", std::to_string(o.threads), "must be >= 0");
    if (o.memoryBudgetMb < 0)
        return invalidOption("memory budget", std::to_string(o.memoryBudgetMb), "MiB >= 0 (0 = automatic)");
    if (o.batchPairs < 0 || o.batchPairs > 64)
        return invalidOption("batch", std::to_string(o.batchPairs), "pairs 1..64, or 0 for automatic");
    if (o.featureCacheFrames < -1)
        return invalidOption("feature cache", std::to_string(o.featureCacheFrames), "frames >= 0, or -1 for automatic");
    VFI_ASSIGN_OR_RETURN(ParsedDevice d, parseDevice(o.device));
    if (o.precision != "fp32" && !d.device.is_cuda())
        return invalidOption("precision", o.precision, "only fp32 is supported on " + o.device + " (the others need CUDA)");
    return {};
}

Result<std::unique_ptr<FrameInterpolator>> createTlbvfiInterpolator(const ModelOptions& options,
                                                                     std::vector<ConfigCandidate> candidates) {
    VFI_TRY(validateModelOptions(options));
    VFI_ASSIGN_OR_RETURN(ParsedDevice d, parseDevice(options.device));
    VFI_ASSIGN_OR_RETURN(SpeedOptions speed, speedOptionsFromEnvironment(d.device));
    if (candidates.empty()) candidates.push_back({"official", TlbvfiConfig{}});
    return std::unique_ptr<FrameInterpolator>(
        std::make_unique<TlbvfiInterpolator>(options, std::move(candidates), d.device, speed));
}

}  // namespace vfi::model
