// Shared by the fuzz targets: a file holding the fuzzer's bytes, for readers that take a path (the
// checkpoint reader, the .npy reader, the session loaders). A memfd (no disk I/O), reached through
// /proc/self/fd/N, rewritten for every input.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace vfi::fuzz {

class MemFile {
public:
    explicit MemFile(const char* name) : m_fd(::memfd_create(name, MFD_CLOEXEC)) {
        if (m_fd < 0) std::abort();
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    ~MemFile() { ::close(m_fd); }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;

    const std::string& path() const { return m_path; }
    void set(const uint8_t* data, size_t size) const {
        if (::ftruncate(m_fd, 0) != 0) std::abort();
        size_t off = 0;
        while (off < size) {
            const ssize_t n = ::pwrite(m_fd, data + off, size - off, static_cast<off_t>(off));
            if (n <= 0) std::abort();
            off += static_cast<size_t>(n);
        }
    }

private:
    int m_fd;
    std::string m_path;
};

}  // namespace vfi::fuzz
