// Durable file helpers for the session folder: atomic replace (temp → fsync → rename → fsync dir),
// SHA-256 and chunk content hashes (libavutil), free disk space. Paths are UTF-8; errors are ErrorCode::Io
// (ErrorCode::DiskFull for ENOSPC and EDQUOT).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "vfi/result.h"

namespace vfi::pipeline {

Status writeFileAtomic(const std::string& path, const std::string& content);
Status fsyncFile(const std::string& path);
Status fsyncDir(const std::string& dir);
// rename(from, to) followed by an fsync of to's directory.
Status renameDurable(const std::string& from, const std::string& to);
Result<std::string> readFileText(const std::string& path);

std::string sha256Hex(const void* data, size_t size);
inline std::string sha256Hex(const std::string& s) { return sha256Hex(s.data(), s.size()); }
Result<std::string> sha256File(const std::string& path);
// The same, calling onProgress(bytes hashed so far) after every MiB; returning false stops it (Cancelled).
Result<std::string> sha256File(const std::string& path, const std::function<bool(int64_t)>& onProgress);
// A chunk file's content hash as recorded in the session: "murmur3-128:<32 hex digits>". It guards
// against accidental damage (short writes, disk errors), not an adversary, and is read back for every
// chunk before a join and on every resume: at ~4 GB/s it costs what reading the file costs, where
// SHA-256 (~140 MB/s on a 2-core VM) took longer than encoding an FFV1 chunk and hours on a resume of
// a long 4K session.
Result<std::string> contentHashFile(const std::string& path);
// Whether the file still has the recorded content hash; also accepts the bare SHA-256 hex digests
// that sessions recorded before, so they stay resumable.
bool fileMatchesContentHash(const std::string& path, const std::string& recorded);
// Hash of the first and last `bytes` bytes plus the size (cheap source identity).
Result<std::string> headTailHash(const std::string& path, int64_t bytes = 1 << 20);

int64_t freeDiskBytes(const std::string& pathInVolume);   // -1 when unknown
// A full disk (ENOSPC/EDQUOT) is ErrorCode::DiskFull, a resumable stop; where it happens the path,
// needed and free bytes are not known yet (empty args). The job or join that knows them completes
// the error: args {pathInVolume, neededBytes (empty when < 0), free bytes now} and a message that
// says both numbers and how to continue. Other errors and complete DiskFull errors pass unchanged.
Error completeDiskFull(Error e, const std::string& pathInVolume, int64_t neededBytes);
std::string megabytes(int64_t bytes);   // "12 kB", "3.2 MB", "1534 MB" (decimal units, as df -H)
int64_t currentRssBytes();
std::string hostName();

}  // namespace vfi::pipeline
