#include "pipeline/session_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "pipeline/file_util.h"
#include "pipeline/json_fields.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool isStale(const fs::path& p, const json& j) {
    std::error_code ec;
    const auto mtime = fs::last_write_time(p, ec);
    if (ec) return true;
    const double age = std::chrono::duration<double>(fs::file_time_type::clock::now() - mtime).count();
    return !lockIsLive(p.string(), stringOrLenient(j, "host", ""), age);
}

struct DirGuard {
    int fd = -1;
    explicit DirGuard(const std::string& path) {
        fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) ::flock(fd, LOCK_EX);
    }
    ~DirGuard() {
        if (fd >= 0) ::close(fd);
    }
};

std::chrono::milliseconds heartbeatInterval() {
    if (const char* e = std::getenv("VFI_LOCK_HEARTBEAT_MS"); e && std::atol(e) > 0) return std::chrono::milliseconds(std::atol(e));
    return std::chrono::seconds(SessionLock::kHeartbeatSeconds);
}

}  // namespace

bool lockIsLive(const std::string& path, const std::string& host, double heartbeatAgeSeconds) {
    if (host == hostName()) {
        // The kernel drops a flock when its holder dies, also while it is an unreaped zombie whose pid
        // still answers kill(pid, 0).
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
        ::close(fd);   // also drops the probe's flock if it got one
        return held;
    }
    return heartbeatAgeSeconds <= SessionLock::kStaleSeconds;
}

// The held lock: its file, the open descriptor carrying the flock, and the heartbeat thread.
struct SessionLock::Held {
    std::string path;
    int fd = -1;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::thread heartbeat;

    void touch() {
        std::error_code ec;
        fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
    }
    void start() {
        heartbeat = std::thread([this, every = heartbeatInterval()] {
            std::unique_lock lk(mutex);
            while (!wake.wait_for(lk, every, [this] { return stopping; })) touch();
        });
    }
    ~Held() {
        {
            std::lock_guard lk(mutex);
            stopping = true;
        }
        wake.notify_all();
        if (heartbeat.joinable()) heartbeat.join();
        // Remove the file before dropping the flock: a scanner that finds the flock free then finds
        // no file (or a new holder's) instead of deleting a live lock.
        std::error_code ec;
        fs::remove(path, ec);
        if (fd >= 0) ::close(fd);
    }
};

SessionLock::SessionLock() = default;
SessionLock::~SessionLock() { release(); }
SessionLock::SessionLock(SessionLock&& o) noexcept = default;
SessionLock& SessionLock::operator=(SessionLock&& o) noexcept {
    if (this != &o) {
        release();
        m_held = std::move(o.m_held);
    }
    return *this;
}

Result<SessionLock> SessionLock::acquire(const std::string& dir, int firstChunk, int lastChunk,
                                         const std::vector<std::string>& devices) {
    DirGuard guard((fs::path(dir) / ".locks").string());
    if (guard.fd < 0) return makeError(ErrorCode::Io, "cannot create the lock file in " + dir, {dir, "open"});
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("lock_", 0) != 0 || e.path().extension() != ".json") continue;
        auto text = readFileText(e.path().string());
        json j = text ? json::parse(text.value(), nullptr, false) : json();
        if (j.is_discarded() || !j.is_object() || isStale(e.path(), j)) {
            fs::remove(e.path(), ec);
            continue;
        }
        // "firstChunk"/"lastChunk": locks written by earlier builds.
        const int a = integerOrLenient<int>(j, "first", integerOrLenient<int>(j, "firstChunk", 0));
        const int b = integerOrLenient<int>(j, "last", integerOrLenient<int>(j, "lastChunk", 0));
        if (a <= lastChunk && firstChunk <= b) {
            const std::string host = stringOrLenient(j, "host", "?");
            const std::string pid = std::to_string(integerOrLenient<int64_t>(j, "pid", 0));
            return makeError(ErrorCode::SessionLocked,
                             "session " + dir + " is in use by process " + pid + " on " + host + " (chunks " +
                                 std::to_string(a) + "-" + std::to_string(b) + "); if that process is gone, delete " +
                                 e.path().string(),
                             {host, pid});
        }
    }
    const std::string path =
        (fs::path(dir) / ("lock_" + std::to_string(firstChunk) + "-" + std::to_string(lastChunk) + ".json")).string();
    const auto started = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    json j = {{"host", hostName()}, {"pid", static_cast<long>(::getpid())}, {"devices", devices},
              {"first", firstChunk}, {"last", lastChunk}, {"started", static_cast<int64_t>(started)}};
    VFI_TRY(writeFileAtomic(path, j.dump()));
    auto held = std::make_unique<Held>();
    held->path = path;
    held->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (held->fd < 0 || ::flock(held->fd, LOCK_EX | LOCK_NB) != 0)
        return makeError(ErrorCode::Io, "cannot lock " + path, {path, "flock"});   // ~Held removes the file
    held->start();
    SessionLock lock;
    lock.m_held = std::move(held);
    return lock;
}

void SessionLock::touch() {
    if (m_held) m_held->touch();
}

void SessionLock::release() { m_held.reset(); }

const std::string& SessionLock::path() const {
    static const std::string none;
    return m_held ? m_held->path : none;
}

}  // namespace vfi::pipeline
