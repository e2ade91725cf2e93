// Where a session stands, for `tlbvfi status`, the Slurm join job and the GUI's session dialog: which
// chunks are recorded and which are missing, who holds range locks (and whether they still live), the
// rate and ETA measured from the chunk records, and the Slurm jobs submitted for it. Read-only: it
// never modifies the session, so it may run while renders write to it (locally or on a farm).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vfi/result.h"

namespace vfi {

// A range lock file `lock_<first>-<last>.json`. Fields a writer did not store stay at their defaults.
struct SessionLockInfo {
    std::string file;               // name inside the session folder
    std::string host;
    long pid = 0;
    std::string devices;            // as written by the holder ("cuda:0,cuda:1"); may be empty
    int firstChunk = 0, lastChunk = 0;
    int64_t startedUnix = 0;        // seconds since the epoch; 0: not recorded
    double heartbeatAgeSeconds = 0; // now - the file's mtime (the holder touches it while it renders)
    bool thisHost = false;
    // This host: its holder keeps the file's flock (a dead or zombie holder does not). Another host:
    // heartbeat younger than the stale age. The rule SessionLock::acquire applies: a lock that is not
    // live is taken over by the next render of its range.
    bool live = false;
};

// Consecutive chunks not recorded yet, with the source frames they own.
struct MissingChunks {
    int firstChunk = 0, lastChunk = 0;
    int64_t sourceBegin = 0, sourceEnd = 0;   // [begin, end)
};

// A Slurm job submitted for the session (recorded by `tlbvfi slurm submit` and the job scripts).
struct SlurmJobRecord {
    std::string kind;               // "render" (an array) or "join"
    std::string id;                 // Slurm job id (array: the array's job id)
    int64_t recordedUnix = 0;
    std::string state;              // from squeue/sacct (querySlurmStates); empty: unknown
};

struct SessionReport {
    std::string sessionDir;
    std::string inputPath;
    int chunksTotal = 0;
    int chunksDone = 0;
    int64_t sourceFrames = 0;
    int64_t outputFramesTotal = 0;
    int64_t outputFramesDone = 0;
    int64_t bytes = 0;               // recorded chunk files
    std::vector<MissingChunks> missing;
    std::vector<SessionLockInfo> locks;
    // Output frames per second over the recent records (the newest record and those within an hour
    // before it, so a session resumed after a pause is not measured across the pause); -1: fewer than
    // two records there. The ETA assumes that rate continues; -1 when unknown or complete.
    double outputFramesPerSecond = -1;
    double etaSeconds = -1;
    int64_t firstRecordUnix = 0, lastRecordUnix = 0;
    std::vector<SlurmJobRecord> slurmJobs;

    bool complete() const { return chunksTotal > 0 && chunksDone == chunksTotal; }
    int liveLocks() const;
};

// Reads the session at `dir` (SessionIncomplete when it has no session.json). `nowUnix` 0: now.
Result<SessionReport> readSessionReport(const std::string& dir, int64_t nowUnix = 0);

// Fills SlurmJobRecord::state from `squeue` (pending/running jobs; an array's elements summed up as
// "RUNNING 2, PENDING 1") and then `sacct` (finished ones) where those commands exist. Records whose
// state cannot be found keep an empty state. Runs the commands; do not call it on a GUI thread.
void querySlurmStates(std::vector<SlurmJobRecord>& jobs);

// Records a submitted Slurm job in the session (slurm/<kind>_<id>), as the job scripts also do.
Status recordSlurmJob(const std::string& sessionDir, const std::string& kind, const std::string& id);

// The report as JSON (the `tlbvfi status --json` format, docs/cli.md).
std::string sessionReportJson(const SessionReport& r);

// Part indices (0..parts-1) of a job split into `parts` with --part whose chunks include a missing one.
std::vector<int> partsWithMissingChunks(const SessionReport& r, int parts);

}  // namespace vfi
