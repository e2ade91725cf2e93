// Crash-test hook: VFI_TEST_KILL_AT=<phase> (mid-encode | after-rename | during-join) makes the
// process SIGKILL itself at that phase (chunk VFI_TEST_KILL_CHUNK, default 1, for the chunk phases),
// so the e2e tests can prove resume works from each named moment. No effect when unset.
#pragma once

#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace vfi::pipeline {

inline bool killHookArmed(const char* phase, int chunk = -1) {
    const char* at = std::getenv("VFI_TEST_KILL_AT");
    if (!at || std::strcmp(at, phase) != 0) return false;
    if (chunk < 0) return true;
    const char* c = std::getenv("VFI_TEST_KILL_CHUNK");
    return chunk == (c ? std::atoi(c) : 1);
}

inline void killHook(const char* phase, int chunk = -1) {
    if (killHookArmed(phase, chunk)) ::raise(SIGKILL);
}

// Device-failure hook for several-device jobs: VFI_TEST_FAIL_DEVICE=W[:chunk=K][:after=N] makes
// worker W's render fail (as a device error would) when it starts chunk K, or its chunk number N+1
// (counting from 1; default: its first chunk). No effect when unset.
inline bool deviceFailureHook(int worker, int chunk, int chunksDoneByWorker) {
    const char* v = std::getenv("VFI_TEST_FAIL_DEVICE");
    if (!v || !*v) return false;
    const std::string spec = v;
    if (std::atoi(spec.c_str()) != worker) return false;
    if (const auto c = spec.find("chunk="); c != std::string::npos && std::atoi(spec.c_str() + c + 6) != chunk) return false;
    const auto a = spec.find("after=");
    return chunksDoneByWorker == (a == std::string::npos ? 0 : std::atoi(spec.c_str() + a + 6));
}

}  // namespace vfi::pipeline
