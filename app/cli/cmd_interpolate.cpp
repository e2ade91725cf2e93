// `tlbvfi interpolate`: builds JobSettings from the options and runs the job on this thread; signals
// cancel it cleanly (finished chunks are kept, the rerun resumes).
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"
#include "vfi/compute_devices.h"
#include "vfi/job_runner.h"
#include "vfi/model_download.h"
#include "vfi/stage_profile.h"

namespace vfi::cli {

const CommandHelp& interpolateHelp() {
    static const CommandHelp help = [] {
        const JobSettings d;
        CommandHelp h;
        h.synopsis = "interpolate INPUT -o OUTPUT [options]";
        h.summary = "Renders INPUT at factor x its frame rate (or at --fps RATE) into OUTPUT, chunk by chunk into a session folder, then joins "
                    "them with the source's audio, subtitles and chapters. Rerunning the same command resumes.";
        h.options = {
            {"-o, --output", "OUTPUT", "", "output file; the container follows the extension (.mp4, .mov, .mkv); not needed with --range"},
            {"--factor", "2|4|8", std::to_string(d.factor), "output frames per source frame interval (2x, 4x or 8x the frame rate)"},
            {"--fps", "RATE", "none (--factor applies)", "a target frame rate instead of a factor, e.g. 60, 59.94 or 60000/1001; excludes --factor"},
            {"--backend", "tlbvfi|blend", backendName(d.backend), "tlbvfi: the TLB-VFI model; blend: a linear blend, a preview mode (not AI)"},
            {"--model", "PATH", "the file `tlbvfi model download` installs, " + defaultModelPath(),
             "TLB-VFI weights (vimeo_unet.pth, Hugging Face ucfzl/TLBVFI)"},
            {"--config", "JSON[#SECTION]", "the official configuration", "model configuration for reduced-width checkpoints"},
            {"--device", "cpu|cuda:N|mps", d.model.device, "where the model runs"},
            {"--devices", "LIST", "--device", "several devices in one job, one chunk worker each: cuda:0,cuda:1, all (every CUDA device) "
                                               "or cpu,cpu; the output is identical to one device's"},
            {"--precision", "fp32|tf32|fp16|bf16", d.model.precision, "model arithmetic; all but fp32 need CUDA"},
            {"--steps", "N", std::to_string(d.model.steps), "Brownian-bridge sampling steps (>= 3; more is slower)"},
            {"--flow-scale", "0.25|0.5|1.0", numberText(d.model.flowScale), "resolution of the flow estimation relative to the frame"},
            {"--ema", "", "off", "use the EMA UNet weights of the checkpoint (the paper's evaluation) instead of 'model'"},
            {"--seed", "N", std::to_string(d.seed), "diffusion noise seed; each model call is seeded by (seed, pair, bisection step)"},
            {"--threads", "N", "0 = cores - 1", "LibTorch intra-op threads"},
            {"--memory-budget", "MB", "0 = automatic", "memory budget of the model in MiB: exact tiling of large frames and the feature cache"},
            {"--feature-cache", "N", "-1 = automatic", "encoder feature cache in frames; 0 = off (output identical either way)"},
            {"--batch", "N", "0 = automatic (CUDA: what the memory holds, at most 4; CPU: 1)",
             "source pairs the model renders at once; frames equal unbatched ones within float rounding"},
            {"--profile", "", "off", "after the summary, print where the render's time went (stages per thread)"},
            {"--encoder", "NAME", "libx264, libx265 for 10-bit sources", "video encoder (libx264, libx265, ffv1, prores_ks, *_nvenc, ...)"},
            {"--quality", "Q", "the encoder's own", "CRF for x264/x265, CQ for NVENC, profile for ProRes"},
            {"--preset", "P", "the encoder table's", "encoder speed preset (e.g. x264 veryfast ... veryslow)"},
            {"--pix-fmt", "F", "from the source and encoder", "output pixel format (yuv420p, yuv420p10le, ...)"},
            {"--chunk-frames", "N", "about 2 s of source", "source frames per chunk"},
            {"--session", "DIR", "OUTPUT.tlbvfi/", "session folder holding the chunks and the manifest"},
            {"--range", "A:B", "the whole video", "render only source frames [A, B) into the session, without a join (B empty: to the end)"},
            {"--part", "K/N", "the whole video", "render only part K (0..N-1) of N: whole chunks [K*C/N, (K+1)*C/N) of the C planned, without a join "
                                                 "(array jobs: Slurm, Kubernetes Indexed Jobs, docs/farm.md)"},
            {"--prepare-only", "", "off", "index the source, check the settings and create the session, then stop (what slurm submit does first)"},
            {"--scene-threshold", "X", numberText(d.sceneThreshold), "0..1, 0 = off; at a cut the in-between frames repeat the earlier frame"},
            {"--min-free-gb", "G", numberText(d.minFreeDiskGb), "stop (resumable, exit 5) below this free space on the session volume"},
            {"--verify", "quick|full", verifyDepthName(d.verify), "check of each chunk and of the joined file; full decodes every frame"},
            {"--keep-chunks", "", "off", "keep the session folder after a verified join"},
            {"--overwrite", "", "off", "replace an existing OUTPUT (otherwise exit 4)"},
            {"-h, --help", "", "", "show this help"},
        };
        return h;
    }();
    return help;
}

int runInterpolate(int argc, char** argv) {
    Args args(argc, argv, interpolateHelp().options);
    if (args.helpRequested()) return printHelp(interpolateHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("interpolate needs exactly one INPUT");
    JobSettings s;
    s.inputPath = args.positionals()[0];
    s.outputPath = args.value("-o", args.value("--output"));
    if (s.outputPath.empty() && !args.has("--range") && !args.has("--part")) return usageError("interpolate needs -o OUTPUT");

    auto intOpt = [&](const char* name, auto& target, long long lo, long long hi) -> bool {
        if (!args.has(name)) return true;
        auto v = parseInt(args.value(name));
        if (!v || *v < lo || *v > hi) return false;
        target = static_cast<std::remove_reference_t<decltype(target)>>(*v);
        return true;
    };
    if (!intOpt("--factor", s.factor, 2, 8) || (s.factor != 2 && s.factor != 4 && s.factor != 8))
        return usageError("--factor must be 2, 4 or 8");
    if (args.has("--fps")) {
        if (args.has("--factor")) return usageError("--fps and --factor exclude each other: give one of them");
        s.targetFps = parseFrameRate(args.value("--fps"));
        if (!s.targetFps) return usageError("--fps must be a frame rate above 0, e.g. 60, 59.94 or 60000/1001");
    }
    if (args.has("--backend")) {
        auto b = parseBackend(args.value("--backend"));
        if (!b) return usageError("--backend must be tlbvfi or blend");
        s.backend = *b;
    }
    s.model.checkpointPath = args.value("--model");
    s.model.configPath = args.value("--config");
    s.model.device = args.value("--device", s.model.device);
    if (args.has("--devices")) {
        if (args.has("--device")) return usageError("--device and --devices exclude each other: give one of them");
        auto list = parseDeviceList(args.value("--devices"));
        if (!list) return reportError(list.error());
        s.devices = list.value();
    }
    s.model.precision = args.value("--precision", s.model.precision);
    s.model.useEma = args.has("--ema");
    if (!intOpt("--steps", s.model.steps, 1, 1000)) return usageError("--steps must be a positive integer");
    if (!intOpt("--threads", s.model.threads, 0, 1024)) return usageError("--threads must be >= 0");
    if (!intOpt("--memory-budget", s.model.memoryBudgetMb, 0, 1LL << 30))
        return usageError("--memory-budget must be MiB >= 0 (0 = automatic)");
    if (!intOpt("--feature-cache", s.model.featureCacheFrames, -1, 64))
        return usageError("--feature-cache must be frames 0..64 (0 = off, -1 = automatic)");
    if (!intOpt("--batch", s.model.batchPairs, 0, 64)) return usageError("--batch must be pairs 1..64 (0 = automatic)");
    if (args.has("--flow-scale")) {
        auto v = parseDouble(args.value("--flow-scale"));
        if (!v) return usageError("--flow-scale must be a number (0.25, 0.5 or 1.0)");
        s.model.flowScale = *v;
    }
    s.encode.encoder = args.value("--encoder");
    s.encode.pixFmt = args.value("--pix-fmt");
    s.encode.preset = args.value("--preset");
    if (!intOpt("--quality", s.encode.quality, -1, 100)) return usageError("--quality must be an integer");
    if (!intOpt("--chunk-frames", s.chunkFrames, 1, 1000000)) return usageError("--chunk-frames must be >= 1");
    s.sessionDir = args.value("--session");
    if (args.has("--range")) {
        const std::string r = args.value("--range");
        const auto colon = r.find(':');
        auto a = parseInt(r.substr(0, colon));
        auto b = colon == std::string::npos ? std::optional<long long>() : (r.substr(colon + 1).empty() ? std::optional<long long>(-1) : parseInt(r.substr(colon + 1)));
        if (!a || !b || *a < 0 || (*b >= 0 && *b <= *a)) return usageError("--range must be A:B with 0 <= A < B (B empty: to the end)");
        s.range = FrameRange{*a, *b};
    }
    if (args.has("--part")) {
        if (args.has("--range")) return usageError("--part and --range exclude each other: give one of them");
        auto part = parsePart(args.value("--part"));
        if (!part) return usageError("--part must be K/N with 0 <= K < N, e.g. 0/4 ... 3/4 (got '" + args.value("--part") + "')");
        s.part = *part;
    }
    s.prepareOnly = args.has("--prepare-only");
    if (args.has("--scene-threshold")) {
        auto v = parseDouble(args.value("--scene-threshold"));
        if (!v || *v < 0 || *v > 1) return usageError("--scene-threshold must be between 0 (off) and 1");
        s.sceneThreshold = *v;
    }
    if (args.has("--seed")) {
        auto v = parseInt(args.value("--seed"));
        if (!v) return usageError("--seed must be an integer");
        s.seed = static_cast<uint64_t>(*v);
    }
    if (args.has("--min-free-gb")) {
        auto v = parseDouble(args.value("--min-free-gb"));
        if (!v || *v < 0) return usageError("--min-free-gb must be >= 0");
        s.minFreeDiskGb = *v;
    }
    if (args.has("--verify")) {
        auto v = parseVerifyDepth(args.value("--verify"));
        if (!v) return usageError("--verify must be quick or full");
        s.verify = *v;
    }
    s.keepChunks = args.has("--keep-chunks");
    s.overwrite = args.has("--overwrite");
    if (s.backend == Backend::Tlbvfi && s.model.checkpointPath.empty()) {
        // Without --model: the file `tlbvfi model download` installs.
        std::error_code ec;
        const std::string installed = defaultModelPath();
        if (!std::filesystem::exists(installed, ec))
            return reportError(makeError(ErrorCode::CheckpointMissing,
                                         "no TLB-VFI model: give --model PATH (vimeo_unet.pth), or run `tlbvfi model download` "
                                         "to install it as " + installed + " (--backend blend renders a preview without it)",
                                         {installed}));
        s.model.checkpointPath = installed;
        std::fprintf(stderr, "tlbvfi: model: %s\n", installed.c_str());
    }

    JobRunner runner;
    ProgressPrinter printer;
    SignalBridge signals([&runner](int) { runner.requestCancel(); });
    // --profile: where the time of the render went, printed after the summary (docs/benchmarks.md).
    profile::Profiler profiler;
    const bool profiled = args.has("--profile");
    if (profiled) {
        profile::setActive(&profiler);
        profiler.start();
    }
    auto result = runner.run(s, &printer);
    printer.finish();
    if (profiled) {
        profiler.stop();
        profile::setActive(nullptr);
    }
    if (!result) return reportError(result.error());
    const JobSummary& sum = result.value();
    if (s.prepareOnly) {
        for (const auto& w : sum.warnings) std::fprintf(stderr, "tlbvfi: warning: %s\n", w.c_str());
        std::printf("session: %s\n", sum.sessionDir.c_str());
        return kExitOk;
    }
    for (const auto& w : sum.warnings) std::fprintf(stderr, "tlbvfi: warning: %s\n", w.c_str());
    std::printf("source frames: %lld\noutput frames: %lld\nchunks rendered: %d\nchunks resumed: %d\nscene cuts: %zu\n",
                static_cast<long long>(sum.sourceFrames), static_cast<long long>(sum.outputFrames), sum.chunksRendered,
                sum.chunksResumed, sum.sceneCuts.size());
    std::printf("session: %s\n", sum.sessionDir.c_str());
    if (!sum.outputPath.empty()) std::printf("output: %s\n", sum.outputPath.c_str());
    std::printf("time: %.1f s\n", sum.seconds);
    if (profiled) std::fputs(profiler.table().c_str(), stdout);
    return kExitOk;
}

}  // namespace vfi::cli
