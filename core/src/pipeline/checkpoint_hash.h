// The content hash of a model checkpoint that a session records in its identity (design.md §5
// "Identity"), so a session is never continued with other weights. SHA-256 of the whole file: the
// official checkpoint is 3.6 GB (about 25 s at 140 MB/s), so the result is cached per user in
// <data>/tlbvfi-studio/checkpoint-hashes.json, keyed by the canonical path, size and modification
// time (ns); a changed file has another size or mtime and is hashed again. A cache that cannot be read
// or written costs time, never correctness.
#pragma once

#include <string>

#include "vfi/result.h"

namespace vfi::pipeline {

// "sha256:<64 hex digits>". Io when the file cannot be read.
Result<std::string> checkpointHash(const std::string& path);

}  // namespace vfi::pipeline
