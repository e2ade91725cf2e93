// Crash-test hook: VFI_TEST_KILL_AT=<phase> (mid-encode | after-rename | during-join) makes the
// process SIGKILL itself at that phase (chunk VFI_TEST_KILL_CHUNK, default 1, for the chunk phases),
// so the e2e tests can prove resume works from each named moment. No effect when unset.
#pragma once

#include <signal.h>

#include <cstdlib>
#include <cstring>

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

}  // namespace vfi::pipeline
