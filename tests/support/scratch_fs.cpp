// ScratchMount: tmpfs mounts in a private mount namespace (see scratch_fs.h).
#include "support/scratch_fs.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <vector>

#include <QCoreApplication>
#include <QFile>

namespace vfi::test {

namespace {

QString sysError(const char* what) { return QStringLiteral("%1: %2").arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno))); }

// Once per process; "" on success. The namespace belongs to the calling thread's task: tests call
// this from the main thread, which is also the one that starts the CLI processes.
QString privateNamespace() {
    static std::once_flag once;
    static QString why;
    std::call_once(once, [] {
        if (::geteuid() != 0) {
            why = QStringLiteral("not running as root");
            return;
        }
        if (::unshare(CLONE_NEWNS) != 0) {
            why = sysError("unshare(CLONE_NEWNS)");
            return;
        }
        // Without this, mounts below a shared mount would propagate back to the host namespace.
        if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) why = sysError("making / private");
    });
    return why;
}

}  // namespace

ScratchMount::ScratchMount(const std::string& dir, int64_t bytes, bool readOnly) : m_dir(dir) {
    m_why = privateNamespace();
    if (!m_why.isEmpty()) return;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string opts = "size=" + std::to_string(bytes) + ",mode=0755";
    if (::mount("tmpfs", dir.c_str(), "tmpfs", readOnly ? MS_RDONLY : 0, opts.c_str()) != 0) m_why = sysError("mount -t tmpfs");
}

ScratchMount::~ScratchMount() {
    if (ok()) ::umount2(m_dir.c_str(), MNT_DETACH);
}

void recordMountSkip(const QString& why) {
    QString dir = qEnvironmentVariable("VFI_TEST_TMP");
    if (dir.isEmpty()) return;
    QFile f(dir + QStringLiteral("/skipped-mount-checks.txt"));
    if (f.open(QIODevice::Append | QIODevice::Text)) f.write((QCoreApplication::applicationName() + QStringLiteral(": ") + why + '\n').toUtf8());
}

int64_t ScratchMount::freeBytes() const {
    struct statvfs st {};
    if (::statvfs(m_dir.c_str(), &st) != 0) return -1;
    return static_cast<int64_t>(st.f_bavail) * static_cast<int64_t>(st.f_frsize);
}

int64_t ScratchMount::fill(const std::string& name, int64_t leaveBytes) const {
    const std::string path = m_dir + "/" + name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return 0;
    std::vector<char> block(64 * 1024, 'x');
    int64_t written = 0;
    while (freeBytes() > leaveBytes) {
        const int64_t room = freeBytes() - leaveBytes;
        const size_t n = static_cast<size_t>(std::min<int64_t>(room, static_cast<int64_t>(block.size())));
        const ssize_t w = ::write(fd, block.data(), n);
        if (w <= 0) break;   // ENOSPC: full
        written += w;
    }
    ::close(fd);
    return written;
}

}  // namespace vfi::test
