// A job's session folder (design.md §4): session.json (identity, written once), one record file per
// finished chunk (chunk_000123.json, written atomically after its chunk file), manifest.json (an index
// rebuilt from both, replaced atomically) and the chunk files chunk_000123.<ext>.
//
// Many writers: range renders on several machines append records independently; any of them may
// rewrite the manifest. In one process the record index is read from disk once (scanRecords) and then
// kept up to date by writeRecord/removeRecord, so writing the manifest after a chunk does not read
// every record again; records other processes add meanwhile enter it at the next scan (the join
// scans). writeRecord, removeRecord, rebuildManifest and chunkBytes are thread-safe (chunk workers of
// several devices commit concurrently); copies of a Session share one index.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vfi/result.h"

namespace vfi::pipeline {

constexpr int kManifestVersion = 1;

struct SourceFingerprint {
    int64_t size = 0;
    int64_t mtimeNs = 0;
    std::string headTailHash;
    std::string streamLayout;   // codec, size, pix fmt, time base, stream kinds
    std::string indexHash;      // hash of every frame's PTS from the index pass
    int64_t frames = 0;
    nlohmann::json toJson() const;
    static SourceFingerprint fromJson(const nlohmann::json& j);
};

// What a session is for; a rerun must match it exactly (else SessionMismatch).
struct SessionIdentity {
    std::string inputPath;
    SourceFingerprint source;
    nlohmann::json settings;     // output-affecting settings only (see JobRunner)
    std::string settingsHash;    // sha256 of settings.dump()
    std::string modelFingerprint;
    // checkpoint_hash.h ("sha256:..."); empty for backends without weights and in sessions of
    // builds before it was recorded (those are not checked).
    std::string checkpointHash;
    int64_t chunkFrames = 0;
    int factor = 2;
    std::string chunkExtension;  // "mov" | "nut"
    nlohmann::json toJson() const;
    static SessionIdentity fromJson(const nlohmann::json& j);
};

struct ChunkRecord {
    int index = 0;
    std::string file;            // name inside the session folder
    int64_t sourceBegin = 0, sourceEnd = 0;
    int64_t outputBegin = 0, outputEnd = 0;
    int64_t firstPts = 0, lastPts = 0;   // output time base
    int64_t packets = 0;
    int64_t bytes = 0;
    std::string contentHash;     // contentHashFile() of the chunk file (bare SHA-256 hex in older sessions)
    std::string extradataHash;
    std::string encoderSettingsHash;
    std::vector<int64_t> sceneCuts;
    std::string device;          // the device and host that rendered it ("" in older sessions)
    std::string host;
    nlohmann::json toJson() const;
    static ChunkRecord fromJson(const nlohmann::json& j);
};

class Session {
public:
    // Opens an existing session (session.json present) or returns an error. A damaged session.json
    // (not JSON, fields missing or of the wrong type) is restored from manifest.json when that holds
    // a usable identity; otherwise the error names the file and what to do.
    static Result<Session> open(const std::string& dir);
    // Opens or creates. An existing session with another identity is refused (SessionMismatch),
    // nothing in it is touched.
    static Result<Session> openOrCreate(const std::string& dir, const SessionIdentity& id);

    const std::string& dir() const { return m_dir; }
    const SessionIdentity& identity() const { return m_id; }

    std::string chunkFileName(int k) const;
    std::string chunkPath(int k) const;
    std::string tempChunkPath(int k) const;     // unique per process; ignored by scans
    std::string recordPath(int k) const;

    // Reads all record files and makes them the index; damaged ones (not JSON, fields missing, naming another chunk or file)
    // are skipped with a warning, their names added to `damaged`: their chunks count as not done.
    std::map<int, ChunkRecord> scanRecords(std::vector<std::string>* damaged = nullptr) const;
    Status writeRecord(const ChunkRecord& r);
    Status removeRecord(int k);
    // Whether manifest.json exists and holds this session's identity (it is an index of the records,
    // rebuilt whenever a chunk is recorded; a damaged one is rebuilt by the next run).
    bool manifestReadable() const;
    // Writes manifest.json from session.json and the record index (atomic replace); scans first if
    // the index was never read.
    Status rebuildManifest(int chunksTotal, const std::vector<int64_t>& startFrames) const;
    int64_t chunkBytes() const;   // bytes of recorded chunk files
    // Removes stale temp files of this or dead processes' writes: chunks, records, the manifest.
    void removeTempFiles() const;

private:
    std::map<int, ChunkRecord> readRecordFiles(std::vector<std::string>* damaged) const;
    struct Index {
        std::mutex mutex;
        bool loaded = false;
        std::map<int, ChunkRecord> records;
    };
    std::string m_dir;
    SessionIdentity m_id;
    std::shared_ptr<Index> m_index = std::make_shared<Index>();
};

// Describes how two identities differ ("" when they match).
std::string describeMismatch(const SessionIdentity& stored, const SessionIdentity& wanted);

}  // namespace vfi::pipeline
