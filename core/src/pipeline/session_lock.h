// Lock of one session range, so the GUI, the CLI and render-farm ranges never render the same chunk.
//
// A lock is a file `lock_<first>-<last>.json` in the session folder. Its JSON (read by `tlbvfi
// status`; the names are stable):
//   host     this machine's host name
//   pid      the holder's process id
//   devices  the job's device list, e.g. ["cuda:0","cuda:1"] (empty for a join)
//   first    first chunk of the range, last: last chunk (inclusive)
//   started  when the range was locked, seconds since the Unix epoch (UTC)
// The file's modification time is the heartbeat: a thread of the holder touches it every
// kHeartbeatSeconds for as long as the lock lives, whatever a chunk takes.
//
// The holder keeps an flock(LOCK_EX) on the lock file for the life of the range, so the kernel drops
// it the moment the process dies (also as an unreaped zombie, whose pid still answers kill(pid, 0)).
// Acquiring scans all lock files under an flock(2) on `.locks` and refuses when a live lock overlaps
// the wanted range (ErrorCode::SessionLocked). Stale-lock rule: a lock is stale (and silently
// replaced) when
//   - it names this host and its flock is free (the holder is gone, whatever its pid says), or
//   - it names another host (where flock over NFS cannot be trusted) and its file has not been
//     touched for kStaleSeconds.
// Unreadable lock files are treated as stale. release() (and the destructor) removes the file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vfi/result.h"

namespace vfi::pipeline {

class SessionLock {
public:
    static constexpr int kStaleSeconds = 30 * 60;
    // Heartbeat interval; VFI_LOCK_HEARTBEAT_MS overrides it (tests).
    static constexpr int kHeartbeatSeconds = 30;

    SessionLock();
    ~SessionLock();
    SessionLock(SessionLock&& o) noexcept;
    SessionLock& operator=(SessionLock&& o) noexcept;
    SessionLock(const SessionLock&) = delete;
    SessionLock& operator=(const SessionLock&) = delete;

    static Result<SessionLock> acquire(const std::string& sessionDir, int firstChunk, int lastChunk,
                                       const std::vector<std::string>& devices = {});
    // Refreshes the lock's mtime now (the heartbeat thread does it on its own as well).
    void touch();
    void release();
    const std::string& path() const;

private:
    struct Held;
    std::unique_ptr<Held> m_held;
};

// The liveness rule above for a lock file written by `host`, whose file was last touched
// `heartbeatAgeSeconds` ago: on this host, while some process holds its flock (a shared, non-blocking
// probe, so a holder is never disturbed); on another, while the heartbeat is at most kStaleSeconds old.
// SessionLock::acquire and `tlbvfi status` both judge locks by it.
bool lockIsLive(const std::string& path, const std::string& host, double heartbeatAgeSeconds);

}  // namespace vfi::pipeline
