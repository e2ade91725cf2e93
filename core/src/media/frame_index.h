// Frame identity (design.md §3, issue 2 "Frame identity"): a demux-only pass over the source's video
// stream recording every frame's presentation timestamp. No decoding, so it is cheap (I/O bound) and
// it is what resume, --range and the session fingerprint rely on.
//
// Rules:
// - Timestamps are in the video stream's time base (FrameIndex::timeBase), sorted (presentation
//   order). Packet pts is used; a packet without pts uses its dts; without both, the previous
//   timestamp + the previous packet's duration (raw streams).
// - MP4/MOV edit lists: packets the demuxer flags AV_PKT_FLAG_DISCARD (before the edit start) are
//   not frames of the video and are skipped, exactly as the decoder drops them.
// - keyframes: indices (into pts) of packets flagged as keyframes, ascending; the seek targets.
// - Truncation: `truncated` is set (with a reason in truncationDetail) when the demuxer stops with a
//   read error other than EOF, or when the container declares more frames (nb_frames) or a longer
//   duration (by more than 1 s and 10 %) than the packets actually present. The index still holds
//   the frames that are there; callers that need the whole file call checkComplete().
// Thread-safety: buildFrameIndex is reentrant; a FrameIndex is a plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi::media {

struct FrameIndex {
    int streamIndex = -1;                 // the video stream indexed (av_find_best_stream)
    Rational timeBase;                    // of every timestamp below
    std::vector<int64_t> pts;             // presentation order, strictly increasing
    std::vector<int64_t> keyframes;       // indices into pts, ascending
    int64_t lastFrameDuration = 0;        // time base units; packet duration, else previous interval
    bool truncated = false;
    std::string truncationDetail;

    int64_t count() const { return static_cast<int64_t>(pts.size()); }
    // Index of the frame with exactly this pts, or nullopt.
    std::optional<int64_t> find(int64_t framePts) const;
    // Index of the last keyframe at or before frame `index` (0 if none is flagged).
    int64_t keyframeAtOrBefore(int64_t index) const;
    // Seconds of frame `index` relative to frame 0.
    double secondsOf(int64_t index) const;
    // Stable hex hash of (time base, pts list, last duration): part of the session fingerprint.
    std::string hash() const;
    // TruncatedInput error when `truncated`, naming path and reason.
    Status checkComplete(const std::string& path) const;
};

// Opens `path` and indexes its best video stream. Errors: InputNotFound, NotAVideo (unreadable,
// zero bytes, text), NoVideoStream, TruncatedInput (an MP4/MOV whose index box is missing because
// the file was cut), Ffmpeg.
Result<FrameIndex> buildFrameIndex(const std::string& path);
// The same on bytes in memory (media::openInputBytes; the fuzz targets); `name` stands for the path.
Result<FrameIndex> buildFrameIndexBytes(const uint8_t* data, size_t size, const std::string& name);

}  // namespace vfi::media
