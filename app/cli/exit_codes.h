// Exit codes of `tlbvfi` (documented in docs/cli.md). Stable: scripts and render farms rely on them.
#pragma once

#include "vfi/result.h"

namespace vfi::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitInternal = 1,        // unexpected internal error
    kExitUsage = 2,           // bad command line
    kExitBadInput = 3,        // input missing, not a video, truncated, unsupported codec
    kExitOutput = 4,          // output equals input, not writable, exists, unsupported encoder/format
    kExitResumable = 5,       // paused, cancelled (SIGINT/SIGTERM) or low disk: rerun the same command
    kExitSession = 6,         // session mismatch / locked / incomplete
    kExitModel = 7,           // checkpoint missing/invalid, model or device error
    kExitVerify = 8,          // a chunk or the output failed verification
    kExitNetwork = 9,         // a download failed (connection, HTTP status, size); rerun to continue it
};

int exitCodeFor(const Error& e);

}  // namespace vfi::cli
