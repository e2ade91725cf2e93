// Stage profile of a render (`tlbvfi interpolate --profile`, `bench_model --profile`): where a
// generated frame's time goes. Every stage belongs to one thread of the pipeline (decode, model,
// encode); within a thread the stages are exclusive (a nested stage pauses its parent), so a
// thread's stages add up to the time that thread was timed. Model stages on a GPU are timed with
// CUDA events (the model library's Timeline, core/src/model/profiling.h); everything else with the
// wall clock.
//
// Off by default, and then free: each scope reads one atomic pointer and does nothing else.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace vfi::profile {

// Thread names used in the table (one per pipeline thread).
inline constexpr const char* kDecodeThread = "decode";
inline constexpr const char* kModelThread = "model";
inline constexpr const char* kEncodeThread = "encode";

struct StageTotal {
    std::string thread;
    std::string stage;
    int64_t calls = 0;
    double ms = 0;
    bool deviceTimed = false;   // CUDA events (GPU time), not the wall clock
};

class Profiler {
public:
    // Adds `ms` of `stage` on `thread`, made of `calls` calls (intervals of one call interrupted by
    // nested stages are added together with calls = 1).
    void add(const std::string& thread, const std::string& stage, double ms, bool deviceTimed = false,
             int64_t calls = 1);
    // Generated (model) frames and the wall time of the whole run, for the per-frame column and
    // the shares.
    void addGeneratedFrames(int64_t n);
    void start();
    void stop();
    // Time a device was busy, when known (sum of device-timed stages that ran on it); -1 otherwise.
    double deviceBusyMs() const;

    double wallMs() const;
    int64_t generatedFrames() const;
    // Stages in the order they were first seen, grouped by thread (decode, model, encode, others).
    std::vector<StageTotal> totals() const;
    // The table printed at the end of a run: per stage calls, total ms, ms per generated frame, share
    // of the wall time and share of its thread's timed total; per thread its total; and the share of
    // the wall time the GPU (or, on CPU, the model thread) was busy.
    std::string table() const;

private:
    mutable std::mutex m_mutex;
    std::vector<StageTotal> m_stages;
    int64_t m_frames = 0;
    std::chrono::steady_clock::time_point m_start{};
    double m_wallMs = -1;
};

// The profiler scopes report to; nullptr (the default) turns profiling off.
Profiler* active();
void setActive(Profiler* profiler);

// Wall-clock scope of one stage on a CPU thread. Nesting is not tracked here: use it for stages
// that do not contain other stages (decode, colour conversion, encode).
class WallScope {
public:
    WallScope(const char* thread, const char* stage) : m_profiler(active()) {
        if (m_profiler) {
            m_thread = thread;
            m_stage = stage;
            m_t0 = std::chrono::steady_clock::now();
        }
    }
    ~WallScope() {
        if (m_profiler)
            m_profiler->add(m_thread, m_stage,
                            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_t0).count());
    }
    WallScope(const WallScope&) = delete;
    WallScope& operator=(const WallScope&) = delete;

private:
    Profiler* m_profiler;
    const char* m_thread = nullptr;
    const char* m_stage = nullptr;
    std::chrono::steady_clock::time_point m_t0{};
};

}  // namespace vfi::profile
