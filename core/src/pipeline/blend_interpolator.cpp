// Linear-blend backend: a labelled, non-AI preview mode and the interpolator of the pipeline tests.
#include <memory>

#include "vfi/frame_interpolator.h"

namespace vfi {

namespace {

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
        RgbFrame out = RgbFrame::uninitialized(a.width, a.height);
        const float* pa = a.data.data();
        const float* pb = b.data.data();
        float* po = out.data.data();
        const size_t n = a.data.size();
        // Exactly representable halves keep the result deterministic across builds.
        for (size_t i = 0; i < n; ++i) po[i] = 0.5f * pa[i] + 0.5f * pb[i];
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
