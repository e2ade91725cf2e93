#include "profiling.h"

#if defined(VFI_WITH_CUDA)
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

namespace vfi::model::prof {

namespace {
thread_local Timeline* t_current = nullptr;
}

std::string unetStep(size_t step) { return "UNet step " + std::to_string(step); }
std::string decoderLevel(int64_t i) { return "decoder: level " + std::to_string(i); }

struct Timeline::Mark {
    std::string stage;   // the stage that runs from this mark to the next
    std::chrono::steady_clock::time_point t;
#if defined(VFI_WITH_CUDA)
    std::unique_ptr<at::cuda::CUDAEvent> event;
#endif
};

Timeline::Timeline(profile::Profiler& profiler, const torch::Device& device) : m_profiler(profiler), m_device(device) {
    push(kOther);
}

Timeline::~Timeline() {
    while (!m_stack.empty()) pop();
    const bool cuda = m_device.is_cuda();
#if defined(VFI_WITH_CUDA)
    if (cuda && !m_marks.empty()) m_marks.back()->event->synchronize();
#endif
    // Per stage in first-seen order: the intervals it was on top (a stage paused by a nested one has
    // several) and how often it was pushed.
    std::vector<std::pair<std::string, double>> ms;
    auto slot = [&](const std::string& stage) -> double& {
        for (auto& [name, v] : ms)
            if (name == stage) return v;
        return ms.emplace_back(stage, 0.0).second;
    };
    for (size_t i = 0; i + 1 < m_marks.size(); ++i) {
        const Mark& a = *m_marks[i];
        const Mark& b = *m_marks[i + 1];
        if (a.stage.empty()) continue;
        double interval = std::chrono::duration<double, std::milli>(b.t - a.t).count();
#if defined(VFI_WITH_CUDA)
        if (cuda) interval = a.event->elapsed_time(*b.event);
#endif
        slot(a.stage) += interval;
    }
    for (const auto& [stage, total] : ms) {
        int64_t calls = 0;
        for (const auto& [name, n] : m_pushes)
            if (name == stage) calls = n;
        m_profiler.add(profile::kModelThread, stage, total, cuda, calls);
    }
}

void Timeline::mark() {
    auto m = std::make_unique<Mark>();
    m->stage = m_stack.empty() ? std::string() : m_stack.back();
    m->t = std::chrono::steady_clock::now();
#if defined(VFI_WITH_CUDA)
    if (m_device.is_cuda()) {
        m->event = std::make_unique<at::cuda::CUDAEvent>(cudaEventDefault);
        m->event->record(c10::cuda::getCurrentCUDAStream(m_device.has_index() ? m_device.index() : -1));
    }
#endif
    m_marks.push_back(std::move(m));
}

void Timeline::push(std::string stage) {
    bool seen = false;
    for (auto& [name, n] : m_pushes)
        if (name == stage) seen = ++n > 0;
    if (!seen) m_pushes.emplace_back(stage, 1);
    m_stack.push_back(std::move(stage));
    mark();
}

void Timeline::pop() {
    if (m_stack.empty()) return;
    m_stack.pop_back();
    mark();
}

Timeline* current() { return t_current; }

CallScope::CallScope(const torch::Device& device) {
    profile::Profiler* p = profile::active();
    if (p == nullptr || t_current != nullptr) return;
    m_timeline = std::make_unique<Timeline>(*p, device);
    t_current = m_timeline.get();
}

CallScope::~CallScope() {
    if (!m_timeline) return;
    t_current = nullptr;
    m_timeline.reset();
}

}  // namespace vfi::model::prof
