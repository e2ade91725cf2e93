#include "vfi/stage_profile.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>

namespace vfi::profile {

namespace {
std::atomic<Profiler*> g_active{nullptr};

int threadRank(const std::string& thread) {
    if (thread == kDecodeThread) return 0;
    if (thread == kModelThread) return 1;
    if (thread == kEncodeThread) return 2;
    return 3;
}
}  // namespace

Profiler* active() { return g_active.load(std::memory_order_relaxed); }
void setActive(Profiler* profiler) { g_active.store(profiler, std::memory_order_release); }

void Profiler::add(const std::string& thread, const std::string& stage, double ms, bool deviceTimed, int64_t calls) {
    std::lock_guard lock(m_mutex);
    for (auto& s : m_stages) {
        if (s.thread == thread && s.stage == stage) {
            s.calls += calls;
            s.ms += ms;
            s.deviceTimed = s.deviceTimed || deviceTimed;
            return;
        }
    }
    m_stages.push_back({thread, stage, calls, ms, deviceTimed});
}

void Profiler::addGeneratedFrames(int64_t n) {
    std::lock_guard lock(m_mutex);
    m_frames += n;
}

void Profiler::start() {
    std::lock_guard lock(m_mutex);
    m_start = std::chrono::steady_clock::now();
    m_wallMs = -1;
}

void Profiler::stop() {
    std::lock_guard lock(m_mutex);
    m_wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
}

double Profiler::wallMs() const {
    std::lock_guard lock(m_mutex);
    if (m_wallMs >= 0) return m_wallMs;
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
}

int64_t Profiler::generatedFrames() const {
    std::lock_guard lock(m_mutex);
    return m_frames;
}

std::vector<StageTotal> Profiler::totals() const {
    std::vector<StageTotal> out;
    {
        std::lock_guard lock(m_mutex);
        out = m_stages;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const StageTotal& a, const StageTotal& b) { return threadRank(a.thread) < threadRank(b.thread); });
    return out;
}

// The host-sync stage is the GPU waiting for the host (model/profiling.h): not busy time.
static bool isIdleStage(const StageTotal& s) { return s.stage.rfind("host sync", 0) == 0; }

double Profiler::deviceBusyMs() const {
    double busy = 0;
    bool any = false;
    for (const auto& s : totals()) {
        if (!s.deviceTimed) continue;
        any = true;
        if (!isIdleStage(s)) busy += s.ms;
    }
    return any ? busy : -1;
}

std::string Profiler::table() const {
    const auto stages = totals();
    const double wall = std::max(wallMs(), 1e-9);
    const int64_t frames = generatedFrames();
    std::map<std::string, double> threadMs;
    bool deviceTimed = false;
    for (const auto& s : stages) {
        threadMs[s.thread] += s.ms;
        deviceTimed = deviceTimed || s.deviceTimed;
    }
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line,
                  "Stage profile: %lld generated frames, wall time %.1f ms (%.1f ms per generated frame); %s\n",
                  static_cast<long long>(frames), wall, frames > 0 ? wall / static_cast<double>(frames) : 0.0,
                  deviceTimed ? "model stages on the GPU timed by CUDA events (GPU time), the rest by the wall clock"
                              : "all stages timed by the wall clock");
    out += line;
    std::snprintf(line, sizeof line, "%-7s %-32s %7s %12s %10s %7s %8s\n", "thread", "stage", "calls", "total ms",
                  "ms/frame", "% wall", "% thread");
    out += line;
    std::string lastThread;
    auto threadTotal = [&](const std::string& thread) {
        const double ms = threadMs[thread];
        std::snprintf(line, sizeof line, "%-7s %-32s %7s %12.1f %10.2f %7.1f %8.1f\n", thread.c_str(), "(thread total)", "",
                      ms, frames > 0 ? ms / static_cast<double>(frames) : 0.0, 100.0 * ms / wall, 100.0);
        out += line;
    };
    for (const auto& s : stages) {
        if (!lastThread.empty() && s.thread != lastThread) threadTotal(lastThread);
        lastThread = s.thread;
        const double tms = std::max(threadMs[s.thread], 1e-9);
        std::snprintf(line, sizeof line, "%-7s %-32s %7lld %12.1f %10.2f %7.1f %8.1f\n", s.thread.c_str(),
                      s.stage.c_str(), static_cast<long long>(s.calls), s.ms,
                      frames > 0 ? s.ms / static_cast<double>(frames) : 0.0, 100.0 * s.ms / wall, 100.0 * s.ms / tms);
        out += line;
    }
    if (!lastThread.empty()) threadTotal(lastThread);
    const double busy = deviceBusyMs();
    if (busy >= 0) {
        std::snprintf(line, sizeof line,
                      "GPU busy: %.1f %% of the wall time (model stages by CUDA events, host-sync waits excluded)\n",
                      100.0 * busy / wall);
    } else {
        std::snprintf(line, sizeof line, "model thread busy: %.1f %% of the wall time (no GPU)\n",
                      100.0 * threadMs[kModelThread] / wall);
    }
    out += line;
    return out;
}

}  // namespace vfi::profile
