// Several devices in one job and the session guards around it (issue 12), end to end through tlbvfi:
//  - a range lock dies with its process: a run killed with SIGKILL whose parent does not reap it (a
//    zombie, whose pid still answers kill(pid, 0)) is resumed by an immediate rerun, and the output
//    equals an uninterrupted run's frames (FFV1, blend);
//  - a session records the checkpoint's SHA-256 and refuses to continue with another file (one byte
//    of a weight tensor changed), naming both hashes;
//  - --devices cpu,cpu (two chunk workers) renders chunk files byte-identical to --device cpu, with
//    the blend and with the golden tiny TLB-VFI checkpoint; a session moves between device counts
//    (killed on two workers, resumed on one, and the reverse); a device failure injected into one
//    worker stops the job resumably (exit 5) naming the device, keeps every finished chunk, and the
//    rerun finishes with the same frames; pause-and-free and cancel reach every worker (JobRunner
//    with one counting interpolator per worker), and the progress has one entry per device.
#include <QCryptographicHash>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include "model/golden_support.h"
#include "support/cli_run.h"
#include "support/media_gen.h"
#include "support/counting_interpolator.h"
#include "support/result_check.h"
#include "vfi/job_runner.h"

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

// The chunk media files of a session folder, name -> bytes.
std::map<std::string, std::string> chunkBytes(const std::string& session) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(session, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("chunk_", 0) != 0 || e.path().extension() == ".json") continue;
        std::ifstream in(e.path(), std::ios::binary);
        out[name] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return out;
}

int recordCount(const std::string& session) {
    int n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(session, ec))
        n += e.path().filename().string().rfind("chunk_", 0) == 0 && e.path().extension() == ".json";
    return n;
}

class ProgressLog : public JobObserver {
public:
    void onProgress(const Progress& p) override {
        std::lock_guard lk(m_mutex);
        last = p;
    }
    Progress snapshot() {
        std::lock_guard lk(m_mutex);
        return last;
    }

private:
    std::mutex m_mutex;
    Progress last;
};

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
        QCOMPARE(frameHashList(out), frameHashList(ref));
    }

    // Blend: chunk files of two CPU workers equal one worker's byte for byte; the joined frames too.
    void blendTwoWorkersEqualOne() {
        const QStringList extra{"--encoder", "ffv1", "--chunk-frames", "2", "--keep-chunks", "--min-free-gb", "0"};
        const std::string one = m_tmp.file("blend1.mkv"), two = m_tmp.file("blend2.mkv");
        auto r1 = runCli(outputArgs(m_src, one, extra + QStringList{"--device", "cpu"}));
        CHECK_RUN(r1, 0);
        auto r2 = runCli(outputArgs(m_src, two, extra + QStringList{"--devices", "cpu,cpu"}));
        CHECK_RUN(r2, 0);
        QVERIFY2(r2.stdErr.contains("devices 2"), qPrintable(r2.stdErr));   // the progress line
        const auto a = chunkBytes(one + ".tlbvfi"), b = chunkBytes(two + ".tlbvfi");
        QCOMPARE(a.size(), size_t{12});
        QVERIFY(a == b);
        QCOMPARE(frameHashList(two), frameHashList(one));
        auto both = runCli(outputArgs(m_src, m_tmp.file("x.mkv"), extra + QStringList{"--devices", "cpu", "--device", "cpu"}));
        CHECK_RUN(both, 2);
    }

    // TLB-VFI (golden tiny checkpoint): noise per (seed, pair, step), so two workers render the chunks
    // one worker renders, bit for bit.
    void tinyModelTwoWorkersEqualOne() {
        QVERIFY2(fs::exists(goldenDir() + "/tiny.pth"), "golden data missing");
        GenSpec g;
        g.width = 160;
        g.height = 90;
        g.frames = 5;
        const std::string src = m_tmp.file("tiny_src.mp4");
        VERIFY_OK(generate(src, g));
        auto render = [&](const std::string& session, const QString& deviceOption, const QString& devices) {
            return runCli(QStringList{"interpolate", QString::fromStdString(src), "--session", QString::fromStdString(session), "--range",
                                      "0:", "--encoder", "ffv1", "--chunk-frames", "2", deviceOption, devices} +
                              tinyModelArgs(),
                          600000);
        };
        const std::string s1 = m_tmp.file("tiny1.session"), s2 = m_tmp.file("tiny2.session");
        auto r1 = render(s1, "--device", "cpu");
        CHECK_RUN(r1, 0);
        auto r2 = render(s2, "--devices", "cpu,cpu");
        CHECK_RUN(r2, 0);
        const auto a = chunkBytes(s1);
        QCOMPARE(a.size(), size_t{2});
        QVERIFY(a == chunkBytes(s2));
    }

    // A session started on two workers resumes on one, and the reverse; the frames stay the same.
    void resumeWithAnotherDeviceCount_data() {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::newRow("two then one") << "cpu,cpu" << "cpu";
        QTest::newRow("one then two") << "cpu" << "cpu,cpu";
    }
    void resumeWithAnotherDeviceCount() {
        QFETCH(QString, first);
        QFETCH(QString, second);
        const QStringList extra{"--encoder", "ffv1", "--chunk-frames", "2", "--min-free-gb", "0"};
        const std::string ref = m_tmp.file("count_ref.mkv");
        if (!fs::exists(ref)) CHECK_RUN(runCli(outputArgs(m_src, ref, extra)), 0);
        const std::string out = m_tmp.file(QString("count_%1_%2.mkv").arg(first, second).replace(',', '-').toStdString());
        auto killed = runCliKilledAt("mid-encode", 5, outputArgs(m_src, out, extra + QStringList{"--devices", first}));
        QVERIFY(killed.exitCode != 0);
        const int recorded = recordCount(out + ".tlbvfi");
        QVERIFY(recorded >= 1);
        auto resumed = runCli(outputArgs(m_src, out, extra + QStringList{"--devices", second}));
        CHECK_RUN(resumed, 0);
        QVERIFY2(resumed.stdOut.contains(QString("chunks resumed: %1").arg(recorded)), qPrintable(resumed.stdOut));
        QCOMPARE(frameHashList(out), frameHashList(ref));
    }

    // A failure injected into worker 1 at its second chunk: exit 5 naming the device, the chunk is
    // retried on worker 0, every finished chunk stays recorded, and the rerun renders only the rest.
    void deviceFailureKeepsChunks() {
        const QStringList extra{"--encoder", "ffv1", "--chunk-frames", "2", "--min-free-gb", "0", "--devices", "cpu,cpu"};
        const std::string ref = m_tmp.file("fail_ref.mkv"), out = m_tmp.file("fail.mkv");
        CHECK_RUN(runCli(outputArgs(m_src, ref, {"--encoder", "ffv1", "--chunk-frames", "2"})), 0);
        qputenv("VFI_TEST_FAIL_DEVICE", "1:after=1");
        auto failed = runCli(outputArgs(m_src, out, extra));
        qunsetenv("VFI_TEST_FAIL_DEVICE");
        CHECK_RUN(failed, 5);
        QVERIFY2(failed.stdErr.contains("device cpu (worker 1) failed on chunk") &&
                     failed.stdErr.contains("injected device failure (VFI_TEST_FAIL_DEVICE)") &&
                     failed.stdErr.contains("retried on another device"),
                 qPrintable(failed.stdErr));
        QVERIFY(!fs::exists(out));
        const int recorded = recordCount(out + ".tlbvfi");
        QVERIFY2(recorded >= 3, qPrintable(QString::number(recorded)));   // worker 1's first, worker 0's, the retried one
        QVERIFY(recorded < 12);
        auto rerun = runCli(outputArgs(m_src, out, extra));
        CHECK_RUN(rerun, 0);
        QVERIFY2(rerun.stdOut.contains(QString("chunks resumed: %1").arg(recorded)), qPrintable(rerun.stdOut));
        QCOMPARE(frameHashList(out), frameHashList(ref));
    }

    // Pause-and-free reaches both workers (each interpolator released once) and the resume loads each
    // again; a cancel stops both; Progress::devices has one entry per worker.
    void pauseAndCancelReachEveryWorker() {
        const std::string ref = m_tmp.file("pause_ref.mkv"), out = m_tmp.file("pause.mkv");
        JobSettings s;
        s.inputPath = m_src;
        s.outputPath = ref;
        s.backend = Backend::Blend;
        s.chunkFrames = 2;
        s.encode.encoder = "ffv1";
        s.minFreeDiskGb = 0;
        {
            JobRunner plain;
            VERIFY_OK(plain.run(s));
        }
        s.outputPath = out;
        s.devices = {"cpu", "cpu"};
        std::mutex made;
        std::vector<std::shared_ptr<CountingBlend>> interps;
        JobRunner runner;
        runner.setInterpolatorFactory([&](const std::string& device, int worker) -> std::shared_ptr<FrameInterpolator> {
            auto p = std::make_shared<CountingBlend>(15);
            if (device != "cpu") return nullptr;
            // Worker 0 asks for the pause once both workers have rendered something.
            if (worker == 0)
                p->onCall = [&runner, &interps, &made](int call) {
                    std::lock_guard lk(made);
                    if (call >= 6 && interps.size() == 2 && interps[1]->calls.load() > 0) runner.requestPause(true);
                };
            std::lock_guard lk(made);
            interps.push_back(p);
            return p;
        });
        ProgressLog progress;
        auto paused = runner.run(s, &progress);
        QVERIFY(!paused.ok());
        QCOMPARE(paused.error().code, ErrorCode::Paused);
        QCOMPARE(interps.size(), size_t{2});
        for (const auto& i : interps) {
            QCOMPARE(i->loads.load(), 1);
            QCOMPARE(i->releases.load(), 1);
            QVERIFY(!i->loaded());
        }
        const Progress p = progress.snapshot();
        QCOMPARE(p.devices.size(), size_t{2});
        QCOMPARE(p.devices[0].deviceId, std::string("cpu"));
        QCOMPARE(p.devices[1].worker, 1);
        QCOMPARE(p.devices[0].framesDone + p.devices[1].framesDone, p.outputFramesDone);
        QVERIFY(p.devices[0].framesDone > 0 && p.devices[1].framesDone > 0);

        interps.clear();
        JobRunner second;
        second.setInterpolatorFactory([&](const std::string&, int worker) -> std::shared_ptr<FrameInterpolator> {
            auto p = std::make_shared<CountingBlend>(5);
            if (worker == 1)
                p->onCall = [&second](int call) {
                    if (call == 2) second.requestCancel();
                };
            std::lock_guard lk(made);
            interps.push_back(p);
            return p;
        });
        auto cancelled = second.run(s);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QCOMPARE(interps.size(), size_t{2});

        interps.clear();
        JobRunner third;
        third.setInterpolatorFactory([&](const std::string&, int) -> std::shared_ptr<FrameInterpolator> {
            auto p = std::make_shared<CountingBlend>();
            std::lock_guard lk(made);
            interps.push_back(p);
            return p;
        });
        auto resumed = third.run(s);
        VERIFY_OK(resumed);
        QVERIFY(resumed->chunksResumed >= 2);
        for (const auto& i : interps) QCOMPARE(i->releases.load(), 0);
        QCOMPARE(frameHashList(out), frameHashList(ref));
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
