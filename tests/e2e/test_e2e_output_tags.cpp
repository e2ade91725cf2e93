// End to end (tlbvfi CLI, blend backend, generated media): what the chunk encoder's settings and the
// joiner give the OUTPUT file. Chunks are NUT, which cannot carry a display matrix (nor FFV1 an RGB
// matrix tag), so these can only be checked on the joined file: a rotated source keeps its rotation,
// RGB output is tagged RGB, colour tags follow the source. Also: the session records the resolved
// encoder settings (media::resolveEncode's settingsHash), so resuming with other ones is refused.
#include <QtTest>

#include <cmath>
#include <filesystem>

#include "support/cli_run.h"
#include "support/media_gen.h"
#include "vfi/job_runner.h"
#include "vfi/media_info.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

class TestE2eOutputTags : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi"); }

    void rotatedSourceKeepsRotation_data() {
        QTest::addColumn<QString>("container");
        QTest::addColumn<double>("rotation");
        QTest::addColumn<QString>("encoder");
        QTest::newRow("mp4 x264 (B-frames) 90") << "mp4" << 90.0 << "";
        QTest::newRow("mov x264 -90") << "mov" << -90.0 << "";
        QTest::newRow("mov prores 180") << "mov" << 180.0 << "prores_ks";
    }
    void rotatedSourceKeepsRotation() {
        QFETCH(QString, container);
        QFETCH(double, rotation);
        QFETCH(QString, encoder);
        TempDir tmp;
        GenSpec g;
        g.frames = 9;
        g.frameRate = {30000, 1001};
        g.bframes = 2;
        g.rotationDegrees = rotation;
        g.primaries = g.transfer = g.matrix = "bt709";
        g.range = "tv";
        const std::string src = tmp.file("src.mov");
        QVERIFY(generate(src, g).ok());
        auto srcInfo = probeMedia(src);
        QVERIFY(srcInfo.ok());
        // (the probe and the generator count the angle in opposite directions; the magnitude is the same)
        QCOMPARE(std::lround(std::abs(srcInfo->rotationDegrees)), std::lround(std::abs(rotation)));
        const std::string out = tmp.file("out." + container.toStdString());
        QStringList args = outputArgs(src, out, {"--chunk-frames", "4", "--min-free-gb", "0"});
        if (!encoder.isEmpty()) args << "--encoder" << encoder;
        auto r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        auto info = probeMedia(out);
        QVERIFY(info.ok());
        // The same display orientation as the source (-90 and 270 are the same matrix).
        auto turn = [](double deg) { return (std::lround(deg) % 360 + 360) % 360; };
        QCOMPARE(turn(info->rotationDegrees), turn(srcInfo->rotationDegrees));
        QCOMPARE(info->width, 64);   // stored size: rotation is metadata, not baked into the pixels
        QCOMPARE(info->height, 48);
        QCOMPARE(info->colour.matrix, std::string("bt709"));
        QCOMPARE(info->colour.primaries, std::string("bt709"));
        QCOMPARE(info->colour.range, std::string("tv"));
        auto h = frameHashes(out);
        QVERIFY(h.ok());
        QCOMPARE(h->frames.size(), size_t(17));
    }

    // FFV1 gbrp10le: the output has no YUV matrix (the source's bt709 would be wrong) and full range.
    void rgbOutputIsTaggedRgb() {
        TempDir tmp;
        GenSpec g;
        g.frames = 5;
        g.frameRate = {30000, 1001};
        g.primaries = g.transfer = g.matrix = "bt709";
        g.range = "tv";
        const std::string src = tmp.file("src.mov");
        QVERIFY(generate(src, g).ok());
        const std::string out = tmp.file("out.mkv");
        auto r = runCli(outputArgs(src, out, {"--encoder", "ffv1", "--pix-fmt", "gbrp10le", "--chunk-frames", "4", "--min-free-gb", "0"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        auto info = probeMedia(out);
        QVERIFY(info.ok());
        QCOMPARE(info->pixFmt, std::string("gbrp10le"));
        QCOMPARE(info->colour.matrix, std::string("gbr"));
        QCOMPARE(info->colour.range, std::string("pc"));
        QCOMPARE(info->colour.primaries, std::string("bt709"));
        auto h = frameHashes(out);
        QVERIFY(h.ok());
        QCOMPARE(h->frames.size(), size_t(9));
    }

    void resumeWithOtherResolvedEncoderSettingsIsRefused() {
        TempDir tmp;
        GenSpec g;
        g.frames = 9;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string session = tmp.file("s");
        auto run = [&](const QString& preset) {
            return runCli(sessionArgs(src, session, {"--chunk-frames", "4", "--preset", preset}));
        };
        auto first = run("veryfast");
        QVERIFY2(first.exitCode == 0, qPrintable(first.stdErr));
        auto same = run("veryfast");   // the same resolution: the session is accepted
        QVERIFY2(same.exitCode == 0, qPrintable(same.stdErr));
        auto other = run("slow");
        QCOMPARE(other.exitCode, 6);
        QVERIFY2(other.stdErr.contains("encoderSettings"), qPrintable(other.stdErr));
    }
};

QTEST_GUILESS_MAIN(TestE2eOutputTags)
#include "test_e2e_output_tags.moc"
