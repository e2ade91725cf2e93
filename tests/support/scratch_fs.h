// Real filesystems made by a test: a small tmpfs (to fill it: ENOSPC for real) or a read-only one
// (EROFS: an unwritable folder also for root, who ignores permission bits). Mounting needs root with
// CAP_SYS_ADMIN; the first mount moves the test process into a private mount namespace, so every
// mount it makes is invisible to the rest of the machine and disappears when the process ends, even
// if the test crashes. Child processes (the CLI) inherit the namespace and see the mounts.
// Where mounting is not allowed (no root, a container without CAP_SYS_ADMIN), the test skips with
// a message saying so (SKIP_WITHOUT_MOUNT below), and scripts/run-tests.sh lists such skips at the end.
#pragma once

#include <QString>
#include <QtTest>

#include <cstdint>
#include <string>

namespace vfi::test {

// A tmpfs of `bytes` mounted at `dir` (created if missing) for the object's lifetime; unmounted
// (lazily) on destruction. Declare it after the TempDir holding `dir`, so it goes first.
class ScratchMount {
public:
    ScratchMount(const std::string& dir, int64_t bytes, bool readOnly = false);
    ~ScratchMount();
    ScratchMount(const ScratchMount&) = delete;
    ScratchMount& operator=(const ScratchMount&) = delete;

    bool ok() const { return m_why.isEmpty(); }
    const QString& whyNot() const { return m_why; }   // empty when mounted
    const std::string& dir() const { return m_dir; }
    int64_t freeBytes() const;                        // statvfs f_bavail * f_frsize

    // Fills the filesystem with a file `name` until fewer than `leaveBytes` are free (ENOSPC is the
    // end of the fill, not an error). Returns the bytes written.
    int64_t fill(const std::string& name, int64_t leaveBytes = 0) const;

private:
    std::string m_dir;
    QString m_why;
};

// Each skip is also appended, with the test's name, to $VFI_TEST_TMP/skipped-mount-checks.txt, which
// scripts/run-tests.sh prints at the end of the run (CTest shows no output of passing suites).
void recordMountSkip(const QString& why);

}  // namespace vfi::test

// In a test slot: skips the slot, loudly, when `mount` (a ScratchMount) could not be made.
#define SKIP_WITHOUT_MOUNT(mount)                                                                            \
    do {                                                                                                     \
        if (!(mount).ok()) {                                                                                 \
            const QString skipWhy_ = QStringLiteral("SKIPPED %1: this check needs a real filesystem mounted by " \
                                                    "the test (root with CAP_SYS_ADMIN): %2")                \
                                         .arg(QLatin1String(QTest::currentTestFunction()), (mount).whyNot()); \
            vfi::test::recordMountSkip(skipWhy_);                                                            \
            QSKIP(qPrintable(skipWhy_));                                                                     \
        }                                                                                                    \
    } while (0)
