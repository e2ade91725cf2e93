#include "pipeline/file_util.h"

#include <atomic>
#include <functional>
#include <thread>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <vector>

extern "C" {
#include <libavutil/mem.h>
#include <libavutil/murmur3.h>
#include <libavutil/sha.h>
}

namespace vfi::pipeline {

namespace fs = std::filesystem;

namespace {
constexpr const char* kContentHashPrefix = "murmur3-128:";

Error ioError(const std::string& path, const std::string& what) {
    const int saved = errno;
    const std::string err = std::strerror(saved);
    // Also a full disk's fsync (delayed allocation) and rename (a new directory block) end up here.
    if (saved == ENOSPC || saved == EDQUOT) return makeError(ErrorCode::DiskFull, what + " " + path + ": " + err, {"", "", ""});
    return makeError(ErrorCode::Io, what + " " + path + ": " + err, {path, err});
}



std::string hexOf(const uint8_t* bytes, size_t n) {
    static const char* k = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (size_t i = 0; i < n; ++i) {
        s += k[bytes[i] >> 4];
        s += k[bytes[i] & 15];
    }
    return s;
}

struct ShaCtx {
    AVSHA* sha = av_sha_alloc();
    ShaCtx() { av_sha_init(sha, 256); }
    ~ShaCtx() { av_free(sha); }
    void update(const void* d, size_t n) { av_sha_update(sha, static_cast<const uint8_t*>(d), n); }
    std::string hex() {
        uint8_t out[32];
        av_sha_final(sha, out);
        return hexOf(out, sizeof out);
    }
};

// Feeds the whole file to `consume` in 1 MiB blocks; a consumer returning false stops it (Cancelled).
Status readBlocks(const std::string& path, const std::function<bool(const uint8_t*, size_t)>& consume) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "cannot read " + path, {path, "open failed"});
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0 && !consume(reinterpret_cast<const uint8_t*>(buf.data()), static_cast<size_t>(in.gcount())))
            return makeError(ErrorCode::Cancelled, "reading " + path + " was cancelled");
    }
    if (in.bad()) return makeError(ErrorCode::Io, "read error in " + path, {path, "read failed"});
    return {};
}
}  // namespace

Status fsyncFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return ioError(path, "cannot open");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return ioError(path, "cannot fsync");
    return {};
}

Status fsyncDir(const std::string& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return ioError(dir, "cannot open directory");
    ::fsync(fd);   // some filesystems refuse fsync on directories; the rename is still ordered
    ::close(fd);
    return {};
}

Status renameDurable(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) return ioError(to, "cannot rename " + from + " to");
    return fsyncDir(fs::path(to).parent_path().string());
}

Status writeFileAtomic(const std::string& path, const std::string& content) {
    // Unique per process, thread and call: several chunk workers of one process write the manifest
    // and records concurrently, and a name by pid alone made them write into one temporary file.
    static std::atomic<uint64_t> counter{0};
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                            std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 1000000007ULL) + "-" +
                            std::to_string(counter.fetch_add(1));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return ioError(tmp, "cannot create");
    size_t off = 0;
    while (off < content.size()) {
        const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            Error e = ioError(tmp, "cannot write");
            ::close(fd);
            ::unlink(tmp.c_str());
            return e;
        }
        off += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
        Error e = ioError(tmp, "cannot fsync");
        ::close(fd);
        ::unlink(tmp.c_str());
        return e;
    }
    ::close(fd);
    return renameDurable(tmp, path);
}

Result<std::string> readFileText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "cannot read " + path, {path, "open failed"});
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string sha256Hex(const void* data, size_t size) {
    ShaCtx c;
    c.update(data, size);
    return c.hex();
}

Result<std::string> sha256File(const std::string& path) { return sha256File(path, {}); }

Result<std::string> sha256File(const std::string& path, const std::function<bool(int64_t)>& onProgress) {
    ShaCtx c;
    int64_t done = 0;
    VFI_TRY(readBlocks(path, [&](const uint8_t* d, size_t n) {
        c.update(d, n);
        done += static_cast<int64_t>(n);
        return !onProgress || onProgress(done);
    }));
    return c.hex();
}

Result<std::string> contentHashFile(const std::string& path) {
    std::unique_ptr<AVMurMur3, void (*)(AVMurMur3*)> mm(av_murmur3_alloc(), [](AVMurMur3* m) { av_free(m); });
    if (!mm) return makeError(ErrorCode::Internal, "av_murmur3_alloc failed", {"out of memory"});
    av_murmur3_init(mm.get());
    VFI_TRY(readBlocks(path, [&](const uint8_t* d, size_t n) {
        av_murmur3_update(mm.get(), d, n);
        return true;
    }));
    uint8_t out[16];
    av_murmur3_final(mm.get(), out);
    return kContentHashPrefix + hexOf(out, sizeof out);
}

bool fileMatchesContentHash(const std::string& path, const std::string& recorded) {
    const bool legacySha256 = recorded.size() == 64 && recorded.find(':') == std::string::npos;
    auto h = legacySha256 ? sha256File(path) : contentHashFile(path);
    return h && !recorded.empty() && h.value() == recorded;
}

Result<std::string> headTailHash(const std::string& path, int64_t bytes) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return makeError(ErrorCode::Io, "cannot read " + path, {path, "open failed"});
    const int64_t size = static_cast<int64_t>(in.tellg());
    ShaCtx c;
    c.update(&size, sizeof size);
    std::vector<char> buf(static_cast<size_t>(std::min(bytes, size)));
    in.seekg(0);
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    c.update(buf.data(), static_cast<size_t>(in.gcount()));
    in.clear();
    in.seekg(size - static_cast<int64_t>(buf.size()));
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    c.update(buf.data(), static_cast<size_t>(in.gcount()));
    return c.hex();
}

int64_t freeDiskBytes(const std::string& pathInVolume) {
    fs::path p(pathInVolume.empty() ? "." : pathInVolume);
    std::error_code ec;
    while (!p.empty() && !fs::exists(p, ec)) p = p.parent_path();
    struct statvfs st {};
    if (::statvfs(p.empty() ? "." : p.c_str(), &st) != 0) return -1;
    return static_cast<int64_t>(st.f_bavail) * static_cast<int64_t>(st.f_frsize);
}

std::string megabytes(int64_t bytes) {
    char buf[32];
    if (bytes < 100000) std::snprintf(buf, sizeof buf, "%.0f kB", static_cast<double>(bytes) / 1e3);
    else std::snprintf(buf, sizeof buf, bytes < 10000000 ? "%.1f MB" : "%.0f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

Error completeDiskFull(Error e, const std::string& pathInVolume, int64_t neededBytes) {
    if (e.code != ErrorCode::DiskFull) return e;
    e.args.resize(3);
    if (!e.args[0].empty()) return e;   // already complete (the disk guard's own message)
    const int64_t freeBytes = freeDiskBytes(pathInVolume);
    e.args = {pathInVolume, neededBytes >= 0 ? std::to_string(neededBytes) : "", freeBytes >= 0 ? std::to_string(freeBytes) : ""};
    e.message = "the disk holding " + pathInVolume + " is full (" + e.message + "): " +
                (freeBytes >= 0 ? megabytes(freeBytes) : std::string("unknown")) + " free" +
                (neededBytes >= 0 ? ", about " + megabytes(neededBytes) + " needed" : "") +
                "; free space and rerun the same command to resume (finished chunks are kept)";
    return e;
}

int64_t currentRssBytes() {
    std::ifstream in("/proc/self/statm");
    int64_t pages = 0, rss = 0;
    if (!(in >> pages >> rss)) return 0;
    return rss * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

std::string hostName() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

}  // namespace vfi::pipeline
