// Several devices in one job and the session guards around it (issue 12), end to end through tlbvfi:
//  - a range lock dies with its process: a run killed with SIGKILL whose parent does not reap it (a
//    zombie, whose pid still answers kill(pid, 0)) is resumed by an immediate rerun, and the output
//    equals an uninterrupted run's frames (FFV1, blend);
//  - a session records the checkpoint's SHA-256 and refuses to continue with another file (one byte
//    of a weight tensor changed), naming both hashes.
#include <QCryptographicHash>
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

QStringList tinyModelArgs(int threads = 1) {
    const QString g = QString::fromStdString(goldenDir());
    return {"--backend", "tlbvfi", "--model", g + "/tiny.pth", "--config", g + "/tiny-config.json", "--steps", "3",
            "--threads", QString::number(threads), "--min-free-gb", "0", "--scene-threshold", "0"};
}

QString sha256Of(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QString::fromLatin1(h.result().toHex());
}

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

    // Issue 12 §4. Before: the identity held "weights=not-loaded" only, and the resume was accepted.
    void otherCheckpointIsRefused() {
        const std::string tiny = goldenDir() + "/tiny.pth", changed = m_tmp.file("tiny_changed.pth");
        fs::copy_file(tiny, changed);
        fs::permissions(changed, fs::perms::owner_read | fs::perms::owner_write);
        {
            // Byte 500000 lies in the stored tensor tiny/data/102 (221184 bytes from offset ~426250):
            // its lowest bit changes one weight's last mantissa bit.
            std::fstream f(changed, std::ios::in | std::ios::out | std::ios::binary);
            f.seekg(500000);
            char c = 0;
            f.read(&c, 1);
            c = static_cast<char>(c ^ 1);
            f.seekp(500000);
            f.write(&c, 1);
        }
        GenSpec g;
        g.width = 160;
        g.height = 90;
        g.frames = 3;
        const std::string src = m_tmp.file("ckpt_src.mp4"), session = m_tmp.file("ckpt.session");
        VERIFY_OK(generate(src, g));
        auto args = [&](const std::string& model) {
            QStringList a{"interpolate", QString::fromStdString(src), "--session", QString::fromStdString(session), "--range", "0:",
                          "--encoder", "ffv1"};
            a += tinyModelArgs();
            a[a.indexOf("--model") + 1] = QString::fromStdString(model);
            return a;
        };
        auto first = runCli(args(tiny), 600000);
        CHECK_RUN(first, 0);
        auto other = runCli(args(changed), 600000);
        CHECK_RUN(other, 6);
        const QString a = sha256Of(tiny), b = sha256Of(changed);
        QVERIFY(!a.isEmpty() && a != b);
        QVERIFY2(other.stdErr.contains("sha256:" + a) && other.stdErr.contains("sha256:" + b), qPrintable(other.stdErr));
        auto again = runCli(args(tiny), 600000);
        CHECK_RUN(again, 0);
        QVERIFY2(again.stdOut.contains("chunks resumed: 1"), qPrintable(again.stdOut));
    }
};

QTEST_GUILESS_MAIN(TestE2eDevices)
#include "test_e2e_devices.moc"
