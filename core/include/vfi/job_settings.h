// Everything that defines one interpolation job. Settings that change the output bytes are hashed
// into the session manifest; resume refuses a session whose hash differs (see settingsHash()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vfi/media_info.h"

namespace vfi {

enum class Backend { Tlbvfi, Blend };

// How a chunk (before it is recorded) and the joined file (before it is renamed into place) are
// checked. Quick: the bytes on disk are the bitstream the encoder / joiner produced (packet count,
// timestamps, payload hash) and the first frame decodes. Full: quick plus every frame decoded.
// docs/cli.md says why quick is the default.
enum class VerifyDepth { Quick, Full };

struct FrameRange {   // source frame indices [begin, end), snapped to the chunk plan by the runner
    int64_t begin = 0;
    int64_t end = -1;  // -1: to the last frame
};

// Part `index` of `count` equal shares of a job's chunks (the CLI's --part K/N): whole chunks
// [K*C/N, (K+1)*C/N) of the C planned, so an array job's tasks cover every chunk exactly once.
struct JobPart {
    int index = 0;
    int count = 1;
};

struct ModelOptions {
    std::string checkpointPath;       // vimeo_unet.pth (official layout) or a bare state dict
    std::string configPath;           // optional JSON for reduced-width configs (tests: tiny-config.json)
    std::string device = "cpu";       // "cpu", "cuda:N", "mps"
    std::string precision = "fp32";   // fp32 | tf32 | fp16 | bf16 (the last three CUDA only)
    int steps = 10;                   // Brownian-bridge sample steps, >= 3
    double flowScale = 0.5;           // 0.25 | 0.5 | 1.0
    bool useEma = false;              // EMA UNet weights instead of 'model'
    bool deterministic = false;
    // Whole-process memory budget in MiB; drives the exact tiling of the full-resolution stages and
    // the size of the encoder feature cache. 0: automatic (tiling: half of the machine's RAM, or 85 %
    // of the GPU's memory, so the same machine always plans the same bands; feature cache: free
    // memory at load, minus a margin). Tiling is exact: the budget changes memory and speed, and the
    // frames only within float rounding (≤ 1e-4). It is not part of the manifest hash, so a job that
    // ran out of memory can be resumed with a smaller budget; bit-identical re-renders need the
    // same budget (or the same machine with the automatic one).
    int64_t memoryBudgetMb = 0;
    // Encoder feature cache (frames; reuse across consecutive pairs, bit-identical output). -1:
    // automatic (up to 8, fewer when a quarter of the budget cannot hold them, off below 4); 0: off.
    int featureCacheFrames = -1;
    int threads = 0;                  // intra-op threads; 0: cores - 1
    // Independent pairs given to the model as one batch (sampler and decoder). 0: automatic (CUDA:
    // what a fixed share of the device memory holds, at most 4; CPU: 1). Batched frames equal
    // unbatched ones within float rounding; like the memory budget, not part of the manifest hash.
    int batchPairs = 0;
};

struct EncodeOptions {
    std::string encoder;              // "" = default for the source (libx264, libx265 for 10-bit)
    int quality = -1;                 // -1: encoder default; CRF / CQ / ProRes profile, per encoder
    std::string pixFmt;               // "" = derived from the source and encoder
    std::string preset;               // encoder preset ("" = encoder table default)
};

struct JobSettings {
    std::string inputPath;
    std::string outputPath;
    std::string sessionDir;           // "" = "<output>.tlbvfi/"
    int factor = 2;                   // 2, 4 or 8; ignored when targetFps is set
    // Target frame rate instead of a factor (the CLI's --fps; parseFrameRate reads "59.94",
    // "60000/1001"). Output is constant-rate at exactly this rate (time base 1/rate); each output
    // frame shows the bisection frame nearest its time, rendered at the smallest 2^k factor that
    // reaches the rate, and only the frames shown are generated (pipeline/frame_selection.h,
    // docs/cli.md "Target frame rate"). Must be above the source's rate and at most 8x it; exactly
    // 2x/4x/8x a constant-rate source runs as that factor job. In the settings hash when set.
    std::optional<Rational> targetFps;
    Backend backend = Backend::Tlbvfi;
    ModelOptions model;
    // Devices the job renders on, one chunk worker each (compute_devices.h parses the CLI's list):
    // "cpu" (may repeat: several CPU workers), "cuda:N" (each at most once), "mps"; all of one kind.
    // Empty: the one model.device. Only the kind is in the settings hash, never indices or the
    // count, so a session started on cuda:0,cuda:1 resumes on cuda:1 alone or on four GPUs.
    std::vector<std::string> devices;
    EncodeOptions encode;
    int chunkFrames = 0;              // source frames per chunk; 0 = default (about 2 s of source)
    std::optional<FrameRange> range;  // render only these source frames into the session (no join)
    std::optional<JobPart> part;      // render only this part of the chunks into the session (no join)
    // Index the source, check the settings and create the session (session.json, index.json), then
    // return without rendering: what `tlbvfi slurm submit` does before it queues anything.
    bool prepareOnly = false;
    double sceneThreshold = 0.35;     // 0 disables scene-cut detection
    uint64_t seed = 0;                // diffusion noise seed (with pair index and bisection step)
    bool keepChunks = false;          // keep the session folder after a verified join
    bool overwrite = false;           // replace an existing output file
    double minFreeDiskGb = 2.0;       // pause / stop (resumable) below this free space
    // Not in the settings hash: it changes no byte of the output, so a resume may change it.
    VerifyDepth verify = VerifyDepth::Quick;
};

// Stable text for logs/manifest; parse returns nullopt on unknown names.
const char* backendName(Backend b);
std::optional<Backend> parseBackend(const std::string& s);
// "60", "59.94", "60000/1001" -> a reduced rational; nullopt unless > 0 (and at most 10000 fps).
// A decimal with two or more decimals that is an NTSC rate N*1000/1001 truncated or rounded
// (23.976, 23.98, 29.97, 47.952, 59.94, 119.88) means that rate; write a fraction (2997/100) for
// the decimal itself.
std::optional<Rational> parseFrameRate(const std::string& s);
const char* verifyDepthName(VerifyDepth d);
std::optional<VerifyDepth> parseVerifyDepth(const std::string& s);

}  // namespace vfi
