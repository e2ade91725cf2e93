// Proves the test media generator writes what it claims: frame counts, distinct frames, exact PTS
// (CFR and VFR), codecs/containers, audio offset, subtitles, chapters and metadata.
#include <QtTest>

#include <cmath>
#include <set>

#include "media/av_ptr.h"
#include "support/media_gen.h"

using namespace vfi::test;

class TestMediaGen : public QObject {
    Q_OBJECT

private slots:
    void cfrNtscMp4() {
        TempDir tmp;
        GenSpec s;
        s.frames = 12;
        s.frameRate = {30000, 1001};
        s.bframes = 2;
        const std::string path = tmp.file("cfr.mp4");
        auto st = generate(path, s);
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
        auto h = frameHashes(path);
        QVERIFY(h.ok());
        QCOMPARE(static_cast<int>(h->frames.size()), 12);
        std::set<std::string> distinct;
        for (size_t i = 0; i < h->frames.size(); ++i) {
            distinct.insert(h->frames[i].hash);
            QCOMPARE(h->frames[i].seconds * 30000.0 / 1001.0, static_cast<double>(i));
        }
        QCOMPARE(static_cast<int>(distinct.size()), 12);
        // Deterministic: a second file has the same decoded frames.
        QVERIFY(generate(tmp.file("cfr2.mp4"), s).ok());
        auto h2 = frameHashes(tmp.file("cfr2.mp4"));
        QVERIFY(h2.ok());
        for (size_t i = 0; i < h->frames.size(); ++i) QCOMPARE(h2->frames[i].hash, h->frames[i].hash);
        // B-frames were really used (decode order differs from presentation order).
        auto p = packetHashes(path);
        QVERIFY(p.ok());
        bool reordered = false;
        for (const auto& pk : p->at(0).packets) reordered |= pk.pts != pk.dts;
        QVERIFY(reordered);
    }

    void vfrMov() {
        TempDir tmp;
        GenSpec s;
        s.frames = 6;
        s.vfrPts = {0, 3000, 4500, 9000, 9900, 15000};
        s.vfrTimeBase = {1, 90000};
        s.bframes = 2;
        const std::string path = tmp.file("vfr.mov");
        QVERIFY(generate(path, s).ok());
        auto h = frameHashes(path);
        QVERIFY(h.ok());
        QCOMPARE(static_cast<int>(h->frames.size()), 6);
        for (size_t i = 0; i < 6; ++i)
            QCOMPARE(std::llround(h->frames[i].seconds * 90000), static_cast<long long>(s.vfrPts[i]));
    }

    void codecsAndContainers_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<QString>("pixFmt");
        QTest::newRow("x265-10bit-opengop.mkv") << "a.mkv" << "libx265" << "yuv420p10le";
        QTest::newRow("vp9.webm") << "b.webm" << "libvpx-vp9" << "yuv420p";
        QTest::newRow("prores.mov") << "c.mov" << "prores_ks" << "yuv422p10le";
        QTest::newRow("ffv1-444.nut") << "d.nut" << "ffv1" << "yuv444p";
        QTest::newRow("mpeg2.ts") << "e.ts" << "mpeg2video" << "yuv420p";
        QTest::newRow("av1.mkv") << "f.mkv" << "libaom-av1" << "yuv420p";
    }
    void codecsAndContainers() {
        QFETCH(QString, file);
        QFETCH(QString, codec);
        QFETCH(QString, pixFmt);
        TempDir tmp;
        GenSpec s;
        s.frames = 8;
        s.codec = codec.toStdString();
        s.pixFmt = pixFmt.toStdString();
        s.openGop = codec == "libx265";
        s.bframes = codec == "libx265" ? 2 : 0;
        s.gop = 4;
        const std::string path = tmp.file(file.toStdString());
        auto st = generate(path, s);
        if (!st.ok() && codec == "libaom-av1") QSKIP("no AV1 encoder usable");
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
        auto h = frameHashes(path);
        QVERIFY(h.ok());
        QCOMPARE(static_cast<int>(h->frames.size()), 8);
    }

    void audioOffset_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<double>("offset");
        QTest::newRow("aac-before.mp4") << "a.mp4" << "aac" << -2.0;
        QTest::newRow("aac-after.mp4") << "b.mp4" << "aac" << 0.5;
        QTest::newRow("opus-before.mkv") << "c.mkv" << "opus" << -2.0;
        QTest::newRow("aac-after.ts") << "d.ts" << "aac" << 0.5;
        QTest::newRow("opus-after.mp4") << "e.mp4" << "opus" << 0.25;
    }
    void audioOffset() {
        QFETCH(QString, file);
        QFETCH(QString, codec);
        QFETCH(double, offset);
        TempDir tmp;
        GenSpec s;
        s.frames = 30;
        s.audio.enabled = true;
        s.audio.codec = codec.toStdString();
        s.audio.offsetSeconds = offset;
        const std::string path = tmp.file(file.toStdString());
        auto st = generate(path, s);
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
        auto t = startTimes(path);
        QVERIFY(t.ok());
        QVERIFY2(std::abs(t->avOffset() - offset) < 0.002,
                 qPrintable(QString("offset %1 video %2 audio %3").arg(t->avOffset()).arg(t->video).arg(t->audio)));
    }

    void subtitlesChaptersMetadata() {
        TempDir tmp;
        for (const char* name : {"s.mp4", "s.mkv"}) {
            GenSpec s;
            s.frames = 60;
            s.subtitles.enabled = true;
            s.chapters = {{0, 1, "One"}, {1, 2, "Two"}};
            s.metadata = {{"title", "Generated"}};
            const std::string path = tmp.file(name);
            QVERIFY(generate(path, s).ok());
            auto p = packetHashes(path);
            QVERIFY(p.ok());
            QCOMPARE(p->at(1).kind, std::string("subtitle"));
            QCOMPARE(p->at(1).codec, std::string(std::string(name) == "s.mp4" ? "mov_text" : "subrip"));
            int cues = 0;  // the MP4 muxer fills gaps between mov_text cues with empty samples
            for (const auto& pk : p->at(1).packets) cues += pk.size > 2;
            QCOMPARE(cues, 2);
            AVFormatContext* ic = nullptr;
            QCOMPARE(avformat_open_input(&ic, path.c_str(), nullptr, nullptr), 0);
            QCOMPARE(static_cast<int>(ic->nb_chapters), 2);
            const AVDictionaryEntry* e = av_dict_get(ic->metadata, "title", nullptr, 0);
            QVERIFY(e && std::string(e->value) == "Generated");
            avformat_close_input(&ic);
        }
    }
};

QTEST_GUILESS_MAIN(TestMediaGen)
#include "test_media_gen.moc"
