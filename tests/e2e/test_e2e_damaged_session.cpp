// Damaged session files (issue 15): a session rendered completely (no join), then one of its files
// truncated, overwritten with garbage or hand-edited, as a power cut on a filesystem without atomic
// rename, an interrupted copy or an editor leave them. Each gets either a message that names the file
// and says what to do, or is rebuilt from what is intact (session.json from manifest.json, index.json
// from the source, manifest.json from the records, a chunk whose hash fails rendered again); the
// final output always has the frames of an undamaged run.
#include <QProcess>
#include <QtTest>

#include <unistd.h>

#include <chrono>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/media_gen.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

constexpr int kChunks = 3;   // 25 source frames in chunks of 8: [0,8) [8,16) [16,25)
const QStringList kJob = {"--encoder", "ffv1", "--chunk-frames", "8", "--seed", "5"};

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
// The JSON text with the number after "key": replaced by `number` (a hand edit or a damaged copy).
std::string replaceNumber(const std::string& text, const std::string& key, const std::string& number) {
    const std::string tag = "\"" + key + "\":";
    size_t at = text.find(tag);
    if (at == std::string::npos) return text;
    at += tag.size();
    while (at < text.size() && text[at] == ' ') ++at;
    size_t end = at;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '-')) ++end;
    return text.substr(0, at) + number + text.substr(end);
}

void writeAll(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

}  // namespace

class TestE2eDamagedSession : public QObject {
    Q_OBJECT
private:
    TempDir m_tmp;
    std::string m_src, m_refChunk1;
    VideoHashes m_ref;
    int m_case = 0;

    // A complete session of the source (every chunk recorded, not joined) in a folder of its own.
    std::string renderSession() {
        const std::string session = m_tmp.file("s" + std::to_string(++m_case) + ".tlbvfi");
        auto r = runCli(sessionArgs(m_src, session, kJob));
        if (r.exitCode != 0) qWarning("%s", qPrintable(r.stdErr));
        return r.exitCode == 0 ? session : std::string();
    }
    QStringList resumeArgs(const std::string& session, const std::string& out, const QStringList& extra = {}) const {
        return outputArgs(m_src, out, QStringList{"--session", QString::fromStdString(session), "--min-free-gb", "0"} + kJob + extra);
    }
    void sameFramesAsReference(const std::string& out) {
        auto got = frameHashes(out);
        QVERIFY(got.ok());
        const std::string diff = frameDifference(*got, m_ref);
        QVERIFY2(diff.empty(), diff.c_str());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        GenSpec g;
        g.width = 96;
        g.height = 64;
        g.frames = 25;
        m_src = m_tmp.file("src.mp4");
        QVERIFY(generate(m_src, g).ok());
        const std::string session = renderSession();
        QVERIFY(!session.empty());
        m_refChunk1 = readAll(session + "/chunk_000001.nut");
        QVERIFY(!m_refChunk1.empty());
        const std::string ref = m_tmp.file("ref.mkv");
        auto r = runCli(resumeArgs(session, ref));
        CHECK_RUN(r, 0);
        QVERIFY2(r.stdOut.contains("chunks resumed: 3\n"), qPrintable(r.stdOut));
        auto h = frameHashes(ref);
        QVERIFY(h.ok());
        QCOMPARE(h->frames.size(), size_t(49));
        m_ref = *h;
    }

    void sessionJsonRestoredFromManifest_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated") << "truncated";
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("wrong types") << "types";
        QTest::newRow("number out of range") << "range";   // fuzz_session: 3e64 into an integer was undefined behaviour
    }
    void sessionJsonRestoredFromManifest() {
        QFETCH(QString, damage);
        const std::string session = renderSession();
        QVERIFY(!session.empty());
        const std::string file = session + "/session.json";
        const std::string good = readAll(file);
        if (damage == "truncated") writeAll(file, good.substr(0, good.size() / 2));
        else if (damage == "garbage") writeAll(file, std::string("\x7f\x00\xff garbage", 11));
        else if (damage == "types") writeAll(file, R"({"version": 1, "factor": "two", "chunkFrames": [8]})");
        else writeAll(file, replaceNumber(good, "chunkFrames", "3.11111e+64"));
        const std::string out = session + ".out.mkv";
        auto r = runCli(resumeArgs(session, out));
        CHECK_RUN(r, 0);
        QVERIFY2(r.stdErr.contains("session file " + QString::fromStdString(file) + " was damaged"), qPrintable(r.stdErr));
        QVERIFY2(r.stdErr.contains("restored from manifest.json"), qPrintable(r.stdErr));
        if (damage == "range")
            QVERIFY2(r.stdErr.contains("\"chunkFrames\" is 3.11111e+64, not a whole number in range"), qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains("chunks resumed: 3\n"), qPrintable(r.stdOut));
        sameFramesAsReference(out);
    }

    // Neither file holds the identity: nothing can vouch for the chunks; the message says what to do.
    void sessionJsonAndManifestDamaged() {
        const std::string session = renderSession();
        QVERIFY(!session.empty());
        writeAll(session + "/session.json", "{\"version\": 1, \"inputPa");
        writeAll(session + "/manifest.json", "");
        const std::string out = session + ".out.mkv";
        auto r = runCli(resumeArgs(session, out));
        CHECK_RUN(r, 6);
        QVERIFY2(r.stdErr.contains("session file " + QString::fromStdString(session) + "/session.json is damaged (not valid JSON"),
                 qPrintable(r.stdErr));
        QVERIFY2(r.stdErr.contains("manifest.json cannot replace it (empty)"), qPrintable(r.stdErr));
        QVERIFY2(r.stdErr.contains("restore session.json, or delete " + QString::fromStdString(session) + " to start over"),
                 qPrintable(r.stdErr));
        QVERIFY(!fs::exists(out));
        for (int k = 0; k < kChunks; ++k) QVERIFY(fs::exists(session + "/chunk_00000" + std::to_string(k) + ".nut"));   // nothing deleted
        // `tlbvfi join` says the same.
        auto j = runCli({"join", QString::fromStdString(session), "-o", QString::fromStdString(out)});
        CHECK_RUN(j, 6);
        QVERIFY2(j.stdErr.contains("session.json is damaged"), qPrintable(j.stdErr));
    }

    // index.json comes from the source: `join` indexes the source again, a rerun writes it again.
    void indexJsonRebuiltFromSource() {
        for (const char* how : {"join", "interpolate"}) {
            const std::string session = renderSession();
            QVERIFY(!session.empty());
            const std::string file = session + "/index.json";
            const std::string good = readAll(file);
            // Cut short, and a number no integer holds (fuzz_session).
            writeAll(file, std::string(how) == "join" ? good.substr(0, good.size() - 7) : replaceNumber(good, "width", "1e+19"));
            const std::string out = session + ".out.mkv";
            auto r = std::string(how) == "join" ? runCli({"join", QString::fromStdString(session), "-o", QString::fromStdString(out)})
                                                : runCli(resumeArgs(session, out));
            CHECK_RUN(r, 0);
            QVERIFY2(r.stdErr.contains("session file " + QString::fromStdString(file) + " is damaged"), qPrintable(r.stdErr));
            QVERIFY2(r.stdErr.contains("written again from the source"), qPrintable(r.stdErr));
            sameFramesAsReference(out);
        }
    }

    void chunkRecordDamaged_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated") << "truncated";
        QTest::newRow("another chunk's record") << "other";
        QTest::newRow("number out of range") << "range";
    }
    // `join` refuses naming the record; the session's interpolate command renders that chunk again.
    void chunkRecordDamaged() {
        QFETCH(QString, damage);
        const std::string session = renderSession();
        QVERIFY(!session.empty());
        const std::string record = session + "/chunk_000001.json";
        if (damage == "truncated") writeAll(record, readAll(record).substr(0, 40));
        else if (damage == "range") writeAll(record, replaceNumber(readAll(record), "outputEnd", "-9.5e+300"));
        else fs::copy_file(session + "/chunk_000000.json", record, fs::copy_options::overwrite_existing);
        const std::string out = session + ".out.mkv";
        auto j = runCli({"join", QString::fromStdString(session), "-o", QString::fromStdString(out)});
        CHECK_RUN(j, 6);
        QVERIFY2(j.stdErr.contains("1 of 3 chunks missing or invalid (1); damaged records: chunk_000001.json"), qPrintable(j.stdErr));
        QVERIFY2(j.stdErr.contains("Run the session's interpolate command again"), qPrintable(j.stdErr));
        QVERIFY(!fs::exists(out));
        auto r = runCli(resumeArgs(session, out, {"--keep-chunks"}));
        CHECK_RUN(r, 0);
        QVERIFY2(r.stdErr.contains("chunk record " + QString::fromStdString(record) + " is damaged"), qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains("chunks resumed: 2\n"), qPrintable(r.stdOut));
        sameFramesAsReference(out);
        QVERIFY(readAll(session + "/chunk_000001.nut") == m_refChunk1);   // rendered again, the same bytes
    }

    void manifestRebuiltFromRecords() {
        const std::string session = renderSession();
        QVERIFY(!session.empty());
        const std::string file = session + "/manifest.json";
        writeAll(file, "{\"version\": 1, \"chunks\": [");
        const std::string out = session + ".out.mkv";
        auto r = runCli(resumeArgs(session, out, {"--keep-chunks"}));
        CHECK_RUN(r, 0);
        QVERIFY2(r.stdErr.contains("session file " + QString::fromStdString(file) + " is damaged or missing; written again from the chunk records"),
                 qPrintable(r.stdErr));
        const auto m = nlohmann::json::parse(readAll(file), nullptr, false);
        QVERIFY(!m.is_discarded());
        QCOMPARE(m.value("chunksDone", 0), kChunks);
        QCOMPARE(int(m["chunks"].size()), kChunks);
        sameFramesAsReference(out);
    }

    // A chunk whose bytes changed after it was recorded fails its hash: never joined, rendered again.
    void chunkWithFlippedBytesRenderedAgain() {
        const std::string session = renderSession();
        QVERIFY(!session.empty());
        const std::string chunk = session + "/chunk_000001.nut";
        std::string bytes = readAll(chunk);
        for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 4; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
        writeAll(chunk, bytes);
        const std::string out = session + ".out.mkv";
        auto j = runCli({"join", QString::fromStdString(session), "-o", QString::fromStdString(out)});
        CHECK_RUN(j, 6);
        QVERIFY2(j.stdErr.contains("1 of 3 chunks missing or invalid (1)"), qPrintable(j.stdErr));
        QVERIFY(!fs::exists(out));
        auto r = runCli(resumeArgs(session, out, {"--keep-chunks"}));
        CHECK_RUN(r, 0);
        QVERIFY2(r.stdErr.contains("chunk file " + QString::fromStdString(chunk) + " does not match its record"), qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains("chunks resumed: 2\n"), qPrintable(r.stdOut));
        sameFramesAsReference(out);
        QVERIFY(readAll(chunk) == m_refChunk1);
    }

    // A process killed between an atomic write and its rename leaves <file>.tmp-<pid>-<thread>-<n> (the kill soak
    // found them piling up): the next run removes those of dead processes older than a minute and
    // keeps a live process's.
    void abandonedTempFilesAreRemoved() {
        const std::string session = renderSession();
        QVERIFY(!session.empty());
        QProcess gone;
        gone.start(QStringLiteral("true"), {});
        QVERIFY(gone.waitForStarted());
        const QString deadPid = QString::number(gone.processId());
        QVERIFY(gone.waitForFinished());
        const std::string old1 = session + "/manifest.json.tmp-" + deadPid.toStdString() + "-4711-3";
        const std::string old2 = session + "/chunk_000001.json.tmp-" + deadPid.toStdString() + "-4711-3";
        const std::string fresh = session + "/chunk_000002.json.tmp-" + deadPid.toStdString() + "-4711-3";
        const std::string live = session + "/manifest.json.tmp-" + std::to_string(::getpid()) + "-4711-0";
        for (const std::string& f : {old1, old2, fresh, live}) writeAll(f, "{\"partial\": ");
        for (const std::string& f : {old1, old2, live}) fs::last_write_time(f, fs::file_time_type::clock::now() - std::chrono::minutes(5));
        auto r = runCli(resumeArgs(session, session + ".out.mkv", {"--keep-chunks"}));
        CHECK_RUN(r, 0);
        QVERIFY(!fs::exists(old1));
        QVERIFY(!fs::exists(old2));
        QVERIFY(fs::exists(fresh));   // could still be renamed by a writer on another host
        QVERIFY(fs::exists(live));
        sameFramesAsReference(session + ".out.mkv");
    }
};

QTEST_GUILESS_MAIN(TestE2eDamagedSession)
#include "test_e2e_damaged_session.moc"
