// Linear-blend backend: a labelled, non-AI preview mode and the interpolator of the pipeline tests.
#include <cstdint>
#include <memory>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

#include "pipeline/test_hooks.h"
#include "vfi/frame_interpolator.h"

namespace vfi {

namespace {

// Exactly representable halves keep the result deterministic across builds; every path below
// computes the same 0.5f * a + 0.5f * b per sample, so the bytes do not depend on which one runs.
void meanScalar(const float* a, const float* b, float* out, size_t n) {
    for (size_t i = 0; i < n; ++i) out[i] = 0.5f * a[i] + 0.5f * b[i];
}

// Frames larger than a cache are written with streaming stores: the result is not read again
// before it leaves the cache anyway, and a normal store first reads every output line (a third of
// the traffic). 4K: 26.6 -> 17.7 ms per frame (bench_colour, docs/benchmarks.md). Smaller frames may still
// be cached when the encoder thread converts them, so they keep normal stores.
constexpr size_t kStreamBytes = size_t(32) << 20;

void mean(const float* a, const float* b, float* out, size_t n) {
#if defined(__SSE2__) || defined(_M_X64)
    if (n * sizeof(float) >= kStreamBytes) {
        size_t i = 0;
        for (; i < n && (reinterpret_cast<uintptr_t>(out + i) & 15) != 0; ++i) out[i] = 0.5f * a[i] + 0.5f * b[i];
        const __m128 half = _mm_set1_ps(0.5f);
        for (; i + 4 <= n; i += 4)
            _mm_stream_ps(out + i, _mm_add_ps(_mm_mul_ps(half, _mm_loadu_ps(a + i)), _mm_mul_ps(half, _mm_loadu_ps(b + i))));
        _mm_sfence();   // the frame is handed to another thread next
        meanScalar(a + i, b + i, out + i, n - i);
        return;
    }
#endif
    // Fixed-size blocks: GCC's -O2 vectoriser only takes loops with a known trip count.
    constexpr size_t kBlock = 16;
    size_t i = 0;
    for (; i + kBlock <= n; i += kBlock)
        for (size_t k = 0; k < kBlock; ++k) out[i + k] = 0.5f * a[i + k] + 0.5f * b[i + k];
    meanScalar(a + i, b + i, out + i, n - i);
}

class BlendInterpolator final : public FrameInterpolator {
public:
    Status load() override {
        m_loaded = true;
        return {};
    }
    void release() override { m_loaded = false; }
    bool loaded() const override { return m_loaded; }

    Result<RgbFrame> interpolate(const RgbFrame& a, const RgbFrame& b, const InterpolationCall& call) override {
        if (a.width != b.width || a.height != b.height || a.data.size() != b.data.size())
            return makeError(ErrorCode::InvalidArgument, "blend: frames of different size", {"frame", "size"});
        if (call.cancel && call.cancel->load()) return makeError(ErrorCode::Cancelled, "cancelled");
        pipeline::pairDelayHook();
        RgbFrame out = RgbFrame::uninitialized(a.width, a.height);
        mean(a.data.data(), b.data.data(), out.data.data(), a.data.size());
        return out;
    }

    std::string fingerprint() const override { return "blend/1"; }
    std::string displayName() const override { return "Linear blend (preview, not AI)"; }
    bool isPreviewQuality() const override { return true; }

private:
    bool m_loaded = false;
};

}  // namespace

std::unique_ptr<FrameInterpolator> createBlendInterpolator() { return std::make_unique<BlendInterpolator>(); }

}  // namespace vfi
