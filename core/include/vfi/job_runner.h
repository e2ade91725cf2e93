// Synchronous runner of one job: index → render chunks (decode, pair, interpolate, encode, verify,
// record) → join → verify. Run it on a worker thread; control it from any thread.
// Rerunning the same settings on the same session resumes; changed source/settings are refused.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vfi/frame_interpolator.h"
#include "vfi/job_settings.h"
#include "vfi/job_state.h"
#include "vfi/log.h"
#include "vfi/progress.h"
#include "vfi/result.h"

namespace vfi {

// Callbacks arrive on the runner's thread(s); implementations must be thread-safe and fast (the UI
// bridge posts them to the GUI thread). Progress is throttled to <= 10 Hz by the runner.
class JobObserver {
public:
    virtual ~JobObserver() = default;
    virtual void onStateChanged(JobState) {}
    virtual void onProgress(const Progress&) {}
    virtual void onLog(LogLevel, const std::string&) {}
    virtual void onPreview(const PreviewPair&) {}     // throttled (<= 2 Hz)
};

struct JobSummary {
    std::string outputPath;          // empty for --range runs (no join)
    std::string sessionDir;
    int64_t sourceFrames = 0;
    int64_t outputFrames = 0;
    int chunksRendered = 0;
    int chunksResumed = 0;
    std::vector<int64_t> sceneCuts;  // source frame indices i where the pair (i, i+1) is a cut
    std::vector<std::string> warnings;
    double seconds = 0;
};

class JobRunner {
public:
    JobRunner();
    ~JobRunner();
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    // Blocks until done, failed, cancelled or paused. Pause/cancel/low disk return an Error with code
    // Paused / Cancelled / DiskFull; the session stays resumable in each case.
    Result<JobSummary> run(const JobSettings& settings, JobObserver* observer = nullptr);

    // For tests and tools: use this interpolator instead of creating one from the settings (a job
    // with one device only; one interpolator cannot serve two worker threads).
    void setInterpolator(std::shared_ptr<FrameInterpolator> interpolator);
    // For tests and tools: one interpolator per device worker, made on that worker's thread from the
    // device id and the worker's index in the device list; it replaces setInterpolator's. Called once
    // per worker and run.
    using InterpolatorFactory = std::function<std::shared_ptr<FrameInterpolator>(const std::string& device, int worker)>;
    void setInterpolatorFactory(InterpolatorFactory factory);

    // Thread-safe; take effect within about a second (between model steps) on every device.
    // requestPause(true) also frees every device's model memory.
    void requestCancel();
    void requestPause(bool releaseDevice = false);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// What a session folder holds, without modifying it (GUI: "Interrupted, resumable" rows).
struct SessionStatus {
    bool exists = false;
    bool complete = false;           // every planned chunk recorded
    int chunksTotal = 0;
    int chunksDone = 0;
    int64_t sourceFrames = 0;
    int64_t bytes = 0;
    std::string settingsHash;
};
Result<SessionStatus> inspectSession(const std::string& sessionDir);
std::string defaultSessionDir(const std::string& outputPath);

// Joins a complete session into outputPath (container by extension). Refuses incomplete sessions.
// The joined file is checked at `verify` depth before it is renamed into place.
Result<JobSummary> joinSession(const std::string& sessionDir, const std::string& outputPath,
                               bool keepChunks, JobObserver* observer = nullptr, bool overwrite = false,
                               VerifyDepth verify = VerifyDepth::Quick);

struct VerifyReport {
    int64_t videoFrames = 0;
    double durationSeconds = 0;
    bool timestampsMonotonic = false;
    std::vector<std::string> problems;   // empty when the file is fine
};
// Decodes the whole file, checks frames and timestamps (`tlbvfi verify`; always the full depth).
Result<VerifyReport> verifyOutput(const std::string& path);

}  // namespace vfi
