// Shared helpers of the job runner and the session tools (join, inspect): settings → identity,
// session index file (source timestamps, needed by a separate join), join of a complete session.
#pragma once

#include <string>
#include <vector>

#include "pipeline/chunk_plan.h"
#include "pipeline/media_adapter.h"
#include "pipeline/session.h"
#include "vfi/job_runner.h"

namespace vfi::pipeline {

// Source timestamps and timing stored as index.json in the session (written once).
Status writeSessionIndex(const Session& s, const SourceIndex& idx);
Result<SourceIndex> readSessionIndex(const Session& s);
std::string indexHash(const SourceIndex& idx);

ChunkPlan planFor(const Session& s);

// Joins a complete session (all chunks recorded and valid) into outputPath, verifies the result,
// removes chunks unless keepChunks. Reports states Joining/Verifying via observer when given.
Result<JobSummary> joinCompleteSession(const Session& s, const std::string& outputPath, bool keepChunks, bool overwrite,
                                       JobObserver* observer, const std::string& inputPathOverride = "",
                                       VerifyDepth verify = VerifyDepth::Quick);

// Checks a recorded chunk against its file (size + SHA-256 content hash, no decode), at either
// VerifyDepth: the chunk was verified at its job's depth before it was recorded.
bool recordMatchesFile(const Session& s, const ChunkRecord& r);

}  // namespace vfi::pipeline
