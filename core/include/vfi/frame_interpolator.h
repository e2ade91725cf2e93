// The engine's interpolator interface. One implementation per backend: TLB-VFI (the product,
// core/src/model) and linear blend (a labelled, non-AI preview mode used by pipeline tests).
//
// Threading: an interpolator is used by one thread at a time (the runner's model thread). cancel in
// InterpolationCall may be set from any thread; implementations check it between model steps and
// return ErrorCode::Cancelled.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vfi/job_settings.h"
#include "vfi/result.h"
#include "vfi/rgb_frame.h"

namespace vfi {

struct InterpolationCall {
    uint64_t jobSeed = 0;
    int64_t pairIndex = 0;      // index of the source pair (source frame i and i+1)
    int bisectionStep = 0;      // 0 .. factor-2 in the order the runner calls them
    // Output-frame indices of the two inputs: unique per frame within a job, so a backend can cache
    // per-frame work (TLB-VFI encoder features) across consecutive calls.
    int64_t frameIdA = -1;
    int64_t frameIdB = -1;
    const std::atomic<bool>* cancel = nullptr;
};

// One midpoint request of interpolateBatch: the two frames and the call's identity (noise seed,
// cache ids), exactly what interpolate() gets.
struct InterpolationRequest {
    const RgbFrame* a = nullptr;
    const RgbFrame* b = nullptr;
    InterpolationCall call;
};

struct DeviceMemoryInfo {
    int64_t usedBytes = -1;     // -1: not applicable (CPU)
    int64_t totalBytes = -1;
};

class FrameInterpolator {
public:
    virtual ~FrameInterpolator() = default;

    // Loads weights / allocates device state. Called once per job, again after release().
    virtual Status load() = 0;
    // Frees device memory ("pause and free GPU"); load() must be called before the next use.
    virtual void release() = 0;
    virtual bool loaded() const = 0;

    // Returns the frame halfway between a and b (the model only generates midpoints; the runner
    // bisects for 4x and 8x). a and b have equal size.
    virtual Result<RgbFrame> interpolate(const RgbFrame& a, const RgbFrame& b,
                                         const InterpolationCall& call) = 0;

    // The midpoints of several independent pairs of one frame size, in request order. A backend may
    // compute them as one batch, whose frames then equal the one-by-one frames only within float
    // rounding: callers that need bit-identical re-renders must group requests the same way every
    // time (chunk_renderer groups by the chunk plan). Default: interpolate() for each in turn.
    virtual Result<std::vector<RgbFrame>> interpolateBatch(const std::vector<InterpolationRequest>& requests) {
        std::vector<RgbFrame> out;
        out.reserve(requests.size());
        for (const auto& r : requests) {
            auto f = interpolate(*r.a, *r.b, r.call);
            if (!f) return f.takeError();
            out.push_back(std::move(f).value());
        }
        return out;
    }
    // How many requests one interpolateBatch call should carry for frames of this size (>= 1). Fixed
    // for a loaded backend on one machine (never derived from free memory), so that a chunk
    // rendered again is batched as it was the first time.
    virtual int batchSize(int width, int height) const {
        (void)width;
        (void)height;
        return 1;
    }

    // Identity recorded in the manifest: backend, weights hash, device, library versions, options.
    virtual std::string fingerprint() const = 0;
    virtual std::string displayName() const = 0;
    virtual bool isPreviewQuality() const = 0;   // true for blend: the UI labels it
    virtual DeviceMemoryInfo deviceMemory() const { return {}; }
};

// Linear blend (0.5·a + 0.5·b). Deterministic; no model.
std::unique_ptr<FrameInterpolator> createBlendInterpolator();

// TLB-VFI backend (implemented in the LibTorch model library). Validates options (steps >= 3, flow
// scale in {0.25, 0.5, 1.0}, precision/device) without loading; load() reads the checkpoint.
Result<std::unique_ptr<FrameInterpolator>> createTlbvfiInterpolator(const ModelOptions& options);

}  // namespace vfi
