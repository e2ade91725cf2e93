// End-to-end behaviour of `tlbvfi` (blend backend, generated media): frame counts, exact
// timestamps, chunk edges, crash/resume at named phases, refusal of changed sessions, bad input.
// Range renders (--range, no join) are checked on the chunk files; full runs need the joiner and
// are skipped where this build has none.
#include <QtTest>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "support/cli_run.h"
#include "support/media_gen.h"
#include "support/scratch_fs.h"
#include "vfi/job_runner.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

// Every chunk of the session, in order, decoded: (pts in seconds as a rational check, hash).
struct Decoded {
    std::vector<FrameHash> frames;
    Rational tb;
};
// The session's chunk files in chunk order.
std::vector<std::string> chunkFiles(const std::string& session) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(session))
        if (e.path().extension() == ".nut" && e.path().filename().string().rfind("chunk_", 0) == 0) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

Decoded decodeChunks(const std::string& session) {
    Decoded d;
    for (const auto& f : chunkFiles(session)) {
        auto h = frameHashes(f);
        if (!h) return {};
        d.tb = h->timeBase;
        d.frames.insert(d.frames.end(), h->frames.begin(), h->frames.end());
    }
    return d;
}

}  // namespace

class TestE2eCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi"); }

    void frameCountsAndExactTimestamps_data() {
        QTest::addColumn<int>("factor");
        QTest::addColumn<bool>("vfr");
        QTest::addColumn<int>("chunkFrames");
        QTest::newRow("2x cfr 30000/1001") << 2 << false << 4;
        QTest::newRow("4x cfr 30000/1001") << 4 << false << 3;
        QTest::newRow("2x vfr") << 2 << true << 4;
        QTest::newRow("2x chunk-frames 1") << 2 << false << 1;
        QTest::newRow("2x 1-pair last chunk") << 2 << false << 5;   // 11 frames: starts 0,5 -> last chunk [10,11)
    }
    void frameCountsAndExactTimestamps() {
        QFETCH(int, factor);
        QFETCH(bool, vfr);
        QFETCH(int, chunkFrames);
        TempDir tmp;
        GenSpec g;
        g.frames = 11;
        g.frameRate = {30000, 1001};
        g.bframes = 2;
        if (vfr) {
            g.vfrTimeBase = {1, 90000};
            int64_t t = 0;
            for (int i = 0; i < g.frames; ++i) {
                g.vfrPts.push_back(t);
                t += (i % 3 == 0) ? 3000 : 1500 + 300 * (i % 2);
            }
        }
        const std::string src = tmp.file("src.mkv");
        QVERIFY(generate(src, g).ok());
        auto srcHashes = frameHashes(src);
        QVERIFY(srcHashes.ok());
        const std::string session = tmp.file("sess");
        auto r = runCli(sessionArgs(src, session, {"--factor", QString::number(factor), "--chunk-frames", QString::number(chunkFrames),
                                                   "--encoder", "ffv1", "--pix-fmt", "yuv420p"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        Decoded out = decodeChunks(session);
        const int64_t n = static_cast<int64_t>(srcHashes->frames.size());
        QCOMPARE(int64_t(out.frames.size()), (n - 1) * factor + 1);
        // Source frames pass through untouched (lossless FFV1 in the source's pixel format).
        QCOMPARE(out.frames.front().hash, srcHashes->frames.front().hash);
        QCOMPARE(out.frames.back().hash, srcHashes->frames.back().hash);
        for (int64_t i = 0; i < n; ++i) QCOMPARE(out.frames[size_t(i * factor)].hash, srcHashes->frames[size_t(i)].hash);
        // Exact timestamps: output j = i*f + r has a*f + r*(b-a) in source tb / f.
        const Rational stb = srcHashes->timeBase;
        const Rational otb = out.tb;
        const int64_t p0 = srcHashes->frames.front().pts;
        const int64_t o0 = out.frames.front().pts;
        for (size_t j = 0; j < out.frames.size(); ++j) {
            const size_t i = j / size_t(factor);
            const int64_t rr = int64_t(j % size_t(factor));
            const int64_t a = srcHashes->frames[i].pts - p0;
            const int64_t b = rr ? srcHashes->frames[i + 1].pts - p0 : a;
            const int64_t expectedNum = (a * factor + rr * (b - a)) * stb.num;   // seconds * stb.den * factor
            const int64_t gotNum = (out.frames[j].pts - o0) * otb.num;            // seconds * otb.den
            QCOMPARE(gotNum * int64_t(stb.den) * factor, expectedNum * int64_t(otb.den));
        }
    }

    // 4x and 8x place each generated frame where the bisection puts it: with the blend backend output
    // j = i*f + r of the pair (A, B) is (1 - r/f)*A + (r/f)*B (blend of blends, level by level). Every
    // sample of every frame is compared (4:4:4 FFV1 in and out, so no chroma resampling), and the check
    // proves it can tell neighbours apart: each generated frame is further than the tolerance from the
    // weights of the positions beside it.
    void generatedFramesAreTheBisection_data() {
        QTest::addColumn<int>("factor");
        QTest::newRow("4x") << 4;
        QTest::newRow("8x") << 8;
    }
    void generatedFramesAreTheBisection() {
        QFETCH(int, factor);
        TempDir tmp;
        GenSpec g;
        g.frames = 5;
        g.codec = "ffv1";
        g.pixFmt = "yuv444p";
        const std::string src = tmp.file("src.mkv");
        QVERIFY(generate(src, g).ok());
        auto in = framePixels(src);
        QVERIFY(in.ok());
        QCOMPARE(in->size(), size_t(5));
        const std::string session = tmp.file("sess");
        auto r = runCli(sessionArgs(src, session, {"--factor", QString::number(factor), "--chunk-frames", "2", "--encoder", "ffv1",
                                                   "--pix-fmt", "yuv444p"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        std::vector<std::vector<uint8_t>> out;
        for (const auto& f : chunkFiles(session)) {
            auto px = framePixels(f);
            QVERIFY(px.ok());
            out.insert(out.end(), px->begin(), px->end());
        }
        QCOMPARE(out.size(), size_t(4 * factor + 1));
        // Largest |got - expected| over the samples for weight t of the pair (a, b).
        auto maxError = [](const std::vector<uint8_t>& got, const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, double t) {
            double worst = 0;
            for (size_t p = 0; p < got.size(); ++p) worst = std::max(worst, std::abs(got[p] - ((1 - t) * a[p] + t * b[p])));
            return worst;
        };
        constexpr double kTolerance = 2.0;   // YUV -> float RGB -> blend -> YUV rounds twice
        for (size_t i = 0; i + 1 < in->size(); ++i)
            for (int k = 0; k <= factor; ++k) {
                const auto& got = out[i * size_t(factor) + size_t(k)];
                QCOMPARE(got.size(), (*in)[i].size());
                const double t = double(k) / factor;
                const double err = maxError(got, (*in)[i], (*in)[i + 1], t);
                QVERIFY2(err <= kTolerance, qPrintable(QString("pair %1, position %2/%3: max error %4").arg(i).arg(k).arg(factor).arg(err)));
                for (int n : {k - 1, k + 1}) {
                    if (n < 0 || n > factor) continue;
                    const double other = maxError(got, (*in)[i], (*in)[i + 1], double(n) / factor);
                    QVERIFY2(other > kTolerance, qPrintable(QString("pair %1: position %2 cannot be told from %3").arg(i).arg(k).arg(n)));
                }
            }
    }

    void killAtNamedPhasesThenResumeIsIdentical_data() {
        QTest::addColumn<QString>("phase");
        QTest::newRow("mid-encode") << "mid-encode";
        QTest::newRow("after-rename") << "after-rename";
    }
    void killAtNamedPhasesThenResumeIsIdentical() {
        QFETCH(QString, phase);
        TempDir tmp;
        GenSpec g;
        g.frames = 13;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const QStringList opts{"--chunk-frames", "4", "--seed", "7"};
        auto ref = runCli(sessionArgs(src, tmp.file("ref"), opts));
        QVERIFY2(ref.exitCode == 0, qPrintable(ref.stdErr));
        auto killed = runCliKilledAt(phase.toUtf8(), 1, sessionArgs(src, tmp.file("s"), opts));
        QVERIFY2(killed.crashed || killed.exitCode != 0, "the kill hook did not fire");
        auto resumed = runCli(sessionArgs(src, tmp.file("s"), opts));
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.stdErr));
        QVERIFY(resumed.stdOut.contains("chunks resumed: 1") || resumed.stdOut.contains("chunks resumed: 2"));
        Decoded a = decodeChunks(tmp.file("ref")), b = decodeChunks(tmp.file("s"));
        auto srcHashes = frameHashes(src);
        QVERIFY(srcHashes.ok());
        QCOMPARE(a.frames.size(), (srcHashes->frames.size() - 1) * 2 + 1);
        QCOMPARE(b.frames.size(), a.frames.size());
        for (size_t i = 0; i < a.frames.size(); ++i) QCOMPARE(b.frames[i].hash, a.frames[i].hash);
    }

    void resumeWithChangedSettingsOrSourceIsRefused() {
        TempDir tmp;
        GenSpec g;
        g.frames = 9;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string s = tmp.file("s");
        QCOMPARE(runCli(sessionArgs(src, s, {"--chunk-frames", "4"})).exitCode, 0);
        const auto before = decodeChunks(s).frames.size();
        auto changed = runCli(sessionArgs(src, s, {"--chunk-frames", "4", "--factor", "4"}));
        QCOMPARE(changed.exitCode, 6);
        QVERIFY2(changed.stdErr.contains("settings changed"), qPrintable(changed.stdErr));
        {   // A session begun by a build that rendered other pixels (an older render revision) is refused.
            QFile f(QString::fromStdString(s + "/session.json"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QJsonObject id = QJsonDocument::fromJson(f.readAll()).object();
            f.close();
            QJsonObject settings = id["settings"].toObject();
            QCOMPARE(settings["renderRevision"].toInt(), 3);
            settings["renderRevision"] = 2;
            id["settings"] = settings;
            id["settingsHash"] = "hash of an older build's settings";
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(id).toJson());
            f.close();
            auto older = runCli(sessionArgs(src, s, {"--chunk-frames", "4"}));
            QCOMPARE(older.exitCode, 6);
            QVERIFY2(older.stdErr.contains("renderRevision 2 -> 3"), qPrintable(older.stdErr));
        }
        g.frames = 10;   // another source under the same name
        QVERIFY(generate(src, g).ok());
        auto other = runCli(sessionArgs(src, s, {"--chunk-frames", "4"}));
        QCOMPARE(other.exitCode, 6);
        QVERIFY2(other.stdErr.contains("source"), qPrintable(other.stdErr));
        QCOMPARE(decodeChunks(s).frames.size(), before);   // nothing deleted
    }

    void rangeRenderedWithoutOutputResumesIntoAnOutput() {
        // Render-farm flow: ranges into a shared session without -o, then the same job with -o (or a
        // join into another container) uses those chunks: the output container is not a chunk setting.
        TempDir tmp;
        GenSpec g;
        g.frames = 9;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string s = tmp.file("s");
        auto part = runCli({"interpolate", QString::fromStdString(src), "--backend", "blend", "--min-free-gb", "0", "--chunk-frames",
                            "4", "--session", QString::fromStdString(s), "--range", "0:4"});
        QVERIFY2(part.exitCode == 0, qPrintable(part.stdErr));
        auto whole = runCli(outputArgs(src, tmp.file("out.mp4"), {"--min-free-gb", "0", "--chunk-frames", "4", "--session", QString::fromStdString(s), "--keep-chunks"}));
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.stdErr));
        QVERIFY2(whole.stdOut.contains("chunks resumed: 1"), qPrintable(whole.stdOut));
        auto mkv = runCli({"join", QString::fromStdString(s), "-o", QString::fromStdString(tmp.file("out.mkv"))});
        QVERIFY2(mkv.exitCode == 0, qPrintable(mkv.stdErr));
        auto a = frameHashes(tmp.file("out.mp4")), b = frameHashes(tmp.file("out.mkv"));
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->frames.size(), size_t((9 - 1) * 2 + 1));
        QCOMPARE(b->frames.size(), a->frames.size());
        for (size_t i = 0; i < a->frames.size(); ++i) QCOMPARE(b->frames[i].hash, a->frames[i].hash);
    }

    void badInputIsRefusedCleanly() {
        TempDir tmp;
        GenSpec g;
        g.frames = 20;
        const std::string good = tmp.file("good.mp4");
        QVERIFY(generate(good, g).ok());
        const std::string text = tmp.file("text.mp4");
        std::ofstream(text) << "this is not a video\n";
        const std::string empty = tmp.file("empty.mp4");
        std::ofstream(empty).close();
        const std::string cut = tmp.file("cut.mp4");
        {
            std::ifstream in(good, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        }
        GenSpec audioOnly;
        audioOnly.frames = 0;
        audioOnly.audio.enabled = true;
        audioOnly.audio.durationSeconds = 1;
        const std::string audio = tmp.file("audio.m4a");
        const bool haveAudioOnly = generate(audio, audioOnly).ok();
        struct Case {
            std::string in, out;
            int code;
            QString says;
        };
        std::vector<Case> cases = {
            {text, tmp.file("o1.mp4"), 3, "not a readable video"},
            {empty, tmp.file("o2.mp4"), 3, "empty"},
            {cut, tmp.file("o3.mp4"), 3, "cut.mp4"},
            {good, tmp.file("no/such/dir/o4.mp4"), 4, "does not exist"},
            {good, good, 4, "is the input"},
        };
        if (haveAudioOnly) cases.push_back({audio, tmp.file("o5.mp4"), 3, "no video"});
        for (const auto& c : cases) {
            auto r = runCli(outputArgs(c.in, c.out));
            QVERIFY2(r.exitCode == c.code, qPrintable(QString::fromStdString(c.in) + ": " + r.stdErr));
            QVERIFY2(r.stdErr.contains(c.says), qPrintable(r.stdErr));
            if (c.out != c.in) QVERIFY(!fs::exists(c.out));
        }
    }

    // Unwritable output folder: refused with exit 4 naming it, nothing written there, the chunks of the
    // existing session are kept. Root ignores permission bits, so as root (CI) the folder is a
    // read-only tmpfs mounted by the test (EROFS); elsewhere the folder's write bits are removed.
    void unwritableOutputFolderKeepsChunks() {
        TempDir tmp;
        GenSpec g;
        g.frames = 20;
        const std::string good = tmp.file("good.mp4");
        QVERIFY(generate(good, g).ok());
        const std::string s = tmp.file("keep");
        QCOMPARE(runCli(sessionArgs(good, s, {"--chunk-frames", "8"})).exitCode, 0);
        const std::string ro = tmp.file("ro");
        fs::create_directories(ro);
        std::optional<ScratchMount> readOnly;
        if (::geteuid() == 0) {
            readOnly.emplace(ro, 1 << 20, true);
            SKIP_WITHOUT_MOUNT(*readOnly);
        } else {
            fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
        }
        auto r = runCli(outputArgs(good, ro + "/x.mp4", {"--session", QString::fromStdString(s), "--chunk-frames", "8", "--keep-chunks"}));
        const bool wrote = fs::exists(ro + "/x.mp4");
        readOnly.reset();
        fs::permissions(ro, fs::perms::owner_all);
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.stdErr.contains("output folder " + QString::fromStdString(ro) + " is not writable"), qPrintable(r.stdErr));
        QVERIFY(!wrote);
        auto srcHashes = frameHashes(good);
        QVERIFY(srcHashes.ok());
        QCOMPARE(decodeChunks(s).frames.size(), (srcHashes->frames.size() - 1) * 2 + 1);
    }

    void fullRunJoinsVerifiesAndRemovesChunks() {
        TempDir tmp;
        GenSpec g;
        g.frames = 12;
        g.frameRate = {30000, 1001};
        const std::string src = tmp.file("src.mkv");
        QVERIFY(generate(src, g).ok());
        const std::string out = tmp.file("out.mkv");
        auto r = runCli(outputArgs(src, out, {"--encoder", "ffv1", "--chunk-frames", "5", "--min-free-gb", "0"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        auto h = frameHashes(out);
        QVERIFY(h.ok());
        QCOMPARE(h->frames.size(), size_t(23));
        QVERIFY(!fs::exists(out + ".tlbvfi"));
        auto v = runCli({"verify", QString::fromStdString(out)});
        QCOMPARE(v.exitCode, 0);
        // A second run refuses to overwrite.
        auto again = runCli(outputArgs(src, out));
        QCOMPARE(again.exitCode, 4);
    }

    // Video ends with the source: the last output frame keeps the source's last-frame duration, so an
    // MP4 (x264 with B-frames) 12-frame 30000/1001 source of 12*1001/30000 s gives exactly that length.
    void joinedMp4KeepsSourceDuration() {
        TempDir tmp;
        GenSpec g;
        g.frames = 12;
        g.frameRate = {30000, 1001};
        g.bframes = 2;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string out = tmp.file("out.mp4");
        auto r = runCli(outputArgs(src, out, {"--chunk-frames", "5", "--min-free-gb", "0"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        auto srcReport = vfi::verifyOutput(src);
        auto outReport = vfi::verifyOutput(out);
        QVERIFY(srcReport.ok() && outReport.ok());
        QCOMPARE(outReport->videoFrames, int64_t(23));
        QVERIFY2(std::abs(srcReport->durationSeconds - 12 * 1001.0 / 30000.0) < 1e-6, qPrintable(QString::number(srcReport->durationSeconds)));
        QVERIFY2(std::abs(outReport->durationSeconds - srcReport->durationSeconds) < 1e-6,
                 qPrintable(QString("%1 vs %2").arg(outReport->durationSeconds).arg(srcReport->durationSeconds)));
    }

    void killDuringJoinThenRerunFinishes() {
        TempDir tmp;
        GenSpec g;
        g.frames = 12;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string ref = tmp.file("ref.mp4"), out = tmp.file("out.mp4");
        const QStringList opts{"--chunk-frames", "4", "--min-free-gb", "0"};
        QCOMPARE(runCli(outputArgs(src, ref, opts)).exitCode, 0);
        auto killed = runCliKilledAt("during-join", -1, outputArgs(src, out, opts));
        QVERIFY(killed.crashed || killed.exitCode != 0);
        QVERIFY(!fs::exists(out));                       // nothing under the final name
        QVERIFY(fs::exists(out + ".tlbvfi/manifest.json"));   // chunks kept
        auto rerun = runCli(outputArgs(src, out, opts));
        QVERIFY2(rerun.exitCode == 0, qPrintable(rerun.stdErr));
        QVERIFY(rerun.stdOut.contains("chunks resumed: 3"));
        auto a = frameHashes(ref), b = frameHashes(out);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(b->frames.size(), a->frames.size());
        for (size_t i = 0; i < a->frames.size(); ++i) QCOMPARE(b->frames[i].hash, a->frames[i].hash);
    }

    void usageErrors() {
        QCOMPARE(runCli({}).exitCode, 2);
        QCOMPARE(runCli({"interpolate", "x.mp4", "-o", "y.mp4", "--factor", "3"}).exitCode, 2);
        QCOMPARE(runCli({"interpolate", "x.mp4", "-o", "y.mp4", "--bogus"}).exitCode, 2);
        QCOMPARE(runCli({"frobnicate"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestE2eCli)
#include "test_e2e_cli.moc"
