// Several devices in one job and the session guards around it (issue 12), end to end through tlbvfi:
//  - a range lock dies with its process: a run killed with SIGKILL whose parent does not reap it (a
//    zombie, whose pid still answers kill(pid, 0)) is resumed by an immediate rerun, and the output
//    equals an uninterrupted run's frames (FFV1, blend).
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "model/golden_support.h"
#include "support/cli_run.h"
#include "support/media_gen.h"
#include "support/result_check.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> hashes(const std::string& path) {
    std::vector<std::string> out;
    auto h = frameHashes(path);
    if (!h) return {"error: " + h.error().message};
    for (const auto& f : h->frames) out.push_back(f.hash);
    return out;
}

// Starts $VFI_CLI with args and extra environment entries, without ever reaping it here: the caller
// decides when (a parent that does not reap, as PID 1 in many containers).
pid_t spawnUnreaped(const QStringList& args, const std::vector<std::string>& env) {
    std::vector<std::string> argv{cliPath().toStdString()};
    for (const auto& a : args) argv.push_back(a.toStdString());
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
}

// Waits until the child has exited, leaving it a zombie (WNOWAIT: not reaped).
bool waitZombie(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0;
}

}  // namespace

class TestE2eDevices : public QObject {
    Q_OBJECT
private:
    TempDir m_tmp;
    std::string m_src;

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi");
        GenSpec g;
        g.width = 160;
        g.height = 90;
        g.frames = 25;
        m_src = m_tmp.file("src.mp4");
        VERIFY_OK(generate(m_src, g));
    }

    // Issue 12 §3. Before: "session ... is in use by process N" until the zombie was reaped.
    void killedZombieLockIsStale() {
        const QStringList extra{"--encoder", "ffv1", "--chunk-frames", "4", "--min-free-gb", "0"};
        const std::string ref = m_tmp.file("zombie_ref.mkv"), out = m_tmp.file("zombie.mkv");
        auto r = runCli(outputArgs(m_src, ref, extra));
        CHECK_RUN(r, 0);
        const pid_t pid = spawnUnreaped(outputArgs(m_src, out, extra), {"VFI_TEST_KILL_AT=mid-encode", "VFI_TEST_KILL_CHUNK=3"});
        QVERIFY(pid > 0);
        QVERIFY(waitZombie(pid));
        QCOMPARE(::kill(pid, 0), 0);   // the zombie still "exists" for kill(pid, 0)
        const std::string session = out + ".tlbvfi";
        bool lockLeft = false;
        for (const auto& e : fs::directory_iterator(session))
            lockLeft |= e.path().filename().string().rfind("lock_", 0) == 0;
        QVERIFY(lockLeft);
        auto rerun = runCli(outputArgs(m_src, out, extra));
        ::waitpid(pid, nullptr, 0);
        CHECK_RUN(rerun, 0);
        QVERIFY2(rerun.stdOut.contains("chunks resumed: 3"), qPrintable(rerun.stdOut));
        QCOMPARE(hashes(out), hashes(ref));
    }
};

QTEST_GUILESS_MAIN(TestE2eDevices)
#include "test_e2e_devices.moc"
