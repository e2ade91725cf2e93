// Builds vfi::Progress for one run and posts it to the observer at most 10 times a second.
// Thread-safe (frames are counted on the encode thread, phases set on the runner thread).
// Times are wall-clock seconds of this run only: a paused job's idle time never enters fps or ETA.
#pragma once

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "pipeline/file_util.h"
#include "vfi/frame_interpolator.h"
#include "vfi/job_runner.h"

namespace vfi::pipeline {

// Final output size: the bytes per output frame of the chunks already written, times the job's
// output frames. Before the first chunk exists only the a-priori guess (bytes per pixel of the
// encoder) is known; it can be 10-20x off (synthetic or static footage, x264), so it is replaced as
// soon as real bytes are on disk.
inline int64_t projectOutputBytes(int64_t sessionBytes, int64_t sessionFrames, int64_t totalFrames,
                                  int64_t guessPerFrame) {
    if (sessionBytes <= 0 || sessionFrames <= 0) return totalFrames * guessPerFrame;
    const double perFrame = static_cast<double>(sessionBytes) / static_cast<double>(sessionFrames);
    return sessionBytes + static_cast<int64_t>(perFrame * static_cast<double>(std::max<int64_t>(0, totalFrames - sessionFrames)));
}

class ProgressTracker {
public:
    using Clock = std::chrono::steady_clock;
    explicit ProgressTracker(JobObserver* observer) : m_observer(observer), m_start(Clock::now()) {}

    template <typename F>
    void update(F&& mutate, bool force = false) {
        std::unique_lock lock(m_mutex);
        mutate(m_p);
        const auto now = Clock::now();
        if (!force && now - m_lastPost < std::chrono::milliseconds(100)) return;
        m_lastPost = now;
        refresh(now);
        Progress copy = m_p;
        lock.unlock();
        if (m_observer) m_observer->onProgress(copy);
    }
    // The job's devices (Progress::devices), one per chunk worker, before rendering starts.
    void setDevices(std::vector<DeviceProgress> devices) {
        std::lock_guard lock(m_mutex);
        m_p.devices = std::move(devices);
        m_memory.assign(m_p.devices.size(), nullptr);
        m_deviceWindows.assign(m_p.devices.size(), {});
        m_deviceRendered.assign(m_p.devices.size(), 0);
    }
    // Source of a device's memory figures (its worker's FrameInterpolator::deviceMemory()); queried
    // only when a progress update is posted (at most 10 Hz), so no allocator is polled per frame. The
    // worker clears it (nullptr) before its interpolator goes away.
    void setDeviceMemorySource(int worker, std::function<DeviceMemoryInfo()> source) {
        std::lock_guard lock(m_mutex);
        if (worker >= 0 && static_cast<size_t>(worker) < m_memory.size()) m_memory[static_cast<size_t>(worker)] = std::move(source);
    }
    // Changes one device's entry (chunk started, finished, failed).
    template <typename F>
    void updateDevice(int worker, F&& mutate, bool force = false) {
        update([&](Progress& p) {
            if (worker >= 0 && static_cast<size_t>(worker) < p.devices.size()) mutate(p.devices[static_cast<size_t>(worker)]);
        }, force);
    }
    // One newly encoded output frame (rendered in this run) of a worker.
    void frameEncoded(int worker = 0) {
        update([&](Progress& p) {
            ++p.outputFramesDone;
            ++m_renderedThisRun;
            if (worker >= 0 && static_cast<size_t>(worker) < p.devices.size()) {
                ++p.devices[static_cast<size_t>(worker)].framesDone;
                ++m_deviceRendered[static_cast<size_t>(worker)];
            }
            if (m_renderedThisRun % 8 == 0) p.rssBytes = currentRssBytes();
        });
    }
    Progress snapshot() {
        std::lock_guard lock(m_mutex);
        refresh(Clock::now());
        return m_p;
    }

private:
    void refresh(Clock::time_point now) {
        const double elapsed = std::chrono::duration<double>(now - m_start).count();
        m_p.elapsedSeconds = elapsed;
        // Sums over the devices that report memory; -1 (n/a) when none does (CPU, blend).
        int64_t used = -1, total = -1;
        for (size_t w = 0; w < m_p.devices.size(); ++w) {
            DeviceProgress& d = m_p.devices[w];
            if (m_memory[w]) {
                const DeviceMemoryInfo dm = m_memory[w]();
                d.memUsed = dm.usedBytes;
                if (dm.totalBytes >= 0) d.memTotal = dm.totalBytes;
            }
            if (d.memUsed >= 0) used = std::max<int64_t>(used, 0) + d.memUsed;
            if (d.memUsed >= 0 && d.memTotal >= 0) total = std::max<int64_t>(total, 0) + d.memTotal;
            d.fps = windowFps(m_deviceWindows[w], now, m_deviceRendered[w]);
        }
        m_p.deviceMemUsed = used;
        m_p.deviceMemTotal = used >= 0 ? total : -1;
        m_p.currentFps = windowFps(m_window, now, m_renderedThisRun);
        m_p.averageFps = elapsed > 0 ? m_renderedThisRun / elapsed : 0;
        const int64_t remaining = std::max<int64_t>(0, m_p.outputFramesTotal - m_p.outputFramesDone);
        const double fps = m_p.currentFps > 0 ? m_p.currentFps : m_p.averageFps;
        m_p.etaSeconds = remaining == 0 ? 0 : (fps > 0 ? remaining / fps : -1);
    }

    using Window = std::deque<std::pair<Clock::time_point, int64_t>>;
    // Output frames per second over the last ~5 s.
    static double windowFps(Window& window, Clock::time_point now, int64_t count) {
        window.emplace_back(now, count);
        while (window.size() > 2 && now - window.front().first > std::chrono::seconds(5)) window.pop_front();
        const double span = std::chrono::duration<double>(now - window.front().first).count();
        return span > 0.2 ? static_cast<double>(count - window.front().second) / span : 0;
    }

    JobObserver* m_observer;
    std::vector<std::function<DeviceMemoryInfo()>> m_memory;   // per worker
    std::vector<Window> m_deviceWindows;
    std::vector<int64_t> m_deviceRendered;
    std::mutex m_mutex;
    Progress m_p;
    Clock::time_point m_start;
    Clock::time_point m_lastPost{};
    int64_t m_renderedThisRun = 0;
    Window m_window;
};

}  // namespace vfi::pipeline
