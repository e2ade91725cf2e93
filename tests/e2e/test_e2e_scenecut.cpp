// Scene cuts end to end through `tlbvfi` (blend backend, FFV1 output, generated clip with a hard
// cut): the frames generated across the cut repeat the earlier frame, every other generated frame is
// a blend; the cut is listed in the session manifest, in the run summary and by `tlbvfi info`;
// `--scene-threshold 0` disables detection and the threshold changes what is detected.
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/media_gen.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

constexpr int kFrames = 12;

// Runs a full interpolate (FFV1 .mkv, chunks kept) and returns the summary's stdout.
CliResult render(const std::string& src, const std::string& out, const QStringList& extra = {}) {
    return runCli(outputArgs(src, out,
                             QStringList{"--encoder", "ffv1", "--chunk-frames", "4", "--keep-chunks", "--min-free-gb", "0"} + extra));
}

std::vector<int64_t> manifestCuts(const std::string& out) {
    std::ifstream f(out + ".tlbvfi/manifest.json");
    const auto j = nlohmann::json::parse(f, nullptr, false);
    if (j.is_discarded() || !j.contains("sceneCuts")) return {-999};
    return j["sceneCuts"].get<std::vector<int64_t>>();
}

int maxDiff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    if (a.size() != b.size()) return 1 << 20;
    int m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(int(a[i]) - int(b[i])));
    return m;
}

// Mean absolute difference of g from the average of a and b (a blend at t = 1/2 is ~0).
double blendError(const std::vector<uint8_t>& g, const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    if (g.size() != a.size() || g.size() != b.size() || g.empty()) return 1e9;
    double s = 0;
    for (size_t i = 0; i < g.size(); ++i) s += std::fabs(g[i] - (a[i] + b[i]) / 2.0);
    return s / double(g.size());
}

}  // namespace

class TestE2eSceneCut : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi"); }

    // cutAt 6: inside chunk [4,8); cutAt 8: the pair (7,8) crosses the chunk boundary at 8.
    void cutRepeatsEarlierFrameElsewhereBlends_data() {
        QTest::addColumn<int>("cutAt");
        QTest::newRow("cut inside a chunk") << 6;
        QTest::newRow("cut at a chunk boundary") << 8;
    }
    void cutRepeatsEarlierFrameElsewhereBlends() {
        QFETCH(int, cutAt);
        TempDir tmp;
        GenSpec g;
        g.frames = kFrames;
        g.sceneCutAt = cutAt;
        g.codec = "ffv1";
        const std::string src = tmp.file("src.mkv");
        QVERIFY(generate(src, g).ok());
        const std::string out = tmp.file("out.mkv");
        auto r = render(src, out);
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains("scene cuts: 1\n"), qPrintable(r.stdOut));
        const int64_t cut = cutAt - 1;   // the pair (cut, cut+1) spans the cut
        QCOMPARE(manifestCuts(out), std::vector<int64_t>{cut});

        auto src8 = framePixels(src), out8 = framePixels(out);
        auto srcH = frameHashes(src), outH = frameHashes(out);
        QVERIFY(src8.ok() && out8.ok() && srcH.ok() && outH.ok());
        QCOMPARE(int(outH->frames.size()), (kFrames - 1) * 2 + 1);
        for (int i = 0; i < kFrames; ++i) QCOMPARE(outH->frames[size_t(2 * i)].hash, srcH->frames[size_t(i)].hash);
        for (int i = 0; i + 1 < kFrames; ++i) {
            const auto& gen = (*out8)[size_t(2 * i + 1)];
            const auto& a = (*src8)[size_t(i)];
            const auto& b = (*src8)[size_t(i + 1)];
            if (i == cut) {
                // The earlier frame repeats (through the RGB path: within one level of the source).
                QVERIFY2(maxDiff(gen, a) <= 1, qPrintable(QString("frame %1 differs from %2 by %3").arg(2 * i + 1).arg(2 * i).arg(maxDiff(gen, a))));
            } else {
                QVERIFY2(blendError(gen, a, b) < 1.0, qPrintable(QString("frame %1 is no blend: %2").arg(2 * i + 1).arg(blendError(gen, a, b))));
                QVERIFY(maxDiff(gen, a) > 1 && maxDiff(gen, b) > 1);
            }
        }
    }

    void infoListsCutsAndExactDuration() {
        TempDir tmp;
        GenSpec g;
        g.frames = kFrames;
        g.frameRate = {30000, 1001};
        g.sceneCutAt = 6;
        g.bframes = 2;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        auto r = runCli({"info", QString::fromStdString(src)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains("frames: 12\n"), qPrintable(r.stdOut));
        // 12 frames of 1001/30000 s, from the index (the MP4 header's value is rounded).
        QVERIFY2(r.stdOut.contains("duration: 0.400400 s\n"), qPrintable(r.stdOut));
        QVERIFY2(r.stdOut.contains("scene cuts (threshold 0.35): 1\n"), qPrintable(r.stdOut));
        QVERIFY2(r.stdOut.contains("scene cut: after frame 5\n"), qPrintable(r.stdOut));
        auto off = runCli({"info", QString::fromStdString(src), "--scene-threshold", "0"});
        QCOMPARE(off.exitCode, 0);
        QVERIFY2(!off.stdOut.contains("scene cut: after"), qPrintable(off.stdOut));
        auto noScan = runCli({"info", QString::fromStdString(src), "--no-scan"});
        QCOMPARE(noScan.exitCode, 0);
        QVERIFY(noScan.stdOut.contains("scene cuts: not scanned"));
        QCOMPARE(runCli({"info", QString::fromStdString(src), "--scene-threshold", "2"}).exitCode, 2);
    }

    // 0 disables: the pair across the cut is blended like any other; a threshold above the cut's
    // score misses it, one below the score of ordinary motion flags every pair.
    void thresholdControlsDetection() {
        TempDir tmp;
        GenSpec g;
        g.frames = kFrames;
        g.sceneCutAt = 6;
        g.codec = "ffv1";
        const std::string src = tmp.file("src.mkv");
        QVERIFY(generate(src, g).ok());
        const std::string off = tmp.file("off.mkv");
        auto r = render(src, off, {"--scene-threshold", "0"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains("scene cuts: 0\n"), qPrintable(r.stdOut));
        QCOMPARE(manifestCuts(off), std::vector<int64_t>{});
        auto src8 = framePixels(src), off8 = framePixels(off);
        QVERIFY(src8.ok() && off8.ok());
        QVERIFY(blendError((*off8)[11], (*src8)[5], (*src8)[6]) < 1.0);

        const std::string high = tmp.file("high.mkv");
        r = render(src, high, {"--scene-threshold", "0.95"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains("scene cuts: 0\n"), qPrintable(r.stdOut));
        const std::string low = tmp.file("low.mkv");
        r = render(src, low, {"--scene-threshold", "0.001"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY2(r.stdOut.contains(QString("scene cuts: %1\n").arg(kFrames - 1)), qPrintable(r.stdOut));
        QCOMPARE(manifestCuts(low).size(), size_t(kFrames - 1));
        auto info = runCli({"info", QString::fromStdString(src), "--scene-threshold", "0.95"});
        QVERIFY2(info.stdOut.contains("scene cuts (threshold 0.95): 0\n"), qPrintable(info.stdOut));
        info = runCli({"info", QString::fromStdString(src), "--scene-threshold", "0.001"});
        QVERIFY2(info.stdOut.contains(QString("scene cuts (threshold 0.00): %1\n").arg(kFrames - 1)), qPrintable(info.stdOut));
    }
};

QTEST_GUILESS_MAIN(TestE2eSceneCut)
#include "test_e2e_scenecut.moc"
