// Crash-test hooks, no effect when unset:
// - VFI_TEST_KILL_AT=<phase> (mid-encode | after-rename | after-record | during-join) makes the
//   process SIGKILL itself at that phase (chunk VFI_TEST_KILL_CHUNK, default 1, for the chunk
//   phases), so the e2e tests can prove resume works from each named moment.
// - VFI_TEST_FILL_AT=<phase> with VFI_TEST_FILL_FILE=<path> makes the process append to <path> at that
//   phase (same chunk rule) until its filesystem refuses with ENOSPC: the writes that follow meet a
//   really full disk at a moment a test names (a tmpfs the test mounted; tests/e2e/test_e2e_disk_full).
//
// VFI_TEST_PAIR_DELAY_MS=<ms>: the blend backend sleeps that long per generated frame, so a scheduler
// test (tests/e2e/test_e2e_slurm.cpp) can signal or kill a render while it runs. Frames are unchanged.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include <thread>

namespace vfi::pipeline {

inline bool hookArmed(const char* variable, const char* phase, int chunk) {
    const char* at = std::getenv(variable);
    if (!at || std::strcmp(at, phase) != 0) return false;
    if (chunk < 0) return true;
    const char* c = std::getenv("VFI_TEST_KILL_CHUNK");
    return chunk == (c ? std::atoi(c) : 1);
}

inline bool killHookArmed(const char* phase, int chunk = -1) {
    return hookArmed("VFI_TEST_KILL_AT", phase, chunk) || hookArmed("VFI_TEST_FILL_AT", phase, chunk);
}

inline void fillDisk(const char* path) {
    const int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return;
    std::vector<char> block(64 * 1024, 'x');
    for (size_t n = block.size(); n > 0;)   // a short write means the last free bytes: go on smaller
        if (::write(fd, block.data(), n) <= 0) n /= 2;
    ::close(fd);
}

inline void killHook(const char* phase, int chunk = -1) {
    if (hookArmed("VFI_TEST_KILL_AT", phase, chunk)) ::raise(SIGKILL);
    if (hookArmed("VFI_TEST_FILL_AT", phase, chunk))
        if (const char* file = std::getenv("VFI_TEST_FILL_FILE")) fillDisk(file);
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

inline void pairDelayHook() {
    static const long ms = [] {
        const char* v = std::getenv("VFI_TEST_PAIR_DELAY_MS");
        return v ? std::atol(v) : 0L;
    }();
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace vfi::pipeline
