// Exact frame access for previews, scrubbing and frame stepping (the GUI's A/B views). Uses the
// core's FFmpeg decoder: seeks to the keyframe before the target and decodes forward, so the frame
// shown is exactly frame `index` of the file. Not thread-safe: one reader per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "vfi/progress.h"
#include "vfi/result.h"

namespace vfi {

class FrameReader {
public:
    ~FrameReader();
    FrameReader(FrameReader&&) noexcept;
    FrameReader& operator=(FrameReader&&) noexcept;

    static Result<FrameReader> open(const std::string& path);

    int64_t frameCount() const;          // exact (demux index built at open)
    double frameTime(int64_t index) const;  // seconds from the first frame
    int width() const;
    int height() const;

    // Frame `index` converted to 8-bit RGB, scaled to fit maxWidth x maxHeight (0: native size).
    Result<PreviewImage> frameAt(int64_t index, int maxWidth = 0, int maxHeight = 0);
    // Frame presented at `seconds` (the last frame whose time <= seconds).
    Result<PreviewImage> frameAtTime(double seconds, int maxWidth = 0, int maxHeight = 0);

private:
    struct Impl;
    explicit FrameReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vfi
