// `--verify quick|full` on the CLI (interpolate and join): both depths finish a job with the same
// output bytes, a bad value is a usage error (exit 2, nothing written), and a session rendered at
// one depth resumes at the other (the depth is not part of the settings hash).
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/cli_run.h"
#include "support/media_gen.h"
#include "vfi/job_runner.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

QStringList blend(const std::string& src, const QStringList& extra) {
    return QStringList{"interpolate", QString::fromStdString(src), "--backend", "blend", "--min-free-gb", "0", "--chunk-frames", "3"} + extra;
}

std::string bytesOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestE2eVerify : public QObject {
    Q_OBJECT
    TempDir m_tmp;
    std::string m_src;

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(qEnvironmentVariable("VFI_CLI")), "VFI_CLI must point to tlbvfi");
        GenSpec g;
        g.frames = 8;
        g.frameRate = {30000, 1001};
        m_src = m_tmp.file("src.mp4");
        QVERIFY(generate(m_src, g).ok());
    }

    void bothDepthsGiveTheSameFile() {
        const std::string quick = m_tmp.file("quick.mkv"), full = m_tmp.file("full.mkv");
        CHECK_RUN(runCli(blend(m_src, {"-o", QString::fromStdString(quick), "--encoder", "ffv1", "--verify", "quick"})), 0);
        CHECK_RUN(runCli(blend(m_src, {"-o", QString::fromStdString(full), "--encoder", "ffv1", "--verify", "full"})), 0);
        auto rep = verifyOutput(quick);
        QVERIFY(rep.ok());
        QCOMPARE(rep->videoFrames, int64_t(15));
        QVERIFY(rep->problems.empty());
        // Matroska files carry random UIDs: the frames and their timestamps are compared.
        auto hq = frameHashes(quick), hf = frameHashes(full);
        QVERIFY(hq.ok() && hf.ok());
        QCOMPARE(hq->frames.size(), size_t(15));
        QCOMPARE(hf->frames.size(), hq->frames.size());
        for (size_t k = 0; k < hq->frames.size(); ++k) {
            QCOMPARE(hf->frames[k].hash, hq->frames[k].hash);
            QCOMPARE(hf->frames[k].pts, hq->frames[k].pts);
        }
    }

    void bogusDepthIsAUsageError() {
        const std::string out = m_tmp.file("bogus.mp4");
        const CliResult r = runCli(blend(m_src, {"-o", QString::fromStdString(out), "--verify", "bogus"}));
        CHECK_RUN(r, 2);
        QVERIFY2(r.stdErr.contains("--verify must be quick or full"), qPrintable(r.stdErr));
        QVERIFY(!fs::exists(out));
        QVERIFY(!fs::exists(out + ".tlbvfi"));
        const CliResult j = runCli({"join", QString::fromStdString(m_tmp.file("nosession")), "-o", QString::fromStdString(out), "--verify", "deep"});
        CHECK_RUN(j, 2);
        QVERIFY2(j.stdErr.contains("--verify must be quick or full"), qPrintable(j.stdErr));
    }

    void joinAtEitherDepth() {
        const QString session = QString::fromStdString(m_tmp.file("farm"));
        CHECK_RUN(runCli(blend(m_src, {"--session", session, "--range", "0:"})), 0);
        const std::string a = m_tmp.file("joined_full.mp4"), b = m_tmp.file("joined_quick.mp4");
        CHECK_RUN(runCli({"join", session, "-o", QString::fromStdString(a), "--keep-chunks", "--verify", "full"}), 0);
        CHECK_RUN(runCli({"join", session, "-o", QString::fromStdString(b), "--keep-chunks", "--verify", "quick"}), 0);
        QVERIFY(bytesOf(a) == bytesOf(b));
        auto rep = verifyOutput(b);
        QVERIFY(rep.ok());
        QCOMPARE(rep->videoFrames, int64_t(15));
    }

    void resumeWithAnotherDepth_data() {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::newRow("full then quick") << "full" << "quick";
        QTest::newRow("quick then full") << "quick" << "full";
    }
    void resumeWithAnotherDepth() {
        QFETCH(QString, first);
        QFETCH(QString, second);
        const std::string out = m_tmp.file("resumed_" + first.toStdString() + ".mp4");
        // The first chunk (source frames 0-2) at one depth, then the whole job at the other. The range
        // run names the output too: without it the encoder is resolved for no container, which a
        // resume with -o refuses as changed settings (a separate matter).
        CHECK_RUN(runCli(blend(m_src, {"-o", QString::fromStdString(out), "--range", "0:3", "--verify", first})), 0);
        QVERIFY(fs::exists(out + ".tlbvfi"));
        QVERIFY(!fs::exists(out));
        const CliResult r = runCli(blend(m_src, {"-o", QString::fromStdString(out), "--verify", second}));
        CHECK_RUN(r, 0);
        QVERIFY2(r.stdOut.contains("chunks resumed: 1"), qPrintable(r.stdOut));
        QVERIFY2(r.stdOut.contains("chunks rendered: 2"), qPrintable(r.stdOut));
        auto rep = verifyOutput(out);
        QVERIFY(rep.ok());
        QCOMPARE(rep->videoFrames, int64_t(15));
    }
};

QTEST_GUILESS_MAIN(TestE2eVerify)
#include "test_e2e_verify.moc"
