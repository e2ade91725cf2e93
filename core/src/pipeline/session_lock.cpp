#include "pipeline/session_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "pipeline/file_util.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool isStale(const fs::path& p, const json& j) {
    const std::string host = j.value("host", "");
    const long pid = j.value("pid", 0L);
    if (host == hostName()) {
        if (pid <= 0) return true;
        if (pid == ::getpid()) return false;
        return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    }
    std::error_code ec;
    const auto mtime = fs::last_write_time(p, ec);
    if (ec) return true;
    const auto age = fs::file_time_type::clock::now() - mtime;
    return age > std::chrono::seconds(SessionLock::kStaleSeconds);
}

struct Flock {
    int fd = -1;
    explicit Flock(const std::string& path) {
        fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
        if (fd >= 0) ::flock(fd, LOCK_EX);
    }
    ~Flock() {
        if (fd >= 0) {
            ::flock(fd, LOCK_UN);
            ::close(fd);
        }
    }
};

}  // namespace

SessionLock::~SessionLock() { release(); }
SessionLock::SessionLock(SessionLock&& o) noexcept : m_path(std::move(o.m_path)) { o.m_path.clear(); }
SessionLock& SessionLock::operator=(SessionLock&& o) noexcept {
    if (this != &o) {
        release();
        m_path = std::move(o.m_path);
        o.m_path.clear();
    }
    return *this;
}

Result<SessionLock> SessionLock::acquire(const std::string& dir, int firstChunk, int lastChunk) {
    Flock guard((fs::path(dir) / ".locks").string());
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
        const int a = j.value("firstChunk", 0), b = j.value("lastChunk", 0);
        if (a <= lastChunk && firstChunk <= b) {
            const std::string host = j.value("host", "?");
            const std::string pid = std::to_string(j.value("pid", 0L));
            return makeError(ErrorCode::SessionLocked,
                             "session " + dir + " is in use by process " + pid + " on " + host +
                                 " (chunks " + std::to_string(a) + "-" + std::to_string(b) +
                                 "); if that process is gone, delete " + e.path().string(),
                             {host, pid});
        }
    }
    const std::string path =
        (fs::path(dir) / ("lock_" + std::to_string(firstChunk) + "-" + std::to_string(lastChunk) + ".json")).string();
    json j = {{"host", hostName()}, {"pid", static_cast<long>(::getpid())}, {"firstChunk", firstChunk}, {"lastChunk", lastChunk}};
    VFI_TRY(writeFileAtomic(path, j.dump()));
    SessionLock lock;
    lock.m_path = path;
    return lock;
}

void SessionLock::touch() {
    if (m_path.empty()) return;
    std::error_code ec;
    fs::last_write_time(m_path, fs::file_time_type::clock::now(), ec);
}

void SessionLock::release() {
    if (m_path.empty()) return;
    std::error_code ec;
    fs::remove(m_path, ec);
    m_path.clear();
}

}  // namespace vfi::pipeline
