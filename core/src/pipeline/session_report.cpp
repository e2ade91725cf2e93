#include "vfi/session_report.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "pipeline/file_util.h"
#include "pipeline/json_fields.h"
#include "pipeline/job_context.h"
#include "pipeline/session_lock.h"

namespace vfi {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Modification time in seconds since the epoch (sub-second), -1 when the file is gone.
double mtimeUnix(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
}

double nowUnixSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

SessionLockInfo readLock(const fs::path& p, double now) {
    SessionLockInfo l;
    l.file = p.filename().string();
    // The name holds the range even when the content cannot be read.
    std::sscanf(l.file.c_str(), "lock_%d-%d.json", &l.firstChunk, &l.lastChunk);
    auto text = pipeline::readFileText(p.string());
    const json j = text ? json::parse(text.value(), nullptr, false) : json();
    if (j.is_object()) {
        auto str = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string(); };
        auto num = [&](std::initializer_list<const char*> keys, int64_t def) {
            for (const char* k : keys)
                if (j.contains(k) && j[k].is_number_integer()) return pipeline::integerOrLenient<int64_t>(j, k, def);
            return def;
        };
        l.host = str("host");
        l.pid = static_cast<long>(num({"pid"}, 0));
        l.firstChunk = static_cast<int>(num({"first", "firstChunk"}, l.firstChunk));
        l.lastChunk = static_cast<int>(num({"last", "lastChunk"}, l.lastChunk));
        l.startedUnix = num({"started"}, 0);
        if (j.contains("devices") && j["devices"].is_array()) {
            for (const auto& d : j["devices"])
                if (d.is_string()) l.devices += (l.devices.empty() ? "" : ",") + d.get<std::string>();
        } else {
            l.devices = str("devices");
        }
    }
    const double m = mtimeUnix(p.string());
    l.heartbeatAgeSeconds = m < 0 ? 0 : std::max(0.0, now - m);
    l.thisHost = !l.host.empty() && l.host == pipeline::hostName();
    l.live = !l.host.empty() && pipeline::lockIsLive(p.string(), l.host, l.heartbeatAgeSeconds);
    return l;
}

bool safeJobId(const std::string& id) {
    return !id.empty() && id.size() < 32 && std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Output lines of `command` (stderr discarded); empty when it cannot run or prints nothing.
std::vector<std::string> commandLines(const std::string& command) {
    std::vector<std::string> out;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen((command + " 2>/dev/null").c_str(), "r"), ::pclose);
    if (!pipe) return out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe.get())) {
        std::string line(buf);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
        const size_t first = line.find_first_not_of(' ');
        if (first != std::string::npos) out.push_back(line.substr(first));
    }
    return out;
}

// "RUNNING" for one state; "RUNNING 2, PENDING 1" over an array's elements (in first-seen order).
std::string summariseStates(const std::vector<std::string>& states) {
    std::vector<std::pair<std::string, int>> counts;
    for (std::string s : states) {
        if (const size_t sp = s.find(' '); sp != std::string::npos) s = s.substr(0, sp);   // "CANCELLED by 0"
        if (s.empty()) continue;
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == s; });
        if (it == counts.end()) counts.emplace_back(s, 1);
        else ++it->second;
    }
    if (counts.size() == 1 && counts.front().second == 1) return counts.front().first;
    std::string out;
    for (const auto& [s, n] : counts) out += (out.empty() ? "" : ", ") + s + " " + std::to_string(n);
    return out;
}

}  // namespace

int SessionReport::liveLocks() const {
    return static_cast<int>(std::count_if(locks.begin(), locks.end(), [](const SessionLockInfo& l) { return l.live; }));
}

Result<SessionReport> readSessionReport(const std::string& dir, int64_t nowUnix) {
    std::error_code ec;
    if (!fs::exists(fs::path(dir) / "session.json", ec))
        return makeError(ErrorCode::SessionIncomplete, "no session in " + dir + " (session.json is missing)", {dir});
    VFI_ASSIGN_OR_RETURN(pipeline::Session s, pipeline::Session::open(dir));
    VFI_ASSIGN_OR_RETURN(const pipeline::ChunkPlan plan, pipeline::planFor(s));
    const double now = nowUnix > 0 ? static_cast<double>(nowUnix) : nowUnixSeconds();
    SessionReport r;
    r.sessionDir = s.dir();
    r.inputPath = s.identity().inputPath;
    r.chunksTotal = plan.chunkCount();
    r.sourceFrames = plan.sourceFrames();
    r.outputFramesTotal = plan.outputFrames();

    // Finished chunks with their record's time (the record is written last, after the chunk).
    std::vector<std::pair<double, int64_t>> finished;   // (mtime, output frames)
    const auto records = s.scanRecords();
    for (const auto& [k, rec] : records) {
        if (k < 0 || k >= plan.chunkCount()) continue;
        ++r.chunksDone;
        r.bytes += rec.bytes;
        r.outputFramesDone += plan.chunk(k).outputCount();
        const double m = mtimeUnix(s.recordPath(k));
        if (m > 0) finished.emplace_back(m, plan.chunk(k).outputCount());
    }
    for (int k = 0; k < plan.chunkCount(); ++k) {
        if (records.count(k)) continue;
        if (!r.missing.empty() && r.missing.back().lastChunk == k - 1) {
            r.missing.back().lastChunk = k;
            r.missing.back().sourceEnd = plan.chunk(k).sourceEnd;
        } else {
            r.missing.push_back({k, k, plan.chunk(k).sourceBegin, plan.chunk(k).sourceEnd});
        }
    }

    std::sort(finished.begin(), finished.end());
    if (!finished.empty()) {
        r.firstRecordUnix = static_cast<int64_t>(finished.front().first);
        r.lastRecordUnix = static_cast<int64_t>(finished.back().first);
        // Frames finished after the window's first record, over the time since it.
        const double newest = finished.back().first;
        size_t first = finished.size() - 1;
        while (first > 0 && finished[first - 1].first >= newest - 3600) --first;
        int64_t frames = 0;
        for (size_t i = first + 1; i < finished.size(); ++i) frames += finished[i].second;
        const double span = newest - finished[first].first;
        if (frames > 0 && span > 0) r.outputFramesPerSecond = static_cast<double>(frames) / span;
    }
    if (!r.complete() && r.outputFramesPerSecond > 0)
        r.etaSeconds = static_cast<double>(r.outputFramesTotal - r.outputFramesDone) / r.outputFramesPerSecond;

    {
        // Acquirers probe and take lock files under an exclusive flock of `.locks`; reading under a
        // shared one keeps this probe out of their way (never created here: status only reads).
        const int guard = ::open((fs::path(dir) / ".locks").c_str(), O_RDONLY | O_CLOEXEC);
        if (guard >= 0) ::flock(guard, LOCK_SH);
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            const std::string name = e.path().filename().string();
            if (name.rfind("lock_", 0) == 0 && e.path().extension() == ".json") r.locks.push_back(readLock(e.path(), now));
        }
        if (guard >= 0) ::close(guard);
    }
    std::sort(r.locks.begin(), r.locks.end(), [](const auto& a, const auto& b) { return a.firstChunk < b.firstChunk; });

    for (const auto& e : fs::directory_iterator(fs::path(dir) / "slurm", ec)) {
        const std::string name = e.path().filename().string();
        const size_t us = name.find('_');
        if (us == std::string::npos) continue;
        SlurmJobRecord j{name.substr(0, us), name.substr(us + 1), static_cast<int64_t>(std::max(0.0, mtimeUnix(e.path().string()))), ""};
        if ((j.kind == "render" || j.kind == "join") && safeJobId(j.id)) r.slurmJobs.push_back(j);
    }
    std::sort(r.slurmJobs.begin(), r.slurmJobs.end(), [](const auto& a, const auto& b) {
        return a.recordedUnix != b.recordedUnix ? a.recordedUnix < b.recordedUnix : std::stoll(a.id) < std::stoll(b.id);
    });
    return r;
}

void querySlurmStates(std::vector<SlurmJobRecord>& jobs) {
    for (SlurmJobRecord& j : jobs) {
        if (!safeJobId(j.id)) continue;
        // -r: one line per array element, pending ones included.
        auto states = commandLines("squeue -h -r -t all -j " + j.id + " -o %T");
        if (states.empty()) states = commandLines("sacct -n -X -P -j " + j.id + " -o State");
        j.state = summariseStates(states);
    }
}

Status recordSlurmJob(const std::string& sessionDir, const std::string& kind, const std::string& id) {
    if (!safeJobId(id)) return makeError(ErrorCode::InvalidArgument, "not a Slurm job id: '" + id + "'", {id});
    const fs::path dir = fs::path(sessionDir) / "slurm";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message(), {dir.string()});
    return pipeline::writeFileAtomic((dir / (kind + "_" + id)).string(), json({{"kind", kind}, {"id", id}}).dump() + "\n");
}

std::string sessionReportJson(const SessionReport& r) {
    json locks = json::array(), missing = json::array(), jobs = json::array();
    for (const auto& l : r.locks)
        locks.push_back({{"file", l.file}, {"host", l.host}, {"pid", l.pid}, {"devices", l.devices}, {"firstChunk", l.firstChunk},
                         {"lastChunk", l.lastChunk}, {"started", l.startedUnix > 0 ? json(l.startedUnix) : json()},
                         {"heartbeatAgeSeconds", l.heartbeatAgeSeconds}, {"thisHost", l.thisHost}, {"live", l.live}});
    for (const auto& m : r.missing)
        missing.push_back({{"firstChunk", m.firstChunk}, {"lastChunk", m.lastChunk}, {"sourceBegin", m.sourceBegin}, {"sourceEnd", m.sourceEnd}});
    for (const auto& j : r.slurmJobs)
        jobs.push_back({{"kind", j.kind}, {"id", j.id}, {"recorded", j.recordedUnix}, {"state", j.state.empty() ? json() : json(j.state)}});
    const json out = {
        {"session", r.sessionDir},
        {"input", r.inputPath},
        {"complete", r.complete()},
        {"chunks", {{"done", r.chunksDone}, {"total", r.chunksTotal}}},
        {"outputFrames", {{"done", r.outputFramesDone}, {"total", r.outputFramesTotal}}},
        {"sourceFrames", r.sourceFrames},
        {"bytes", r.bytes},
        {"missing", missing},
        {"locks", locks},
        {"outputFramesPerSecond", r.outputFramesPerSecond > 0 ? json(r.outputFramesPerSecond) : json()},
        {"etaSeconds", r.etaSeconds >= 0 ? json(r.etaSeconds) : json()},
        {"firstRecord", r.firstRecordUnix > 0 ? json(r.firstRecordUnix) : json()},
        {"lastRecord", r.lastRecordUnix > 0 ? json(r.lastRecordUnix) : json()},
        {"slurmJobs", jobs},
    };
    return out.dump(2);
}

std::vector<int> partsWithMissingChunks(const SessionReport& r, int parts) {
    std::vector<int> out;
    if (parts < 1) return out;
    const int64_t c = r.chunksTotal;
    for (int k = 0; k < parts; ++k) {
        const int64_t a = k * c / parts, b = (k + 1) * c / parts;   // chunks [a, b), as ChunkPlan::chunksForPart
        for (const auto& m : r.missing)
            if (m.firstChunk < b && a <= m.lastChunk) {
                out.push_back(k);
                break;
            }
    }
    return out;
}

}  // namespace vfi
