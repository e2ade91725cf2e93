#include "pipeline/session.h"

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "pipeline/file_util.h"
#include "pipeline/json_fields.h"
#include "vfi/log.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

json SourceFingerprint::toJson() const {
    return {{"size", size}, {"mtimeNs", mtimeNs}, {"headTailHash", headTailHash},
            {"streamLayout", streamLayout}, {"indexHash", indexHash}, {"frames", frames}};
}
SourceFingerprint SourceFingerprint::fromJson(const json& j) {
    SourceFingerprint f;
    f.size = integerOr<int64_t>(j, "size", 0);
    f.mtimeNs = integerOr<int64_t>(j, "mtimeNs", 0);
    f.headTailHash = j.value("headTailHash", "");
    f.streamLayout = j.value("streamLayout", "");
    f.indexHash = j.value("indexHash", "");
    f.frames = integerOr<int64_t>(j, "frames", 0);
    return f;
}

json SessionIdentity::toJson() const {
    return {{"version", kManifestVersion}, {"inputPath", inputPath}, {"source", source.toJson()},
            {"settings", settings}, {"settingsHash", settingsHash}, {"modelFingerprint", modelFingerprint},
            {"checkpointHash", checkpointHash}, {"chunkFrames", chunkFrames}, {"factor", factor}, {"chunkExtension", chunkExtension}};
}
SessionIdentity SessionIdentity::fromJson(const json& j) {
    SessionIdentity s;
    s.inputPath = j.value("inputPath", "");
    if (j.contains("source")) s.source = SourceFingerprint::fromJson(j["source"]);
    s.settings = j.value("settings", json::object());
    s.settingsHash = j.value("settingsHash", "");
    s.modelFingerprint = j.value("modelFingerprint", "");
    s.checkpointHash = j.value("checkpointHash", "");
    s.chunkFrames = integerOr<int64_t>(j, "chunkFrames", 0);
    s.factor = integerOr<int>(j, "factor", 2);
    s.chunkExtension = j.value("chunkExtension", "mov");
    return s;
}

json ChunkRecord::toJson() const {
    return {{"index", index}, {"file", file}, {"sourceBegin", sourceBegin}, {"sourceEnd", sourceEnd},
            {"outputBegin", outputBegin}, {"outputEnd", outputEnd}, {"firstPts", firstPts}, {"lastPts", lastPts},
            {"packets", packets}, {"bytes", bytes}, {"contentHash", contentHash}, {"extradataHash", extradataHash},
            {"encoderSettingsHash", encoderSettingsHash}, {"sceneCuts", sceneCuts}, {"device", device}, {"host", host}};
}
ChunkRecord ChunkRecord::fromJson(const json& j) {
    ChunkRecord r;
    r.index = integerAt<int>(j, "index");
    r.file = j.at("file").get<std::string>();
    r.sourceBegin = integerAt(j, "sourceBegin");
    r.sourceEnd = integerAt(j, "sourceEnd");
    r.outputBegin = integerAt(j, "outputBegin");
    r.outputEnd = integerAt(j, "outputEnd");
    r.firstPts = integerOr<int64_t>(j, "firstPts", 0);
    r.lastPts = integerOr<int64_t>(j, "lastPts", 0);
    r.packets = integerOr<int64_t>(j, "packets", 0);
    r.bytes = integerOr<int64_t>(j, "bytes", 0);
    r.contentHash = j.value("contentHash", "");
    r.extradataHash = j.value("extradataHash", "");
    r.encoderSettingsHash = j.value("encoderSettingsHash", "");
    if (j.contains("sceneCuts")) r.sceneCuts = integerList(j["sceneCuts"], "\"sceneCuts\"");
    r.device = j.value("device", "");
    r.host = j.value("host", "");
    return r;
}

std::string describeMismatch(const SessionIdentity& a, const SessionIdentity& b) {
    const auto& s = a.source;
    const auto& t = b.source;
    if (s.size != t.size || s.mtimeNs != t.mtimeNs || s.headTailHash != t.headTailHash)
        return "the source file changed since the session was started (size/modification time/content)";
    if (s.streamLayout != t.streamLayout) return "the source's stream layout changed";
    if (s.indexHash != t.indexHash || s.frames != t.frames) return "the source's frames/timestamps changed";
    if (a.settingsHash != b.settingsHash) {
        std::string diff;
        for (auto it = b.settings.begin(); it != b.settings.end(); ++it) {
            const json old = a.settings.contains(it.key()) ? a.settings[it.key()] : json();
            if (old != it.value()) diff += (diff.empty() ? "" : ", ") + it.key() + " " + old.dump() + " -> " + it.value().dump();
        }
        for (auto it = a.settings.begin(); it != a.settings.end(); ++it)   // e.g. a target rate dropped
            if (!b.settings.contains(it.key())) diff += (diff.empty() ? "" : ", ") + it.key() + " " + it.value().dump() + " -> none";
        return "the settings changed (" + (diff.empty() ? std::string("hash") : diff) + ")";
    }
    if (!a.checkpointHash.empty() && a.checkpointHash != b.checkpointHash)
        return "the model checkpoint changed (the session was rendered with " + a.checkpointHash + ", this run's checkpoint is " +
               (b.checkpointHash.empty() ? std::string("none") : b.checkpointHash) + ")";
    if (a.modelFingerprint != b.modelFingerprint) return "the model/backend changed";
    if (a.chunkFrames != b.chunkFrames) return "the chunk length changed";
    return "";
}

namespace {

bool isPlainExtension(const std::string& ext) {
    if (ext.empty() || ext.size() > 8) return false;
    for (char c : ext)
        if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    return true;
}

// The identity in a session.json or manifest.json file, or why it cannot be used. A session of
// another version is refused as such (`unsupported`), not repaired.
Result<SessionIdentity> readIdentity(const std::string& path, bool* unsupported) {
    auto text = readFileText(path);
    if (!text) return text.takeError();
    const json j = json::parse(text.value(), nullptr, false);
    auto damaged = [&](const std::string& why) { return makeError(ErrorCode::SessionMismatch, why, {fs::path(path).filename().string()}); };
    if (j.is_discarded()) return damaged(text->empty() ? "empty" : "not valid JSON (truncated or overwritten)");
    if (!j.is_object() || !j.contains("version") || !j["version"].is_number_integer()) return damaged("no session version in it");
    if (j["version"] != kManifestVersion) {
        *unsupported = true;
        return damaged("version " + j["version"].dump() + ", this build reads " + std::to_string(kManifestVersion));
    }
    SessionIdentity id;
    try {
        id = SessionIdentity::fromJson(j);
    } catch (const std::exception& e) {
        return damaged(std::string("a field has the wrong type: ") + e.what());
    }
    if (id.settingsHash.empty() || id.chunkFrames <= 0 || (id.factor != 2 && id.factor != 4 && id.factor != 8) ||
        !isPlainExtension(id.chunkExtension))
        return damaged("fields are missing or out of range");
    return id;
}

}  // namespace

Result<Session> Session::open(const std::string& dir) {
    const std::string path = (fs::path(dir) / "session.json").string();
    std::error_code ec;
    if (!fs::exists(path, ec))
        return makeError(ErrorCode::SessionIncomplete, "no session in " + dir + " (session.json missing)", {dir});
    bool unsupported = false;
    auto id = readIdentity(path, &unsupported);
    if (!id && unsupported)
        return makeError(ErrorCode::SessionMismatch, "session " + dir + " has an unsupported version (" + id.error().message + ")", {"version"});
    if (!id) {
        // session.json is written once; manifest.json carries the same identity and is rewritten after
        // every chunk, so a session.json lost to a power cut or a copy is restored from it.
        const std::string manifest = (fs::path(dir) / "manifest.json").string();
        bool manifestUnsupported = false;
        auto fromManifest = readIdentity(manifest, &manifestUnsupported);
        if (!fromManifest)
            return makeError(ErrorCode::SessionMismatch,
                             "session file " + path + " is damaged (" + id.error().message + ") and manifest.json cannot replace it (" +
                                 fromManifest.error().message + "); restore session.json, or delete " + dir +
                                 " to start over (its chunks are then rendered again)",
                             {"session.json"});
        VFI_TRY(writeFileAtomic(path, fromManifest->toJson().dump(2)));
        logWarning("session file " + path + " was damaged (" + id.error().message + "); restored from manifest.json");
        id = std::move(fromManifest);
    }
    Session s;
    s.m_dir = dir;
    s.m_id = std::move(id).value();
    return s;
}

Result<Session> Session::openOrCreate(const std::string& dir, const SessionIdentity& id) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return makeError(ErrorCode::OutputNotWritable, "cannot create session folder " + dir + ": " + ec.message(), {dir, ec.message()});
    if (::access(dir.c_str(), W_OK) != 0)
        return makeError(ErrorCode::OutputNotWritable, "session folder " + dir + " is not writable", {dir, "not writable"});
    const std::string path = (fs::path(dir) / "session.json").string();
    if (fs::exists(path, ec)) {
        VFI_ASSIGN_OR_RETURN(Session s, open(dir));
        const std::string why = describeMismatch(s.m_id, id);
        if (!why.empty())
            return makeError(ErrorCode::SessionMismatch,
                             "cannot resume session " + dir + ": " + why +
                                 ". Nothing was deleted; use another --session folder or delete this one.",
                             {why});
        return s;
    }
    VFI_TRY(writeFileAtomic(path, id.toJson().dump(2)));
    Session s;
    s.m_dir = dir;
    s.m_id = id;
    return s;
}

static std::string num6(int k) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%06d", k);
    return buf;
}

std::string Session::chunkFileName(int k) const { return "chunk_" + num6(k) + "." + m_id.chunkExtension; }
std::string Session::chunkPath(int k) const { return (fs::path(m_dir) / chunkFileName(k)).string(); }
std::string Session::tempChunkPath(int k) const {
    return (fs::path(m_dir) / (".tmp_" + std::to_string(::getpid()) + "_chunk_" + num6(k) + "." + m_id.chunkExtension)).string();
}
std::string Session::recordPath(int k) const { return (fs::path(m_dir) / ("chunk_" + num6(k) + ".json")).string(); }

std::map<int, ChunkRecord> Session::scanRecords(std::vector<std::string>* damaged) const {
    std::map<int, ChunkRecord> out = readRecordFiles(damaged);
    std::lock_guard lk(m_index->mutex);
    m_index->records = out;
    m_index->loaded = true;
    return out;
}

std::map<int, ChunkRecord> Session::readRecordFiles(std::vector<std::string>* damaged) const {
    const std::string& dir = m_dir;
    std::map<int, ChunkRecord> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("chunk_", 0) != 0 || e.path().extension() != ".json") continue;
        auto text = readFileText(e.path().string());
        if (!text) continue;
        json j = json::parse(text.value(), nullptr, false);
        std::string why;
        try {
            if (j.is_discarded()) throw std::runtime_error("not valid JSON (truncated or overwritten)");
            ChunkRecord r = ChunkRecord::fromJson(j);
            // A record speaks for its own chunk only: chunk_000007.json names chunk 7 and its file in
            // this folder (a hand-edited or misplaced record must not stand for another chunk or file).
            if (r.index < 0 || name != fs::path(recordPath(r.index)).filename().string() || r.file != chunkFileName(r.index))
                throw std::runtime_error("it names another chunk or file");
            out[r.index] = r;
        } catch (const std::exception& x) {
            why = x.what();
        }
        if (why.empty()) continue;
        logWarning("chunk record " + e.path().string() + " is damaged (" + why + "); its chunk is rendered again by the next run");
        if (damaged) damaged->push_back(name);
    }
    return out;
}

Status Session::writeRecord(const ChunkRecord& r) {
    VFI_TRY(writeFileAtomic(recordPath(r.index), r.toJson().dump(2)));
    std::lock_guard lk(m_index->mutex);
    m_index->records[r.index] = r;
    return {};
}

Status Session::removeRecord(int k) {
    std::error_code ec;
    fs::remove(recordPath(k), ec);
    {
        std::lock_guard lk(m_index->mutex);
        m_index->records.erase(k);
    }
    return fsyncDir(m_dir);
}

bool Session::manifestReadable() const {
    bool unsupported = false;
    return readIdentity((fs::path(m_dir) / "manifest.json").string(), &unsupported).ok();
}

Status Session::rebuildManifest(int chunksTotal, const std::vector<int64_t>& startFrames) const {
    bool loaded = false;
    {
        std::lock_guard lk(m_index->mutex);
        loaded = m_index->loaded;
    }
    if (!loaded) (void)scanRecords();
    json m = m_id.toJson();
    m["chunkPlan"] = {{"chunks", chunksTotal}, {"startFrames", startFrames}};
    json chunks = json::array();
    std::vector<int64_t> cuts;
    // Held while writing too: the last manifest written is the one with the most records.
    std::lock_guard lk(m_index->mutex);
    for (const auto& [k, r] : m_index->records) {
        chunks.push_back(r.toJson());
        cuts.insert(cuts.end(), r.sceneCuts.begin(), r.sceneCuts.end());
    }
    m["chunksDone"] = chunks.size();
    m["chunks"] = std::move(chunks);
    m["sceneCuts"] = cuts;
    return writeFileAtomic((fs::path(m_dir) / "manifest.json").string(), m.dump(2));
}

int64_t Session::chunkBytes() const {
    bool loaded = false;
    {
        std::lock_guard lk(m_index->mutex);
        loaded = m_index->loaded;
    }
    if (!loaded) (void)scanRecords();
    std::lock_guard lk(m_index->mutex);
    int64_t total = 0;
    for (const auto& [k, r] : m_index->records) total += r.bytes;
    return total;
}

void Session::removeTempFiles() const {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(m_dir, ec)) {
        const std::string name = e.path().filename().string();
        // .tmp_<pid>_... (chunks being encoded) and <file>.tmp-<pid>-<thread>-<n> (writeFileAtomic: records, the
        // manifest, locks; a process killed between write and rename leaves one): only files of
        // processes that are gone (or ours) are removed.
        // An atomic write lasts milliseconds, so such a file a minute old is abandoned whoever wrote it
        // (a PID of another host sharing the folder may be dead or alive here).
        long pid = 0;
        if (name.rfind(".tmp_", 0) == 0) {
            pid = std::atol(name.c_str() + 5);
        } else if (const size_t at = name.rfind(".tmp-"); at != std::string::npos && at + 5 < name.size() &&
                   name.find_first_not_of("0123456789-", at + 5) == std::string::npos) {
            pid = std::atol(name.c_str() + at + 5);
            const auto age = fs::file_time_type::clock::now() - fs::last_write_time(e.path(), ec);
            if (pid != ::getpid() && (ec || age < std::chrono::minutes(1))) continue;
        } else {
            continue;
        }
        if (pid == ::getpid() || (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0)) fs::remove(e.path(), ec);
    }
}

}  // namespace vfi::pipeline
