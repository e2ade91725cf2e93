// Demux-only index: counts, presentation-order timestamps, keyframes, last duration, edit lists, VFR,
// containers, bad and truncated inputs.
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "media/frame_index.h"
#include "support/media_gen.h"

using namespace vfi;
using namespace vfi::media;
using vfi::test::GenSpec;

namespace {

void cutInHalf(const std::string& from, const std::string& to) {
    std::ifstream in(from, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(to, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size() / 2));
}

// A valid audio-only file: 0.1 s of 16-bit mono PCM in a RIFF/WAVE header.
void writeWav(const std::string& path) {
    const uint32_t rate = 8000, samples = 800, bytes = samples * 2;
    std::ofstream f(path, std::ios::binary);
    auto u32 = [&](uint32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](uint16_t v) { f.write(reinterpret_cast<const char*>(&v), 2); };
    f.write("RIFF", 4); u32(36 + bytes); f.write("WAVEfmt ", 8); u32(16); u16(1); u16(1); u32(rate); u32(rate * 2); u16(2); u16(16);
    f.write("data", 4); u32(bytes);
    for (uint32_t i = 0; i < samples; ++i) u16(static_cast<uint16_t>((i * 97) & 0x3fff));
}

}  // namespace

class TestFrameIndex : public QObject {
    Q_OBJECT
    vfi::test::TempDir m_tmp;

private slots:
    void cfrWithBFrames() {
        GenSpec g;
        g.frames = 30;
        g.frameRate = {30000, 1001};
        g.bframes = 2;
        g.gop = 12;
        const std::string path = m_tmp.file("cfr.mp4");
        QVERIFY(vfi::test::generate(path, g).ok());
        auto idx = buildFrameIndex(path);
        QVERIFY2(idx.ok(), idx.ok() ? "" : idx.error().message.c_str());
        QCOMPARE(idx->count(), int64_t(30));
        const int64_t step = idx->pts[1] - idx->pts[0];
        QVERIFY(step > 0);
        for (size_t i = 1; i < idx->pts.size(); ++i) QCOMPARE(idx->pts[i] - idx->pts[i - 1], step);
        QCOMPARE(double(step) * idx->timeBase.toDouble(), 1001.0 / 30000.0);
        QCOMPARE(idx->lastFrameDuration, step);
        QVERIFY(!idx->keyframes.empty());
        QCOMPARE(idx->keyframes.front(), int64_t(0));
        QVERIFY(std::find(idx->keyframes.begin(), idx->keyframes.end(), 12) != idx->keyframes.end());
        QCOMPARE(idx->keyframeAtOrBefore(17), int64_t(12));
        QVERIFY(!idx->truncated);
        QVERIFY(idx->checkComplete(path).ok());
        QCOMPARE(idx->find(idx->pts[7]).value_or(-1), int64_t(7));
        QVERIFY(!idx->find(idx->pts[7] + 1).has_value());
        auto again = buildFrameIndex(path);
        QVERIFY(again.ok());
        QCOMPARE(again->hash(), idx->hash());
        g.frames = 29;
        const std::string other = m_tmp.file("cfr29.mp4");
        QVERIFY(vfi::test::generate(other, g).ok());
        auto idx29 = buildFrameIndex(other);
        QVERIFY(idx29.ok());
        QVERIFY(idx29->hash() != idx->hash());
    }

    void vfrKeepsTimestamps_data() {
        QTest::addColumn<QString>("ext");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("mp4") << "mp4" << 1e-9;
        QTest::newRow("mkv") << "mkv" << 0.0005;
        QTest::newRow("mov") << "mov" << 1e-9;
    }
    void vfrKeepsTimestamps() {
        QFETCH(QString, ext);
        QFETCH(double, tolerance);
        GenSpec g;
        g.vfrPts = {0, 3000, 4500, 9000, 12000, 12750, 18000, 27000, 30000, 33000};
        g.frames = static_cast<int>(g.vfrPts.size());
        g.bframes = 2;
        const std::string path = m_tmp.file("vfr." + ext.toStdString());
        QVERIFY(vfi::test::generate(path, g).ok());
        auto idx = buildFrameIndex(path);
        QVERIFY(idx.ok());
        QCOMPARE(idx->count(), int64_t(g.frames));
        for (int i = 0; i < g.frames; ++i) {
            const double expected = double(g.vfrPts[size_t(i)]) / 90000.0;
            QVERIFY2(std::abs(idx->secondsOf(i) - expected) <= tolerance, qPrintable(QString("frame %1").arg(i)));
        }
    }

    void editListAndContainers_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<double>("start");
        QTest::newRow("mp4 edit list + B-frames") << "edit.mp4" << "libx264" << 0.5;
        QTest::newRow("mpeg-ts") << "clip.ts" << "libx264" << 0.0;
        QTest::newRow("webm vp9") << "clip.webm" << "libvpx-vp9" << 0.0;
        QTest::newRow("mkv hevc") << "clip.mkv" << "libx265" << 0.0;
    }
    void editListAndContainers() {
        QFETCH(QString, file);
        QFETCH(QString, codec);
        QFETCH(double, start);
        GenSpec g;
        g.frames = 20;
        g.codec = codec.toStdString();
        g.bframes = codec == "libvpx-vp9" ? 0 : 2;
        g.videoStartSeconds = start;
        const std::string path = m_tmp.file(file.toStdString());
        QVERIFY(vfi::test::generate(path, g).ok());
        auto idx = buildFrameIndex(path);
        QVERIFY2(idx.ok(), idx.ok() ? "" : idx.error().message.c_str());
        QCOMPARE(idx->count(), int64_t(20));
        QVERIFY(std::abs(idx->secondsOf(19) - 19.0 / 30.0) < 0.002);
        QVERIFY(!idx->truncated);
    }

    void badInputs() {
        auto missing = buildFrameIndex(m_tmp.file("nope.mp4"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::InputNotFound);
        std::ofstream(m_tmp.file("empty.mp4")).close();
        auto empty = buildFrameIndex(m_tmp.file("empty.mp4"));
        QVERIFY(!empty.ok());
        QCOMPARE(empty.error().code, ErrorCode::NotAVideo);
        std::ofstream(m_tmp.file("text.mp4")) << "this is not a video, just some text\n";
        auto text = buildFrameIndex(m_tmp.file("text.mp4"));
        QVERIFY(!text.ok());
        QCOMPARE(text.error().code, ErrorCode::NotAVideo);
        QVERIFY(text.error().message.find("text.mp4") != std::string::npos);
        writeWav(m_tmp.file("audio.wav"));
        auto audio = buildFrameIndex(m_tmp.file("audio.wav"));
        QVERIFY(!audio.ok());
        QCOMPARE(audio.error().code, ErrorCode::NoVideoStream);
    }

    void truncatedInputs() {
        GenSpec g;
        g.frames = 120;
        g.width = 128;
        g.height = 96;
        // MP4 (moov at the end): cut at 50 % the index box is gone.
        QVERIFY(vfi::test::generate(m_tmp.file("full.mp4"), g).ok());
        cutInHalf(m_tmp.file("full.mp4"), m_tmp.file("half.mp4"));
        auto mp4 = buildFrameIndex(m_tmp.file("half.mp4"));
        QVERIFY(!mp4.ok());
        QCOMPARE(mp4.error().code, ErrorCode::TruncatedInput);
        // MKV: the frames before the cut are indexed, the index is flagged truncated.
        QVERIFY(vfi::test::generate(m_tmp.file("full.mkv"), g).ok());
        cutInHalf(m_tmp.file("full.mkv"), m_tmp.file("half.mkv"));
        auto mkv = buildFrameIndex(m_tmp.file("half.mkv"));
        QVERIFY(mkv.ok());
        QVERIFY(mkv->count() > 0 && mkv->count() < 120);
        QVERIFY(mkv->truncated);
        auto st = mkv->checkComplete(m_tmp.file("half.mkv"));
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, ErrorCode::TruncatedInput);
    }
};

QTEST_GUILESS_MAIN(TestFrameIndex)
#include "test_frame_index.moc"
