// Shared helpers of the job runner and the session tools (join, inspect): settings → identity,
// session index file (source timestamps, needed by a separate join), join of a complete session.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/chunk_plan.h"
#include "pipeline/frame_selection.h"
#include "pipeline/media_adapter.h"
#include "pipeline/output_timing.h"
#include "pipeline/session.h"
#include "vfi/job_runner.h"

namespace vfi::pipeline {

// Source timestamps and timing stored as index.json in the session (written once).
Status writeSessionIndex(const Session& s, const SourceIndex& idx);
Result<SourceIndex> readSessionIndex(const Session& s);
std::string indexHash(const SourceIndex& idx);

// A target-rate session's rate (its settings' "targetFps"), nullopt for a factor session.
std::optional<Rational> sessionTargetFps(const Session& s);
std::string frameRateKey(Rational rate);   // "60000/1001": the settings' "targetFps" value
// Resolves s.targetFps against the indexed source. Exactly 2x, 4x or 8x a constant-rate source is
// that factor job (targetFps cleared, factor set: the same session as --factor); any other rate gets
// its frame selection (factor set to its 2^depth). No target: null, s unchanged. Refusals (not
// above the source's rate, over 8x) are InvalidArgument. Tells `say` what it chose.
Result<std::shared_ptr<const FrameSelection>> resolveTargetFps(JobSettings& s, const SourceIndex& idx,
                                                               const std::function<void(const std::string&)>& say);
// The session's frame selection (null for a factor session), from its settings and index.
Result<std::shared_ptr<const FrameSelection>> selectionFor(const Session& s, const SourceIndex& idx);
// The session's chunk plan (a target-rate session's reads the session index).
Result<ChunkPlan> planFor(const Session& s);
ChunkPlan planFor(const Session& s, std::shared_ptr<const FrameSelection> selection);

// Output timestamps of a job: time base source tb / factor, or 1 / rate for a target-rate job, and
// the last frame's duration in it (the source's last-frame duration; one frame at a target rate).
struct OutputClock {
    OutputTiming timing;
    Rational timeBase;
    int64_t lastFrameDuration = 1;
};
OutputClock outputClock(const SourceIndex& idx, int factor, std::shared_ptr<const FrameSelection> selection);

// Joins a complete session (all chunks recorded and valid) into outputPath, verifies the result,
// removes chunks unless keepChunks. Reports states Joining/Verifying via observer when given.
Result<JobSummary> joinCompleteSession(const Session& s, const std::string& outputPath, bool keepChunks, bool overwrite,
                                       JobObserver* observer, const std::string& inputPathOverride = "",
                                       VerifyDepth verify = VerifyDepth::Quick);

// Checks a recorded chunk against its file (size + SHA-256 content hash, no decode), at either
// VerifyDepth: the chunk was verified at its job's depth before it was recorded.
bool recordMatchesFile(const Session& s, const ChunkRecord& r);

}  // namespace vfi::pipeline
