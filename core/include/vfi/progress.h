// Typed progress of a job, posted by the runner at most 10 times a second (and on every state change)
// from the runner's thread. Plain data: copy it across threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vfi {

enum class JobPhase { Probing, Indexing, Rendering, Joining, Verifying, Done };

// One device (chunk worker) of a running job.
struct DeviceProgress {
    int worker = 0;                   // index in the job's device list
    std::string deviceId;             // as listed: "cuda:1", "cpu" (CPU workers may share it)
    std::string displayName;          // "NVIDIA H100 80GB HBM3", "CPU" (compute_devices.h)
    int64_t memUsed = -1;             // bytes the model holds on the device; -1: n/a (CPU, blend)
    int64_t memTotal = -1;            // the device's memory; -1: n/a
    double fps = 0;                   // output frames per second of this device, last few seconds
    int64_t framesDone = 0;           // output frames this device encoded in this run
    int chunksDone = 0;               // chunks this device finished (recorded) in this run
    int currentChunk = -1;            // chunk being rendered; -1: none (loading, done, stopped)
    bool failed = false;              // the device failed; the job's error names it
};

struct Progress {
    JobPhase phase = JobPhase::Probing;
    int64_t sourceFramesTotal = 0;
    int64_t sourceFramesDone = 0;     // source frames whose output is encoded (incl. resumed chunks)
    int64_t outputFramesTotal = 0;    // (N-1)*factor + 1 for the whole job / range
    int64_t outputFramesDone = 0;
    int chunksTotal = 0;
    int chunksDone = 0;
    int chunksResumed = 0;            // chunks found valid in the session at start
    double currentFps = 0;            // output frames per second, last few seconds (all devices)
    double averageFps = 0;            // over running time only (paused time excluded)
    double etaSeconds = -1;           // -1: unknown; never negative otherwise
    double elapsedSeconds = 0;        // running time, paused time excluded
    int64_t sessionBytes = 0;         // bytes of finished chunks on disk
    int64_t projectedBytes = 0;       // estimated final output size
    int64_t freeDiskBytes = -1;       // free space on the session volume
    int64_t rssBytes = 0;             // process resident memory
    int64_t deviceMemUsed = -1;       // sum over the devices; -1: no GPU device ("n/a")
    int64_t deviceMemTotal = -1;
    std::vector<DeviceProgress> devices;   // one per device, in the job's order (empty until rendering)
    std::string message;              // short human text of the current step
};

// A downscaled 8-bit RGB image for live before/after previews (row-major, 3 bytes per pixel).
struct PreviewImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
    int64_t frameIndex = -1;          // output frame index (source frame index for the source image)
    double seconds = 0;               // presentation time
};

struct PreviewPair {
    PreviewImage source;              // the earlier source frame of the pair
    PreviewImage generated;           // the first generated frame after it
};

}  // namespace vfi
