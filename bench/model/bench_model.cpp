// bench_model: ms per generated frame and peak memory of TLB-VFI with random weights of the official
// configuration (LibTorch alone; no checkpoint needed).
//   bench_model [--size HxW] [--steps N] [--precision fp32|tf32|fp16|bf16] [--device cpu|cuda:N]
//               [--pairs N] [--scale 0.5] [--threads N] [--seed S] [--cache N] [--phases 0|1]
//               [--attn-budget-mb M] [--tap-by-tap 0|1] [--memory-budget MB] [--band-rows N]
// --pairs N runs N consecutive pairs of a moving sequence (frame i, i+1), the access pattern of the
// engine (and of the encoder cache, issue 3 item 6b).
// On CPU a counting allocator measures live-tensor memory (activations above what is alive before the
// pair: weights, frames): peak bytes and KB per padded pixel, next to whole-process peak RSS.
// --phases 1 runs sample()'s three phases (encoder, sampling, decoder) one by one, as
// TlbvfiModel::sample does, and prints the live-tensor peak of each. --attn-budget-mb 0 turns off the
// query chunking of the global attention (STAttn); --tap-by-tap 0 restores the reference's unfold
// flow refinement (the "before" of those exact reductions).
// --memory-budget MB sets the model's MemoryPlan (exact row-band tiling of the full-resolution
// stages, band heights derived from the budget); --band-rows N forces the band height instead.
// --checkpoint PATH loads a checkpoint of the official configuration (file layout of vimeo_unet.pth)
// instead of random weights, e.g. the one bench/model/official_side_by_side.py writes so that both
// implementations run the same weights; --dump PATH writes the last pair's output frame as raw
// little-endian float32 (C×H×W, after the shape line printed) for cross-device comparisons.
// --cudnn-benchmark 1 lets cuDNN time its algorithms per shape, as the engine's interpolator does
// outside deterministic mode; the default 0 is PyTorch's default (and the official code's).
// --speed SPEC sets the speed switches as VFI_MODEL_SPEED does (speed_options.h), on top of the
// device's defaults (which the environment variable also changes); e.g. --speed channels_last=0.
// --batch N gives the model N consecutive pairs per call (TlbvfiModel::sampleBatch); --pairs is
// rounded up to a multiple of N.
// --profile 1 prints the stage profile (vfi/stage_profile.h) at the end: the frames start on the
// host and are uploaded and downloaded as the engine does (FrameTransfer), each stage timed (CUDA
// events on a GPU).
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "call_noise.h"
#include "checkpoint_reader.h"
#include "cross_attention.h"
#include "decoder.h"
#include "frame_transfer.h"
#include "live_memory.h"
#include "profiling.h"
#include "speed_options.h"
#include "tlbvfi_model.h"
#include "torch_compat.h"
#include "vfi/stage_profile.h"

using namespace vfi::model;

namespace {

int64_t peakRssKb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
    return -1;
}

int usage() {
    std::fputs("usage: bench_model [--size HxW] [--steps N] [--precision fp32|tf32|fp16|bf16] [--device cpu|cuda:N]\n"
               "                   [--pairs N] [--scale 0.25|0.5|1.0] [--threads N] [--seed S] [--cache N]\n"
               "                   [--phases 0|1] [--attn-budget-mb M] [--tap-by-tap 0|1]\n"
               "                   [--memory-budget MB] [--band-rows N] [--checkpoint PATH] [--dump PATH]\n"
               "                   [--cudnn-benchmark 0|1] [--speed SPEC] [--batch N] [--profile 0|1]\n",
               stderr);
    return 2;
}

double mb(int64_t bytes) { return static_cast<double>(bytes) / 1048576.0; }

}  // namespace

int main(int argc, char** argv) {
    // Before anything allocates, so every CPU tensor of the run goes through the meter.
    auto& meter = vfi::bench::LiveMemoryMeter::install();
    int h = 512, w = 512, steps = 10, pairs = 1, threads = 0, cache = 0, phases = 0, tapByTap = 1, cudnnBenchmark = 0;
    int batch = 1, profileOn = 0;
    std::string speedSpec;
    double attnBudgetMb = -1;
    double memoryBudgetMb = 0;
    int64_t bandRows = 0;
    double scale = 0.5;
    uint64_t seed = 0;
    std::string precision = "fp32", device = "cpu", checkpoint, dumpPath;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage();
        const std::string v = argv[++i];
        if (a == "--size") {
            if (std::sscanf(v.c_str(), "%dx%d", &h, &w) != 2) return usage();
        } else if (a == "--steps") steps = std::atoi(v.c_str());
        else if (a == "--precision") precision = v;
        else if (a == "--device") device = v;
        else if (a == "--pairs") pairs = std::max(1, std::atoi(v.c_str()));
        else if (a == "--scale") scale = std::atof(v.c_str());
        else if (a == "--threads") threads = std::atoi(v.c_str());
        else if (a == "--cache") cache = std::max(0, std::atoi(v.c_str()));
        else if (a == "--phases") phases = std::atoi(v.c_str());
        else if (a == "--attn-budget-mb") attnBudgetMb = std::atof(v.c_str());
        else if (a == "--tap-by-tap") tapByTap = std::atoi(v.c_str());
        else if (a == "--memory-budget") memoryBudgetMb = std::atof(v.c_str());
        else if (a == "--band-rows") bandRows = std::atoll(v.c_str());
        else if (a == "--checkpoint") checkpoint = v;
        else if (a == "--dump") dumpPath = v;
        else if (a == "--cudnn-benchmark") cudnnBenchmark = std::atoi(v.c_str());
        else if (a == "--seed") seed = std::strtoull(v.c_str(), nullptr, 10);
        else if (a == "--speed") speedSpec = v;
        else if (a == "--batch") batch = std::max(1, std::atoi(v.c_str()));
        else if (a == "--profile") profileOn = std::atoi(v.c_str());
        else return usage();
    }
    if (threads > 0) at::set_num_threads(threads);
    try {
        const torch::Device dev(device);
        torch::manual_seed(static_cast<uint64_t>(seed));
        TlbvfiConfig cfg;
        cfg.bb.sampleSteps = steps;
        TlbvfiModel model(cfg);
        if (!checkpoint.empty()) {
            const auto t0 = std::chrono::steady_clock::now();
            auto ckpt = readCheckpoint(checkpoint);
            if (!ckpt) {
                std::fprintf(stderr, "bench_model: %s\n", ckpt.error().message.c_str());
                return 1;
            }
            if (vfi::Status st = loadStateDict(*model, ckpt->model); !st) {
                std::fprintf(stderr, "bench_model: %s\n", st.error().message.c_str());
                return 1;
            }
            std::printf("checkpoint %s: %zu tensors, %.1f MB of storages read, %.0f ms\n", checkpoint.c_str(),
                        ckpt->model.size(), mb(ckpt->storageBytesRead),
                        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        model->eval();
        model->to(dev);
        auto speed = speedOptionsFromEnvironment(dev);
        if (speed && !speedSpec.empty()) speed = parseSpeedOptions(speedSpec, *speed);
        if (!speed) {
            std::fprintf(stderr, "bench_model: %s\n", speed.error().message.c_str());
            return 2;
        }
        model->setSpeedOptions(*speed);
        if (phases && batch > 1) {
            std::fprintf(stderr, "bench_model: --phases 1 runs one pair at a time (--batch 1)\n");
            return 2;
        }
        pairs = (pairs + batch - 1) / batch * batch;
        // Encoder feature cache (issue 3 item 6b): N per-frame entries reused across consecutive pairs.
        model->vqgan->setFeatureCacheCapacity(static_cast<size_t>(cache));
        if (attnBudgetMb >= 0) setGlobalAttentionBudget(static_cast<int64_t>(attnBudgetMb * 1048576.0));
        model->vqgan->decoder->refinenet->setTapByTap(tapByTap != 0);
        MemoryPlan memoryPlan;
        memoryPlan.budgetBytes = static_cast<int64_t>(memoryBudgetMb * 1048576.0);
        memoryPlan.forceBandRows = bandRows;
        model->setMemoryPlan(memoryPlan);
        // As sample() does; the phase-by-phase run calls encode() directly.
        model->vqgan->encoder->setKeepFullResFeatures(scale == 1.0);
        std::printf("memory plan: budget %.0f MB, band rows %lld (0 = untiled / derived)\n", memoryBudgetMb,
                    static_cast<long long>(bandRows));
        const bool half = precision == "fp16" || precision == "bf16";
        if (dev.is_cuda()) {
            at::globalContext().setAllowTF32CuDNN(precision == "tf32");
            at::globalContext().setAllowTF32CuBLAS(precision == "tf32");
            at::globalContext().setBenchmarkCuDNN(cudnnBenchmark != 0);
            compat::resetCudaPeak(dev.index() < 0 ? 0 : dev.index());
        } else if (precision != "fp32") {
            std::fprintf(stderr, "precision %s needs CUDA\n", precision.c_str());
            return 2;
        }
        std::printf("TLB-VFI bench: official config, random weights; size %dx%d, steps %d, scale %g, precision %s, "
                    "device %s, pairs %d, feature cache %d\n",
                    h, w, steps, scale, precision.c_str(), device.c_str(), pairs, cache);
        std::printf("global attention budget %.0f MB (0 = unchunked), flow refine %s\n",
                    mb(globalAttentionBudget()), tapByTap ? "tap by tap" : "unfold (reference)");
        std::printf("speed switches: %s; batch %d pair(s) per call\n", describeSpeedOptions(*speed).c_str(), batch);
        std::printf("LibTorch %s, intra-op threads %d\n%s\n", compat::torchVersion().c_str(), at::get_num_threads(),
                    at::get_parallel_info().c_str());
        std::printf("rss after model construction: %.1f MB\n", peakRssKb() / 1024.0);

        // A smooth moving pattern: frame i is shifted by 4·i px.
        auto frame = [&](int i) {
            auto y = torch::linspace(0, 1, h).view({1, 1, h, 1});
            auto x = torch::linspace(0, 1, w).view({1, 1, 1, w}) + 4.0 * i / w;
            auto c = torch::arange(3, torch::kFloat).view({1, 3, 1, 1});
            return torch::sin(x * 17 + y * 9 + c * 1.3).mul(0.8).to(dev);
        };
        torch::InferenceMode inference;
        const int64_t weightsLive = meter.current();
        compat::CudaAutocastGuard autocast(half && dev.is_cuda(), precision == "bf16" ? at::kBFloat16 : at::kHalf);
        const double paddedPx = (h + 511) / 512 * 512.0 * ((w + 511) / 512 * 512.0);
        const bool metered = !dev.is_cuda();
        int64_t worstLive = 0, pairBase = 0;
        // Live-tensor peak since `base` was taken: above the pair's start (weights, input frames) and,
        // for a phase, what the phase itself added above what earlier phases left alive.
        auto report = [&](const char* what, int64_t base) {
            const int64_t live = meter.peak() - pairBase;
            worstLive = std::max(worstLive, live);
            if (metered)
                std::printf("  %-9s live-tensor peak %8.1f MB = %.2f KB per padded px (%.1f MB alive at its "
                            "start, %.2f KB/px added by it)\n",
                            what, mb(live), live / 1024.0 / paddedPx, mb(base - pairBase),
                            (meter.peak() - base) / 1024.0 / paddedPx);
        };
        // TlbvfiModel::sample, phase by phase (same calls, same order).
        auto samplePhases = [&](const torch::Tensor& prev, const torch::Tensor& next, NoiseSource& noise) {
            torch::NoGradGuard noGrad;
            meter.resetPeak();
            int64_t base = meter.current();
            auto enc = model->vqgan->encode(torch::cat({prev, torch::zeros_like(prev), next}, 0));
            report("encoder", base);
            auto latent = torch::stack(torch::chunk(enc.latent, 3, 0), 2);
            enc.latent = torch::Tensor();
            meter.resetPeak();
            base = meter.current();
            auto unet = model->denoise_fn;
            auto final = model->sampler().sample(
                latent,
                [&unet](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& ctx) {
                    return unet(x, t, ctx);
                },
                noise);
            latent = torch::Tensor();
            report("sampling", base);
            meter.resetPeak();
            base = meter.current();
            auto pm = final.permute({0, 2, 1, 3, 4});
            auto frameLatents = pm.reshape({pm.size(0) * pm.size(1), pm.size(2), pm.size(3), pm.size(4)});
            pm = final = torch::Tensor();
            auto out = model->vqgan->decode(frameLatents, prev, next, enc.phiList, enc.pad, scale, nullptr);
            report("decoder", base);
            return out;
        };
        double totalMs = 0, firstMs = 0;
        torch::Tensor lastOut;
        vfi::profile::Profiler profiler;
        if (profileOn) {
            vfi::profile::setActive(&profiler);
            profiler.start();
        }
        // Profiled runs start from host frames in [0, 1] and end there, as the engine's do.
        FrameTransfer transfer(dev, speed->pinned);
        auto hostFrame = [&](int i) {
            const auto t = frame(i).to(torch::kCPU).div(2).add(0.5).contiguous();
            vfi::RgbFrame f = vfi::RgbFrame::uninitialized(w, h);
            std::memcpy(f.data.data(), t.data_ptr<float>(), f.data.size() * sizeof(float));
            return f;
        };
        const int calls = pairs / batch;
        for (int call = 0; call < calls; ++call) {
            const int p0 = call * batch;
            std::vector<CallNoise> noises;
            noises.reserve(static_cast<size_t>(batch));
            std::vector<NoiseSource*> sources;
            for (int k = 0; k < batch; ++k) {
                noises.emplace_back(callNoiseSeed(seed, p0 + k, 0), nullptr);
                sources.push_back(&noises.back());
            }
            std::vector<vfi::RgbFrame> hostFrames;
            if (profileOn)
                for (int k = 0; k <= batch; ++k) hostFrames.push_back(hostFrame(p0 + k));
            std::vector<torch::Tensor> prevs, nexts;
            for (int k = 0; k < batch; ++k) {
                prevs.push_back(frame(p0 + k));
                nexts.push_back(frame(p0 + k + 1));
            }
            meter.resetPeak();
            pairBase = meter.current();
            const auto t0 = std::chrono::steady_clock::now();
            torch::Tensor out;
            {
                prof::CallScope profiled(dev);
                torch::Tensor prev, next;
                if (profileOn) {
                    std::vector<const vfi::RgbFrame*> ptrs;
                    for (int k = 0; k < batch; ++k) ptrs.push_back(&hostFrames[static_cast<size_t>(k)]);
                    for (int k = 0; k < batch; ++k) ptrs.push_back(&hostFrames[static_cast<size_t>(k + 1)]);
                    const auto both = transfer.upload(ptrs);
                    for (size_t i = 0; i < ptrs.size(); ++i) transfer.waitFor(i);
                    prev = both.slice(0, 0, batch);
                    next = both.slice(0, batch, 2 * batch);
                } else {
                    prev = batch == 1 ? prevs.front() : torch::cat(prevs, 0);
                    next = batch == 1 ? nexts.front() : torch::cat(nexts, 0);
                }
                if (phases) {
                    out = samplePhases(prev, next, *sources.front());
                } else {
                    auto r = batch == 1 ? model->sample(prev, next, scale, *sources.front())
                                        : model->sampleBatch(prev, next, scale, sources);
                    if (!r) {
                        std::fprintf(stderr, "sample failed: %s\n", r.error().message.c_str());
                        return 1;
                    }
                    out = *r;
                }
                if (profileOn) {
                    (void)transfer.download(out);
                    profiler.addGeneratedFrames(batch);
                }
            }
            (void)out.sum().item<float>();   // synchronise
            if (!phases) report("pair", pairBase);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (call == 0) firstMs = ms / batch;
            if (!dumpPath.empty()) lastOut = out.slice(0, batch - 1, batch);
            totalMs += ms;
            std::printf("pairs %d..%d: %.0f ms\n", p0, p0 + batch - 1, ms);
        }
        if (profileOn) {
            profiler.stop();
            vfi::profile::setActive(nullptr);
        }
        std::printf("ms per generated frame: %.0f (first %.0f, mean of %d)\n", totalMs / pairs, firstMs, pairs);
        // The first call carries one-off costs (CUDA context and kernel selection, allocator growth,
        // graph capture).
        if (calls > 1)
            std::printf("steady ms per generated frame: %.1f (mean of pairs %d..%d)\n",
                        (totalMs - firstMs * batch) / (pairs - batch), batch, pairs - 1);
        if (profileOn) std::fputs(profiler.table().c_str(), stdout);
        if (!dumpPath.empty()) {
            const auto cpu = lastOut.detach().to(torch::kCPU, torch::kFloat).contiguous();
            std::ofstream f(dumpPath, std::ios::binary);
            f.write(reinterpret_cast<const char*>(cpu.data_ptr<float>()),
                    static_cast<std::streamsize>(cpu.numel() * sizeof(float)));
            if (!f) {
                std::fprintf(stderr, "bench_model: cannot write %s\n", dumpPath.c_str());
                return 1;
            }
            std::printf("dumped output %s to %s\n", c10::str(cpu.sizes()).c_str(), dumpPath.c_str());
        }
        if (dev.is_cuda())
            std::printf("peak CUDA allocated: %.1f MB\n",
                        compat::cudaAllocatedBytes(dev.index() < 0 ? 0 : dev.index(), true) / 1048576.0);
        if (metered)
            std::printf("live-tensor peak (activations above weights and input frames): %.1f MB = %.2f KB per "
                        "padded px; weights and runtime tensors alive before the pairs: %.1f MB\n",
                        mb(worstLive), worstLive / 1024.0 / paddedPx, mb(weightsLive));
        const int64_t rss = peakRssKb();
        std::printf("peak RSS: %.1f MB (%.2f KB per padded px incl. weights and runtime)\n", rss / 1024.0,
                    rss * 1.0 / paddedPx);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_model: %s\n", e.what());
        return 1;
    }
    return 0;
}
