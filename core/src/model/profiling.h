// Model-side stage profile (vfi/stage_profile.h): a Timeline per model call on the calling thread.
// Each push/pop is a mark; the time between two marks belongs to the stage on top of the stack
// then, so nested stages are exclusive and the stages of a call add up to the call. On CUDA a mark
// is an event recorded on the current stream (GPU time, read once the call has synchronised), on
// the CPU a steady_clock reading (CPU ops are synchronous). With no active profiler nothing is
// created and Stage costs one thread-local read.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "vfi/stage_profile.h"

namespace vfi::model::prof {

// Stage names of the model thread (docs/benchmarks.md lists them with what each covers).
inline constexpr const char* kOther = "other (model thread)";
inline constexpr const char* kUpload = "upload";
inline constexpr const char* kDownload = "download";
inline constexpr const char* kEncoderFull = "encoder (full res)";
inline constexpr const char* kEncoderReduced = "encoder (reduced res)";
inline constexpr const char* kIfnet = "flow: IFNet";
inline constexpr const char* kRefine = "flow: refinement";
inline constexpr const char* kCodebook = "codebook lookup";
inline constexpr const char* kContext = "decoder: warps";
inline constexpr const char* kDecoderMid = "decoder: mid";
inline constexpr const char* kDecoderHead = "decoder: head";
// The GPU waiting for the host (a min() < 0 decision, whole-image statistics of a tiled stage):
// "host sync" stages are not counted as GPU busy time.
inline constexpr const char* kHostSync = "host sync (min<0, stats)";
std::string unetStep(size_t step);     // "UNet step k"
std::string decoderLevel(int64_t i);  // "decoder: level i"

class Timeline {
public:
    Timeline(profile::Profiler& profiler, const torch::Device& device);
    ~Timeline();   // closes the call: waits for its last mark and adds every interval to the profiler
    Timeline(const Timeline&) = delete;
    Timeline& operator=(const Timeline&) = delete;

    void push(std::string stage);
    void pop();

private:
    struct Mark;
    void mark();

    profile::Profiler& m_profiler;
    torch::Device m_device;
    std::vector<std::string> m_stack;
    std::vector<std::unique_ptr<Mark>> m_marks;
    std::vector<std::pair<std::string, int64_t>> m_pushes;   // calls per stage
};

// The calling thread's timeline, nullptr when not profiling.
Timeline* current();

// A model call (one interpolate, one bench pair): a timeline on this thread while the profiler is
// active, rooted at kOther; a no-op otherwise. Not reentrant (an inner CallScope does nothing).
class CallScope {
public:
    explicit CallScope(const torch::Device& device);
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

private:
    std::unique_ptr<Timeline> m_timeline;
};

class Stage {
public:
    explicit Stage(const char* name) : m_timeline(current()) {
        if (m_timeline) m_timeline->push(name);
    }
    // For computed names (UNet steps, decoder levels): `name` is only called when profiling.
    template <typename NameFn, typename = decltype(std::declval<NameFn>()())>
    explicit Stage(NameFn&& name) : m_timeline(current()) {
        if (m_timeline) m_timeline->push(name());
    }
    ~Stage() {
        if (m_timeline) m_timeline->pop();
    }
    Stage(const Stage&) = delete;
    Stage& operator=(const Stage&) = delete;

private:
    Timeline* m_timeline;
};

}  // namespace vfi::model::prof
