// `tlbvfi slurm submit` on a real Slurm: a single-node cluster (munged, slurmctld, slurmd) started by
// tests/slurm/slurm-fixture.sh as root on this machine with its own ports and state folder, stopped
// at the end. Without root (or without slurm-wlm/munge) the suite says so and skips; CI runs as root.
// Each case compares the joined output's frames (pts and pixel MD5, i.e. framemd5) and audio packets
// with one `interpolate` run on this machine.
#include <QtTest>

#include <unistd.h>

#include <QProcess>
#include <QRegularExpression>
#include <filesystem>
#include <fstream>

#include "support/cli_run.h"
#include "support/media_gen.h"
#include "support/scratch_fs.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

struct Shell {
    int rc = -1;
    QString out;
};
// bash -c with this process's environment (SLURM_CONF included); stdout and stderr together.
Shell sh(const QString& command, int timeoutMs = 60000) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("bash", {"-c", command});
    Shell r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.out = "timed out: " + command;
        return r;
    }
    r.rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAll());
    return r;
}

QStringList jobStates(const QString& id) {
    return sh("squeue -h -r -t all -j " + id + " -o %T").out.split('\n', Qt::SkipEmptyParts);
}

bool terminal(const QString& s) {
    return QStringList{"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED"}
        .contains(s);
}

// Waits until every element of job `id` has ended; returns their states (empty on timeout).
QStringList waitForJob(const QString& id, int timeoutMs = 120000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        const QStringList s = jobStates(id);
        if (!s.isEmpty() && std::all_of(s.begin(), s.end(), terminal)) return s;
        QThread::msleep(200);
    }
    return {};
}

// Waits until `pred` holds, polling every 100 ms.
bool waitFor(const std::function<bool()>& pred, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (pred()) return true;
        QThread::msleep(100);
    }
    return false;
}

QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString firstMatch(const QString& text, const QString& pattern) {
    return QRegularExpression(pattern, QRegularExpression::MultilineOption).match(text).captured(1);
}

}  // namespace

class TestE2eSlurm : public QObject {
    Q_OBJECT

    QString m_clusterDir;
    bool m_started = false;
    TempDir m_tmp;
    std::string m_src;
    VideoHashes m_refFrames;
    StreamPackets m_refAudio;

    QStringList renderOptions() const { return {"--backend", "blend", "--encoder", "ffv1", "--chunk-frames", "2", "--min-free-gb", "0"}; }

    // Submits src with --tasks 3; the render and join job ids.
    std::pair<QString, QString> submit(const std::string& out, const QStringList& extra = {}) {
        auto r = runCli(QStringList{"slurm", "submit", QString::fromStdString(m_src), "-o", QString::fromStdString(out), "--tasks", "3"} +
                        renderOptions() + extra);
        if (r.exitCode != 0) {
            qWarning() << "slurm submit failed:" << r.exitCode << r.stdErr << r.stdOut;
            return {};
        }
        return {firstMatch(r.stdOut, "^render job (\\d+)$"), firstMatch(r.stdOut, "^join job (\\d+)$")};
    }

    void compareWithReference(const std::string& out) {
        auto frames = frameHashes(out);
        QVERIFY2(frames.ok(), out.c_str());
        const std::string diff = frameDifference(*frames, m_refFrames);
        QVERIFY2(diff.empty(), diff.c_str());
        auto packets = packetHashes(out);
        QVERIFY(packets.ok());
        const StreamPackets* audio = nullptr;
        for (const auto& [i, s] : *packets)
            if (s.kind == "audio") audio = &s;
        QVERIFY2(audio, "the joined output has no audio stream");
        QCOMPARE(audio->packets.size(), m_refAudio.packets.size());
        for (size_t i = 0; i < audio->packets.size(); ++i) {
            QCOMPARE(audio->packets[i].hash, m_refAudio.packets[i].hash);
            QCOMPARE(audio->packets[i].pts, m_refAudio.packets[i].pts);
        }
    }

    QString logOf(const std::string& out, const QString& name) const {
        return readText(QString::fromStdString(out) + ".tlbvfi-logs/" + name);
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi");
        char dir[] = "/tmp/tlbvfi-slurm-XXXXXX";   // short: the munge socket path must fit sockaddr_un
        QVERIFY(::mkdtemp(dir));
        m_clusterDir = dir;
        const Shell start = sh("bash " VFI_SOURCE_DIR "/tests/slurm/slurm-fixture.sh start " + m_clusterDir + " " +
                               QString::number(QCoreApplication::applicationPid()));
        if (start.rc == 3) {
            const QString why = "SKIPPED test_e2e_slurm: no Slurm test cluster here: " + start.out.trimmed();
            recordMountSkip(why);
            QSKIP(qPrintable(why));
        }
        QVERIFY2(start.rc == 0, qPrintable(start.out));
        m_started = true;
        qputenv("SLURM_CONF", (m_clusterDir + "/slurm.conf").toUtf8());

        GenSpec g;
        g.frames = 13;   // chunk-frames 2: 6 chunks (pairs start at 0,2,..,10); parts of 3: chunks 0-1, 2-3, 4-5
        g.audio.enabled = true;
        m_src = m_tmp.file("clip with audio.mp4");
        QVERIFY(generate(m_src, g).ok());
        const std::string ref = m_tmp.file("reference.mkv");
        CHECK_RUN(runCli(QStringList{"interpolate", QString::fromStdString(m_src), "-o", QString::fromStdString(ref)} + renderOptions()), 0);
        auto frames = frameHashes(ref);
        QVERIFY(frames.ok());
        QCOMPARE(frames->frames.size(), size_t(25));
        m_refFrames = *frames;
        auto packets = packetHashes(ref);
        QVERIFY(packets.ok());
        for (const auto& [i, s] : *packets)
            if (s.kind == "audio") m_refAudio = s;
        QVERIFY(!m_refAudio.packets.empty());
    }

    void cleanupTestCase() {
        if (m_started) sh("bash " VFI_SOURCE_DIR "/tests/slurm/slurm-fixture.sh stop " + m_clusterDir);
        if (!m_clusterDir.isEmpty() && qEnvironmentVariableIsEmpty("VFI_KEEP_TEST_TMP")) fs::remove_all(m_clusterDir.toStdString());
    }

    void init() { qunsetenv("VFI_TEST_PAIR_DELAY_MS"); }

    void submitJoinsLikeOneMachine() {
        const std::string out = m_tmp.file("whole.mkv");
        const auto [render, join] = submit(out, {"--keep-chunks"});
        QVERIFY(!render.isEmpty() && !join.isEmpty());
        const QStringList joinStates = waitForJob(join);
        QVERIFY2(joinStates == QStringList{"COMPLETED"}, qPrintable(joinStates.join(",") + logOf(out, "join-" + join + ".log")));
        QCOMPARE(jobStates(render), (QStringList{"COMPLETED", "COMPLETED", "COMPLETED"}));
        compareWithReference(out);
        // The session (kept) knows its jobs; squeue still remembers them.
        auto status = runCli({"status", QString::fromStdString(out + ".tlbvfi")});
        CHECK_RUN(status, 0);
        QVERIFY2(status.stdOut.contains("slurm: render job " + render + ": COMPLETED 3") &&
                     status.stdOut.contains("slurm: join job " + join + ": COMPLETED"),
                 qPrintable(status.stdOut));
    }

    void killedTaskIsRenderedByThePrintedLine() {
        const std::string out = m_tmp.file("killed.mkv");
        qputenv("VFI_TEST_PAIR_DELAY_MS", "500");   // the jobs inherit it: task 1 still runs when it is killed
        const auto [render, join] = submit(out);
        qunsetenv("VFI_TEST_PAIR_DELAY_MS");
        QVERIFY(!render.isEmpty() && !join.isEmpty());
        const QString task = render + "_1";
        QVERIFY2(waitFor([&] { return logOf(out, "render-" + task + ".log").contains("part 1/3: chunks"); }), "task 1 did not start");
        const Shell kill = sh("scancel --signal=KILL " + task);
        QVERIFY2(kill.rc == 0, qPrintable(kill.out));
        const QStringList joinStates = waitForJob(join);
        QCOMPARE(joinStates, QStringList{"FAILED"});   // exit 6: incomplete
        const QString log = logOf(out, "join-" + join + ".log");
        QVERIFY2(log.contains("missing: chunks 2-3 (source frames 4-7)") || log.contains("missing: chunks 3-3"), qPrintable(log));
        QVERIFY2(!fs::exists(out), "an incomplete session was joined");
        const QString line = firstMatch(log, "^render only them, then join after them:\\n(.*)$");
        QVERIFY2(line.startsWith("J=$(sbatch --parsable --array=1 "), qPrintable(log));

        const Shell again = sh(line);
        QVERIFY2(again.rc == 0, qPrintable(again.out));
        const QString join2 = firstMatch(again.out, "^join job (\\d+)$");
        QVERIFY2(!join2.isEmpty(), qPrintable(again.out));
        const QStringList states2 = waitForJob(join2);
        QVERIFY2(states2 == QStringList{"COMPLETED"}, qPrintable(logOf(out, "join-" + join2 + ".log")));
        compareWithReference(out);
    }

    void usr1StopsCleanlyRequeuesAndFinishes() {
        const std::string out = m_tmp.file("requeued.mkv");
        qputenv("VFI_TEST_PAIR_DELAY_MS", "500");
        const auto [render, join] = submit(out);
        qunsetenv("VFI_TEST_PAIR_DELAY_MS");
        QVERIFY(!render.isEmpty() && !join.isEmpty());
        const QString task = render + "_2";
        const QString logName = "render-" + task + ".log";
        QVERIFY2(waitFor([&] { return logOf(out, logName).contains("part 2/3: chunks"); }),
                 qPrintable("task 2 did not start rendering: " + logOf(out, logName)));
        const Shell usr1 = sh("scancel --batch --signal=USR1 " + task);
        QVERIFY2(usr1.rc == 0, qPrintable(usr1.out));
        // A requeued job waits for its begin time (about 2 min): start it now. The requeue sets that
        // time when the job is back to PENDING, so an earlier update would be overwritten.
        QVERIFY2(waitFor([&] {
                     const QString job = sh("scontrol show job " + task).out;
                     if (!job.contains("Restarts=1")) return false;
                     if (job.contains("JobState=PENDING") && job.contains("Reason=BeginTime"))
                         sh("scontrol update JobId=" + task + " StartTime=now");
                     return job.contains("JobState=RUNNING") || job.contains("JobState=COMPLETED");
                 }),
                 qPrintable("the requeued task did not run again: " + logOf(out, logName)));
        const QStringList joinStates = waitForJob(join);
        const QString log = logOf(out, logName);
        QVERIFY2(joinStates == QStringList{"COMPLETED"}, qPrintable(log + logOf(out, "join-" + join + ".log")));
        QVERIFY2(log.contains("part 2/3 exit 5") && log.contains("requeueing " + task), qPrintable(log));
        QVERIFY2(log.contains("restart 1") && log.contains("part 2/3 exit 0"), qPrintable(log));
        compareWithReference(out);
    }
};

QTEST_GUILESS_MAIN(TestE2eSlurm)
#include "test_e2e_slurm.moc"
