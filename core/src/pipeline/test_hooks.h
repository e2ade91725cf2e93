// Crash-test hook: VFI_TEST_KILL_AT=<phase> (mid-encode | after-rename | during-join) makes the
// process SIGKILL itself at that phase (chunk VFI_TEST_KILL_CHUNK, default 1, for the chunk phases),
// so the e2e tests can prove resume works from each named moment. No effect when unset.
//
// VFI_TEST_PAIR_DELAY_MS=<ms>: the blend backend sleeps that long per generated frame, so a scheduler
// test (tests/e2e/test_e2e_slurm.cpp) can signal or kill a render while it runs. Frames are unchanged.
#pragma once

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

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

inline void pairDelayHook() {
    static const long ms = [] {
        const char* v = std::getenv("VFI_TEST_PAIR_DELAY_MS");
        return v ? std::atol(v) : 0L;
    }();
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace vfi::pipeline
