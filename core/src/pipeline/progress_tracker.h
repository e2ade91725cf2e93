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
    // Source of Progress.deviceMemUsed/Total (FrameInterpolator::deviceMemory()); queried only when a
    // progress update is posted (at most 10 Hz), so the backend's allocator is never polled per frame.
    void setDeviceMemorySource(std::function<DeviceMemoryInfo()> source) {
        std::lock_guard lock(m_mutex);
        m_deviceMemory = std::move(source);
    }
    // One newly encoded output frame (rendered in this run).
    void frameEncoded() {
        update([&](Progress& p) {
            ++p.outputFramesDone;
            ++m_renderedThisRun;
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
        if (m_deviceMemory) {
            const DeviceMemoryInfo dm = m_deviceMemory();
            m_p.deviceMemUsed = dm.usedBytes;
            m_p.deviceMemTotal = dm.totalBytes;
        }
        m_window.emplace_back(now, m_renderedThisRun);
        while (m_window.size() > 2 && now - m_window.front().first > std::chrono::seconds(5)) m_window.pop_front();
        const double wspan = std::chrono::duration<double>(now - m_window.front().first).count();
        m_p.currentFps = wspan > 0.2 ? (m_renderedThisRun - m_window.front().second) / wspan : 0;
        m_p.averageFps = elapsed > 0 ? m_renderedThisRun / elapsed : 0;
        const int64_t remaining = std::max<int64_t>(0, m_p.outputFramesTotal - m_p.outputFramesDone);
        const double fps = m_p.currentFps > 0 ? m_p.currentFps : m_p.averageFps;
        m_p.etaSeconds = remaining == 0 ? 0 : (fps > 0 ? remaining / fps : -1);
    }

    JobObserver* m_observer;
    std::function<DeviceMemoryInfo()> m_deviceMemory;
    std::mutex m_mutex;
    Progress m_p;
    Clock::time_point m_start;
    Clock::time_point m_lastPost{};
    int64_t m_renderedThisRun = 0;
    std::deque<std::pair<Clock::time_point, int64_t>> m_window;
};

}  // namespace vfi::pipeline
