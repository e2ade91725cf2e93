// Lock of one session range, so the GUI, the CLI and render-farm ranges never render the same chunk.
//
// A lock is a file `lock_<firstChunk>-<lastChunk>.json` in the session folder holding host, PID and
// the chunk range; acquiring scans all lock files under an flock(2) on `.locks` and refuses when a
// live lock overlaps the wanted range (ErrorCode::SessionLocked).
//
// Stale-lock rule: a lock is stale (and silently replaced) when
//   - it names this host and its PID is no longer running (kill(pid, 0) fails with ESRCH), or
//   - it names another host and its file has not been touched for kStaleSeconds (the holder touches
//     it after every chunk; a chunk taking longer than that on a farm node needs a bigger value).
// Unreadable lock files are treated as stale. The lock is removed by the destructor.
#pragma once

#include <string>

#include "vfi/result.h"

namespace vfi::pipeline {

class SessionLock {
public:
    static constexpr int kStaleSeconds = 30 * 60;

    SessionLock() = default;
    ~SessionLock();
    SessionLock(SessionLock&& o) noexcept;
    SessionLock& operator=(SessionLock&& o) noexcept;
    SessionLock(const SessionLock&) = delete;
    SessionLock& operator=(const SessionLock&) = delete;

    static Result<SessionLock> acquire(const std::string& sessionDir, int firstChunk, int lastChunk);
    // Refreshes the lock's mtime (heartbeat for the other-host stale rule).
    void touch();
    void release();

private:
    std::string m_path;
};

}  // namespace vfi::pipeline
