// The blend backend with counters on load() and release() and an optional hook per interpolate()
// call: the pause-and-free checks (engine and GUI) count what the runner did to the model, and the
// hook pauses a job at an exact pair. Output, fingerprint and preview label are the blend's, so a
// session rendered through it resumes with the plain blend backend and vice versa.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "vfi/frame_interpolator.h"

namespace vfi::test {

class CountingBlend : public FrameInterpolator {
public:
    // delayMs: sleep per call, so a pause or quit from another thread lands mid-render.
    explicit CountingBlend(int delayMs = 0) : m_inner(createBlendInterpolator()), m_delayMs(delayMs) {}

    Status load() override {
        ++loads;
        return m_inner->load();
    }
    void release() override {
        ++releases;
        m_inner->release();
    }
    bool loaded() const override { return m_inner->loaded(); }
    Result<RgbFrame> interpolate(const RgbFrame& a, const RgbFrame& b, const InterpolationCall& call) override {
        const int n = ++calls;
        if (onCall) onCall(n);
        if (m_delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(m_delayMs));
        return m_inner->interpolate(a, b, call);
    }
    std::string fingerprint() const override { return m_inner->fingerprint(); }
    std::string displayName() const override { return m_inner->displayName(); }
    bool isPreviewQuality() const override { return true; }

    std::atomic<int> loads{0};
    std::atomic<int> releases{0};
    std::atomic<int> calls{0};
    std::function<void(int call)> onCall;   // runs on the runner's thread; set before the run

private:
    std::unique_ptr<FrameInterpolator> m_inner;
    int m_delayMs;
};

}  // namespace vfi::test
