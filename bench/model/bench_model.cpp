// bench_model: ms per generated frame and peak memory of TLB-VFI with random weights of the official
// configuration (LibTorch alone; no checkpoint needed).
//   bench_model [--size HxW] [--steps N] [--precision fp32|tf32|fp16|bf16] [--device cpu|cuda:N]
//               [--pairs N] [--scale 0.5] [--threads N] [--seed S] [--cache N]
// --pairs N runs N consecutive pairs of a moving sequence (frame i, i+1), the access pattern of the
// engine (and of the encoder cache, issue 3 item 6b).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "call_noise.h"
#include "tlbvfi_model.h"
#include "torch_compat.h"

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
               "                   [--pairs N] [--scale 0.25|0.5|1.0] [--threads N] [--seed S] [--cache N]\n",
               stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    int h = 512, w = 512, steps = 10, pairs = 1, threads = 0, cache = 0;
    double scale = 0.5;
    uint64_t seed = 0;
    std::string precision = "fp32", device = "cpu";
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
        else if (a == "--seed") seed = std::strtoull(v.c_str(), nullptr, 10);
        else return usage();
    }
    if (threads > 0) at::set_num_threads(threads);
    try {
        const torch::Device dev(device);
        torch::manual_seed(static_cast<uint64_t>(seed));
        TlbvfiConfig cfg;
        cfg.bb.sampleSteps = steps;
        TlbvfiModel model(cfg);
        model->eval();
        model->to(dev);
        // Encoder feature cache (issue 3 item 6b): N per-frame entries reused across consecutive pairs.
        model->vqgan->setFeatureCacheCapacity(static_cast<size_t>(cache));
        const bool half = precision == "fp16" || precision == "bf16";
        if (dev.is_cuda()) {
            at::globalContext().setAllowTF32CuDNN(precision == "tf32");
            at::globalContext().setAllowTF32CuBLAS(precision == "tf32");
            compat::resetCudaPeak(dev.index() < 0 ? 0 : dev.index());
        } else if (precision != "fp32") {
            std::fprintf(stderr, "precision %s needs CUDA\n", precision.c_str());
            return 2;
        }
        std::printf("TLB-VFI bench: official config, random weights; size %dx%d, steps %d, scale %g, precision %s, "
                    "device %s, pairs %d, feature cache %d\n",
                    h, w, steps, scale, precision.c_str(), device.c_str(), pairs, cache);
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
        compat::CudaAutocastGuard autocast(half && dev.is_cuda(), precision == "bf16" ? at::kBFloat16 : at::kHalf);
        double totalMs = 0, firstMs = 0;
        for (int p = 0; p < pairs; ++p) {
            CallNoise noise(callNoiseSeed(seed, p, 0), nullptr);
            const auto t0 = std::chrono::steady_clock::now();
            auto out = model->sample(frame(p), frame(p + 1), scale, noise);
            if (!out) {
                std::fprintf(stderr, "sample failed: %s\n", out.error().message.c_str());
                return 1;
            }
            (void)out->sum().item<float>();   // synchronise
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (p == 0) firstMs = ms;
            totalMs += ms;
            std::printf("pair %d: %.0f ms\n", p, ms);
        }
        std::printf("ms per generated frame: %.0f (first %.0f, mean of %d)\n", totalMs / pairs, firstMs, pairs);
        if (dev.is_cuda())
            std::printf("peak CUDA allocated: %.1f MB\n",
                        compat::cudaAllocatedBytes(dev.index() < 0 ? 0 : dev.index(), true) / 1048576.0);
        const int64_t rss = peakRssKb();
        std::printf("peak RSS: %.1f MB (%.2f KB per padded px incl. weights and runtime)\n", rss / 1024.0,
                    rss * 1.0 / ((h + 511) / 512 * 512.0 * ((w + 511) / 512 * 512.0)));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_model: %s\n", e.what());
        return 1;
    }
    return 0;
}
