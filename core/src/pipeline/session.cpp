#include "pipeline/session.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "pipeline/file_util.h"
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
    f.size = j.value("size", int64_t{0});
    f.mtimeNs = j.value("mtimeNs", int64_t{0});
    f.headTailHash = j.value("headTailHash", "");
    f.streamLayout = j.value("streamLayout", "");
    f.indexHash = j.value("indexHash", "");
    f.frames = j.value("frames", int64_t{0});
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
    s.chunkFrames = j.value("chunkFrames", int64_t{0});
    s.factor = j.value("factor", 2);
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
    r.index = j.at("index").get<int>();
    r.file = j.at("file").get<std::string>();
    r.sourceBegin = j.at("sourceBegin").get<int64_t>();
    r.sourceEnd = j.at("sourceEnd").get<int64_t>();
    r.outputBegin = j.at("outputBegin").get<int64_t>();
    r.outputEnd = j.at("outputEnd").get<int64_t>();
    r.firstPts = j.value("firstPts", int64_t{0});
    r.lastPts = j.value("lastPts", int64_t{0});
    r.packets = j.value("packets", int64_t{0});
    r.bytes = j.value("bytes", int64_t{0});
    r.contentHash = j.value("contentHash", "");
    r.extradataHash = j.value("extradataHash", "");
    r.encoderSettingsHash = j.value("encoderSettingsHash", "");
    r.sceneCuts = j.value("sceneCuts", std::vector<int64_t>{});
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

Result<Session> Session::open(const std::string& dir) {
    const std::string path = (fs::path(dir) / "session.json").string();
    std::error_code ec;
    if (!fs::exists(path, ec))
        return makeError(ErrorCode::SessionIncomplete, "no session in " + dir + " (session.json missing)", {dir});
    VFI_ASSIGN_OR_RETURN(std::string text, readFileText(path));
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError(ErrorCode::SessionMismatch, "session.json in " + dir + " is unreadable", {"session.json"});
    if (j.value("version", 0) != kManifestVersion)
        return makeError(ErrorCode::SessionMismatch, "session " + dir + " has an unsupported version", {"version"});
    Session s;
    s.m_dir = dir;
    s.m_id = SessionIdentity::fromJson(j);
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

std::map<int, ChunkRecord> Session::scanRecords() const {
    std::map<int, ChunkRecord> out = readRecordFiles(m_dir);
    std::lock_guard lk(m_index->mutex);
    m_index->records = out;
    m_index->loaded = true;
    return out;
}

std::map<int, ChunkRecord> Session::readRecordFiles(const std::string& dir) {
    std::map<int, ChunkRecord> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("chunk_", 0) != 0 || e.path().extension() != ".json") continue;
        auto text = readFileText(e.path().string());
        if (!text) continue;
        json j = json::parse(text.value(), nullptr, false);
        try {
            if (j.is_discarded()) throw std::runtime_error("parse");
            ChunkRecord r = ChunkRecord::fromJson(j);
            out[r.index] = r;
        } catch (const std::exception&) {
            logWarning("ignoring malformed chunk record " + e.path().string());
        }
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
        if (name.rfind(".tmp_", 0) != 0) continue;
        // .tmp_<pid>_...: only remove files of processes that are gone (or ours).
        const long pid = std::atol(name.c_str() + 5);
        if (pid == ::getpid() || (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0)) fs::remove(e.path(), ec);
    }
}

}  // namespace vfi::pipeline
