// The check of a written output file at a vfi::VerifyDepth (the joiner's, before the rename into
// place; vfi::verifyOutput is the full one). Both depths demux every video packet: count, decode
// timestamps strictly increasing, presentation timestamps distinct, presentation span / duration,
// media::PayloadHash of the payloads (framing from the stream's codec parameters). Quick decodes until
// the first frame comes out; full decodes every frame (frame count, decoded timestamps increasing).
#pragma once

#include <cstdint>
#include <string>

#include "vfi/job_runner.h"

namespace vfi::media {

struct OutputCheck {
    VerifyReport report;      // videoFrames: decoded frames (full) or video packets (quick)
    int64_t videoPackets = 0;
    std::string payloadHash;  // media::PayloadHash of the video payloads in file order
};

// pixelFormat: the video's pixel format (FFmpeg name) where the caller knows it (the joiner: the
// chunks'), "" = unknown. Containers that do not say it (Matroska) otherwise make the probe decode
// frames to find it out, a quarter of a second per 4K FFV1 frame at the end of every job.
Result<OutputCheck> checkOutput(const std::string& path, VerifyDepth depth, const std::string& pixelFormat = {});

}  // namespace vfi::media
