// Lossless join of verified chunk files into the final output (design.md §3, issue 2 item 8).
// In-process libavformat remux: video packets are copied byte-identical, their timestamps are
// rewritten from the plan (never from the chunks' or the concat demuxer's durations); audio,
// subtitles, chapters and global metadata come from the source file with their original offset to
// the first presented video frame. The output is written under a temporary name in the output's
// folder, verified (JoinPlan::verify), then renamed into place; nothing partial ever exists under the final name.
// Not thread-safe per instance; joins of different outputs may run concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vfi/job_settings.h"
#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi::media {

struct JoinChunk {
    std::string path;                 // a verified chunk (MOV/NUT), one closed GOP starting with a keyframe
    // Output presentation timestamps of this chunk's frames, in presentation order, in
    // JoinPlan::outputTimeBase. Size must equal the chunk's frame count; strictly increasing and
    // continuing the previous chunk's list.
    std::vector<int64_t> pts;
};

struct JoinPlan {
    std::vector<JoinChunk> chunks;    // in output order; together they hold every output frame once
    std::string outputPath;           // container chosen by extension: .mp4, .mov, .mkv
    Rational outputTimeBase{1, 90000};  // time base of every pts in chunks (e.g. source tb / factor)
    int64_t lastFrameDuration = 0;    // duration of the last output frame in outputTimeBase (source's
                                      // last-frame duration); 0 = the previous frame interval
    // Source file for audio/subtitle/attachment/data streams, chapters and global metadata. Empty:
    // video only. The first chunk's first pts is taken to be the source's first presented video frame.
    std::string sourcePath;
    bool copyAudio = true;
    bool copySubtitles = true;
    bool copyChapters = true;
    bool copyMetadata = true;
    // Colour tags written on the output video stream (FFmpeg names, "" or "unknown" = keep the chunk's).
    ColourInfo colour;
    double rotationDegrees = 0;       // as av_display_rotation_get reports it (SourceInfo); written as display-matrix side data (not baked)
    // The chunks' pixel format (FFmpeg name) as their encoder was set up, "" = unknown. NUT headers do
    // not carry it, so finding it out decoded the first chunk's first frame (a quarter of a second
    // for 4K FFV1, at the end of the job); given, the probe reads packets only. The written file's
    // first frame is still decoded (checkOutput).
    std::string pixelFormat;
    bool overwrite = false;           // replace an existing file at outputPath
    // Check of the written file before the rename (media::checkOutput): quick compares the video
    // payloads read back with those written (media::PayloadHash), full also decodes every frame.
    VerifyDepth verify = VerifyDepth::Quick;
    // Called with (framesWritten, totalFrames) from the joining thread; may be empty.
    std::function<void(int64_t, int64_t)> progress;
};

struct JoinResult {
    std::string outputPath;
    int64_t videoFrames = 0;
    int64_t bytes = 0;
    int reorderDelay = 0;             // frames of decode-timestamp delay used for the whole output
    std::vector<std::string> warnings;  // each dropped stream/attachment named, conversions noted
};

// Joins plan.chunks into plan.outputPath. Refuses (ChunkInvalid) chunks whose codec parameters or
// extradata differ from the first chunk's, or whose frame count differs from their pts list.
// Fails with VerifyFailed if the written file does not hold the planned frames (plan.verify: the
// packets as written and a first frame that decodes; full: every frame decodes).
Result<JoinResult> joinChunks(const JoinPlan& plan);

}  // namespace vfi::media
