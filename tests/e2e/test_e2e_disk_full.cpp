// A really full disk (issue 15): the job's session and output live on a small tmpfs mounted by the
// test (root with CAP_SYS_ADMIN; skipped loudly elsewhere), which is filled for real: before the run
// (ENOSPC while a chunk is written) or, through the CLI's VFI_TEST_FILL_AT hook, at a named moment
// (a chunk record, the manifest, the join). Each time: exit 5 with the free and needed space in the
// message, every recorded chunk intact, nothing partial under a final name; then space is freed, the
// same command is run again and its output has the frames of an uninterrupted run.
#include <QRegularExpression>
#include <QtTest>

#include <cstdio>
#include <filesystem>
#include <string>

#include "pipeline/file_util.h"
#include "pipeline/job_context.h"
#include "pipeline/session.h"
#include "support/cli_run.h"
#include "support/media_gen.h"
#include "support/scratch_fs.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

constexpr int kChunkFrames = 8;
constexpr int kChunks = 3;   // 25 source frames: [0,8) [8,16) [16,25)

QStringList jobArgs(const std::string& src, const std::string& out) {
    return outputArgs(src, out, {"--encoder", "ffv1", "--chunk-frames", QString::number(kChunkFrames), "--min-free-gb", "0", "--seed", "11"});
}

// The CLI runs started while it lives fill their disk at `phase` of chunk `chunk` (test_hooks.h).
class FillHook {
public:
    FillHook(const QByteArray& phase, int chunk, const std::string& file) {
        qputenv("VFI_TEST_FILL_AT", phase);
        qputenv("VFI_TEST_KILL_CHUNK", QByteArray::number(chunk));
        qputenv("VFI_TEST_FILL_FILE", QByteArray::fromStdString(file));
    }
    ~FillHook() {
        qunsetenv("VFI_TEST_FILL_AT");
        qunsetenv("VFI_TEST_KILL_CHUNK");
        qunsetenv("VFI_TEST_FILL_FILE");
    }
    FillHook(const FillHook&) = delete;
    FillHook& operator=(const FillHook&) = delete;
};

// Files in `dir` whose names say they are unfinished: chunk temp files, atomic-write temps, a join's.
QStringList tempFiles(const std::string& dir) {
    QStringList out;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
        const std::string n = e.path().filename().string();
        if (n.rfind(".tmp_", 0) == 0 || n.find(".tmp-") != std::string::npos || n.find(".joining") != std::string::npos)
            out << QString::fromStdString(e.path().string());
    }
    return out;
}

// Every chunk record of the session names a file that still has the recorded bytes and hash.
int intactRecords(const std::string& sessionDir, QString* problem) {
    auto s = pipeline::Session::open(sessionDir);
    if (!s) {
        *problem = QString::fromStdString(s.error().message);
        return -1;
    }
    int n = 0;
    for (const auto& [k, r] : s->scanRecords()) {
        if (!pipeline::recordMatchesFile(*s, r)) *problem += QStringLiteral("record %1 does not match its file; ").arg(k);
        ++n;
    }
    return n;
}

}  // namespace

class TestE2eDiskFull : public QObject {
    Q_OBJECT
private:
    TempDir m_tmp;
    std::string m_src, m_ref;
    int64_t m_chunkBytes[kChunks] = {};
    int64_t m_allChunkBytes = 0;
    VideoHashes m_refFrames;

    // Output, session and the filler on the mount; the source and the reference elsewhere.
    struct Disk {
        std::string dir, out, session, fill;
    };
    Disk diskAt(const std::string& dir) const { return {dir, dir + "/out.mkv", dir + "/out.mkv.tlbvfi", dir + "/filler"}; }

    // After a stop on a full disk: exit 5 naming free and needed space, no output, no temp file,
    // every record intact. Returns the number of recorded chunks.
    int checkStopped(const CliResult& r, const Disk& d, const char* mustName) {
        [&] {
            CHECK_RUN(r, 5);
            static const QRegularExpression numbers(QStringLiteral("\\d+(\\.\\d)? [kM]B free, about \\d+(\\.\\d)? [kM]B needed"));
            QVERIFY2(numbers.match(r.stdErr).hasMatch(), qPrintable(r.stdErr));
            QVERIFY2(r.stdErr.contains("rerun the same command"), qPrintable(r.stdErr));
            QVERIFY2(r.stdErr.contains(mustName), qPrintable(r.stdErr));
            QVERIFY(!fs::exists(d.out));
            QVERIFY2(tempFiles(d.dir).isEmpty(), qPrintable(tempFiles(d.dir).join(' ')));
        }();
        if (QTest::currentTestFailed()) return -1;
        QString problem;
        const int n = intactRecords(d.session, &problem);
        if (!problem.isEmpty()) QTest::qFail(qPrintable(problem), __FILE__, __LINE__);
        return n;
    }

    // Frees the space, runs the same command again: exit 0, `resumed` chunks kept, the reference's frames.
    void rerunMatches(const Disk& d, int resumed) {
        std::error_code ec;
        fs::remove(d.fill, ec);
        auto r = runCli(jobArgs(m_src, d.out));
        CHECK_RUN(r, 0);
        QVERIFY2(r.stdOut.contains(QStringLiteral("chunks resumed: %1\n").arg(resumed)), qPrintable(r.stdOut));
        auto got = frameHashes(d.out);
        QVERIFY(got.ok());
        const std::string diff = frameDifference(*got, m_refFrames);
        QVERIFY2(diff.empty(), diff.c_str());
        QVERIFY(!fs::exists(d.session));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        GenSpec g;
        g.width = 320;
        g.height = 180;
        g.frames = 25;
        m_src = m_tmp.file("src.mp4");
        QVERIFY(generate(m_src, g).ok());
        // The uninterrupted run, its chunks kept to size the filesystems below.
        m_ref = m_tmp.file("ref.mkv");
        auto r = runCli(jobArgs(m_src, m_ref) + QStringList{"--keep-chunks"});
        CHECK_RUN(r, 0);
        for (int k = 0; k < kChunks; ++k) {
            char name[32];
            std::snprintf(name, sizeof name, "/chunk_%06d.nut", k);
            m_chunkBytes[k] = static_cast<int64_t>(fs::file_size(m_ref + ".tlbvfi" + name));
            m_allChunkBytes += m_chunkBytes[k];
        }
        QVERIFY(!fs::exists(m_ref + ".tlbvfi/chunk_000003.nut"));
        auto h = frameHashes(m_ref);
        QVERIFY(h.ok());
        QCOMPARE(h->frames.size(), size_t(49));
        m_refFrames = *h;
    }

    // Filled before the run with room for the session files, the first chunk and half the second.
    void chunkWriteOnFullDisk() {
        const std::string dir = m_tmp.file("chunkfull");
        ScratchMount mount(dir, 3 * m_allChunkBytes + (8 << 20));
        SKIP_WITHOUT_MOUNT(mount);
        const Disk d = diskAt(dir);
        mount.fill("filler", (256 << 10) + m_chunkBytes[0] + m_chunkBytes[1] / 2);
        const int recorded = checkStopped(runCli(jobArgs(m_src, d.out)), d, "cannot write chunk");
        if (QTest::currentTestFailed()) return;
        QVERIFY2(recorded < kChunks, "every chunk fitted: the disk was not full");
        rerunMatches(d, recorded);
    }

    // The last chunk is renamed into place, then the disk is full: its record cannot be written.
    void recordWriteOnFullDisk() {
        const std::string dir = m_tmp.file("recordfull");
        ScratchMount mount(dir, 3 * m_allChunkBytes + (8 << 20));
        SKIP_WITHOUT_MOUNT(mount);
        const Disk d = diskAt(dir);
        int recorded = 0;
        {
            FillHook fill("after-rename", kChunks - 1, d.fill);
            recorded = checkStopped(runCli(jobArgs(m_src, d.out)), d, "chunk_000002.json");
        }
        if (QTest::currentTestFailed()) return;
        QCOMPARE(recorded, kChunks - 1);
        QVERIFY(fs::exists(d.session + "/chunk_000002.nut"));   // complete, verified, not recorded: rendered again
        QVERIFY(!fs::exists(d.session + "/chunk_000002.json"));
        rerunMatches(d, kChunks - 1);
    }

    // Every record written, then the disk is full: the manifest (an index of the records) cannot be.
    void manifestWriteOnFullDisk() {
        const std::string dir = m_tmp.file("manifestfull");
        ScratchMount mount(dir, 3 * m_allChunkBytes + (8 << 20));
        SKIP_WITHOUT_MOUNT(mount);
        const Disk d = diskAt(dir);
        int recorded = 0;
        {
            FillHook fill("after-record", kChunks - 1, d.fill);
            recorded = checkStopped(runCli(jobArgs(m_src, d.out)), d, "manifest.json");
        }
        if (QTest::currentTestFailed()) return;
        QCOMPARE(recorded, kChunks);
        rerunMatches(d, kChunks);
    }

    // Room for the join when it starts; the disk fills half way through writing the joined file.
    void joinOnFullDisk() {
        const std::string dir = m_tmp.file("joinfull");
        ScratchMount mount(dir, 3 * m_allChunkBytes + (8 << 20));
        SKIP_WITHOUT_MOUNT(mount);
        const Disk d = diskAt(dir);
        int recorded = 0;
        {
            FillHook fill("during-join", -1, d.fill);
            recorded = checkStopped(runCli(jobArgs(m_src, d.out)), d, "out.mkv");
        }
        if (QTest::currentTestFailed()) return;
        QCOMPARE(recorded, kChunks);
        rerunMatches(d, kChunks);
    }

    // `tlbvfi join` onto a volume without room for the joined file refuses before writing anything.
    void joinRefusesUpFront() {
        const std::string session = m_tmp.file("farm.tlbvfi");
        auto r = runCli(sessionArgs(m_src, session, {"--encoder", "ffv1", "--chunk-frames", QString::number(kChunkFrames), "--seed", "11"}));
        CHECK_RUN(r, 0);
        const std::string dir = m_tmp.file("joinprecheck");
        ScratchMount mount(dir, 3 * m_allChunkBytes + (8 << 20));
        SKIP_WITHOUT_MOUNT(mount);
        mount.fill("filler", m_allChunkBytes / 2);
        const std::string out = dir + "/joined.mkv";
        const QString freeText = QString::fromStdString(pipeline::megabytes(mount.freeBytes()));
        auto refused = runCli({"join", QString::fromStdString(session), "-o", QString::fromStdString(out)});
        CHECK_RUN(refused, 5);
        QVERIFY2(refused.stdErr.contains("not enough free space to join " + QString::fromStdString(out)), qPrintable(refused.stdErr));
        QVERIFY2(refused.stdErr.contains(freeText + " free in " + QString::fromStdString(dir)), qPrintable(refused.stdErr));
        // The needed space covers the chunks' bytes.
        const int at = refused.stdErr.indexOf(QStringLiteral("about "));
        QVERIFY(at > 0);
        const double neededMb = refused.stdErr.mid(at + 6).section(' ', 0, 0).toDouble();
        QVERIFY2(neededMb * 1e6 >= double(m_allChunkBytes), qPrintable(refused.stdErr));
        QVERIFY(!fs::exists(out));
        QVERIFY(tempFiles(dir).isEmpty());
        QString problem;
        QCOMPARE(intactRecords(session, &problem), kChunks);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // With the space freed the same join succeeds.
        fs::remove(dir + "/filler");
        auto joined = runCli({"join", QString::fromStdString(session), "-o", QString::fromStdString(out)});
        CHECK_RUN(joined, 0);
        auto got = frameHashes(out);
        QVERIFY(got.ok());
        QCOMPARE(got->frames.size(), m_refFrames.frames.size());
        for (size_t i = 0; i < got->frames.size(); ++i) QVERIFY(got->frames[i].hash == m_refFrames.frames[i].hash);
    }
};

QTEST_GUILESS_MAIN(TestE2eDiskFull)
#include "test_e2e_disk_full.moc"
