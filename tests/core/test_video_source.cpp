// Decoding in presentation order across codecs/containers/bit depths/odd sizes, exact seeking,
// SourceInfo (colour, rotation), bad and truncated inputs.
#include <QtTest>

#include <QCryptographicHash>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <fstream>

#include "media/video_source.h"
#include "vfi/frame_reader.h"
#include "vfi/media_info.h"
#include "support/media_gen.h"

using namespace vfi;
using namespace vfi::media;
using vfi::test::GenSpec;

namespace {

QByteArray lumaHash(const AVFrame& f) {
    QCryptographicHash h(QCryptographicHash::Md5);
    const int bytes = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f.format))->comp[0].depth > 8 ? 2 : 1;
    for (int y = 0; y < f.height; ++y)
        h.addData(QByteArrayView(reinterpret_cast<const char*>(f.data[0] + y * f.linesize[0]), f.width * bytes));
    return h.result();
}

}  // namespace

class TestVideoSource : public QObject {
    Q_OBJECT
    vfi::test::TempDir m_tmp;

private slots:
    void decodesEverything_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<QString>("pixFmt");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("depth");
        QTest::newRow("h264 mp4 8-bit B-frames") << "a.mp4" << "libx264" << "yuv420p" << 64 << 48 << 8;
        QTest::newRow("h264 mkv 10-bit") << "b.mkv" << "libx264" << "yuv420p10le" << 64 << 48 << 10;
        QTest::newRow("hevc mp4 10-bit") << "c.mp4" << "libx265" << "yuv420p10le" << 64 << 48 << 10;
        QTest::newRow("hevc mov 8-bit") << "c8.mov" << "libx265" << "yuv420p" << 64 << 48 << 8;
        QTest::newRow("vp9 webm") << "d.webm" << "libvpx-vp9" << "yuv420p" << 64 << 48 << 8;
        QTest::newRow("av1 mkv (svt-av1)") << "e.mkv" << "libsvtav1" << "yuv420p" << 64 << 64 << 8;
        QTest::newRow("prores mov 10-bit 4:2:2") << "f.mov" << "prores_ks" << "yuv422p10le" << 64 << 48 << 10;
        QTest::newRow("h264 odd 63x47 4:4:4 mkv") << "g.mkv" << "libx264" << "yuv444p" << 63 << 47 << 8;
        QTest::newRow("h264 mpeg-ts") << "h.ts" << "libx264" << "yuv420p" << 64 << 48 << 8;
    }
    void decodesEverything() {
        QFETCH(QString, file);
        QFETCH(QString, codec);
        QFETCH(QString, pixFmt);
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, depth);
        if (!avcodec_find_encoder_by_name(codec.toUtf8().constData())) QSKIP("encoder not in this FFmpeg build");
        GenSpec g;
        g.frames = 15;
        g.codec = codec.toStdString();
        g.pixFmt = pixFmt.toStdString();
        g.width = width;
        g.height = height;
        g.bframes = (codec == "libx264" || codec == "libx265") ? 2 : 0;
        const std::string path = m_tmp.file(file.toStdString());
        auto gen = vfi::test::generate(path, g);
        QVERIFY2(gen.ok(), gen.ok() ? "" : gen.error().message.c_str());
        auto src = VideoSource::open(path);
        QVERIFY2(src.ok(), src.ok() ? "" : src.error().message.c_str());
        QCOMPARE(src->info().width, width);
        QCOMPARE(src->info().height, height);
        QCOMPARE(src->info().bitDepth, depth);
        QCOMPARE(src->index().count(), int64_t(15));
        DecodedFrame f;
        int64_t n = 0;
        for (;;) {
            auto got = src->next(f);
            QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
            if (!*got) break;
            QCOMPARE(f.index, n);
            QCOMPARE(f.pts, src->index().pts[size_t(n)]);
            QCOMPARE(f.frame->width, width);
            ++n;
        }
        QCOMPARE(n, int64_t(15));
    }

    void seekIsExact_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<bool>("openGop");
        QTest::addColumn<double>("start");
        QTest::newRow("h264 mp4 B-frames + edit list") << "s.mp4" << "libx264" << false << 0.5;
        QTest::newRow("hevc open GOP mkv") << "s.mkv" << "libx265" << true << 0.0;
    }
    void seekIsExact() {
        QFETCH(QString, file);
        QFETCH(QString, codec);
        QFETCH(bool, openGop);
        QFETCH(double, start);
        GenSpec g;
        g.frames = 40;
        g.codec = codec.toStdString();
        g.bframes = 3;
        g.gop = 10;
        g.openGop = openGop;
        g.videoStartSeconds = start;
        const std::string path = m_tmp.file(file.toStdString());
        QVERIFY(vfi::test::generate(path, g).ok());
        auto src = VideoSource::open(path);
        QVERIFY(src.ok());
        std::vector<QByteArray> hashes;
        DecodedFrame f;
        while (true) {
            auto got = src->next(f);
            QVERIFY(got.ok());
            if (!*got) break;
            hashes.push_back(lumaHash(*f.frame));
        }
        QCOMPARE(hashes.size(), size_t(40));
        for (int64_t target : {int64_t(25), int64_t(0), int64_t(13), int64_t(39), int64_t(10), int64_t(7)}) {
            auto st = src->seekToFrame(target);
            QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
            auto got = src->next(f);
            QVERIFY(got.ok() && *got);
            QCOMPARE(f.index, target);
            QCOMPARE(f.pts, src->index().pts[size_t(target)]);
            QCOMPARE(lumaHash(*f.frame), hashes[size_t(target)]);
            if (target + 1 < 40) {
                QVERIFY(src->next(f).ok());
                QCOMPARE(f.index, target + 1);
                QCOMPARE(lumaHash(*f.frame), hashes[size_t(target + 1)]);
            }
        }
        QVERIFY(!src->seekToFrame(40).ok());
    }

    void sourceInfo() {
        GenSpec g;
        g.frames = 3;
        g.primaries = "bt709";
        g.transfer = "bt709";
        g.matrix = "bt709";
        g.range = "tv";
        g.rotationDegrees = 90;
        const std::string path = m_tmp.file("tagged.mp4");
        QVERIFY(vfi::test::generate(path, g).ok());
        auto src = VideoSource::open(path);
        QVERIFY(src.ok());
        const SourceInfo& i = src->info();
        QCOMPARE(i.codec, std::string("h264"));
        QCOMPARE(i.matrix, AVCOL_SPC_BT709);
        QCOMPARE(i.primaries, AVCOL_PRI_BT709);
        QCOMPARE(i.transfer, AVCOL_TRC_BT709);
        QCOMPARE(i.range, AVCOL_RANGE_MPEG);
        QVERIFY(i.displayMatrix.has_value());
        QCOMPARE(std::lround(std::abs(i.rotationDegrees)), 90L);
        QCOMPARE(i.colourInfo().matrix, std::string("bt709"));
        QVERIFY(!i.colourInfo().hdr);
    }

    void frameReaderIsExact() {
        GenSpec g;
        g.frames = 30;
        g.bframes = 2;
        g.gop = 8;
        const std::string path = m_tmp.file("reader.mp4");
        QVERIFY(vfi::test::generate(path, g).ok());
        auto reader = vfi::FrameReader::open(path);
        QVERIFY(reader.ok());
        QCOMPARE(reader->frameCount(), int64_t(30));
        QCOMPARE(reader->width(), 64);
        auto f20 = reader->frameAt(20);
        QVERIFY(f20.ok());
        QCOMPARE(f20->frameIndex, int64_t(20));
        QCOMPARE(f20->width, 64);
        QCOMPARE(f20->rgb.size(), size_t(64 * 48 * 3));
        auto f3 = reader->frameAt(3);  // backwards: seek
        QVERIFY(f3.ok());
        auto f20again = reader->frameAt(20);
        QVERIFY(f20again.ok());
        QVERIFY(f20again->rgb == f20->rgb);
        QVERIFY(f3->rgb != f20->rgb);
        auto small = reader->frameAt(20, 32, 32);
        QVERIFY(small.ok());
        QCOMPARE(small->width, 32);
        QCOMPARE(small->height, 24);
        auto byTime = reader->frameAtTime(20.5 / 30.0);
        QVERIFY(byTime.ok());
        QCOMPARE(byTime->frameIndex, int64_t(20));
        QVERIFY(!reader->frameAt(30).ok());
        auto info = vfi::probeMedia(path);
        QVERIFY(info.ok());
        QCOMPARE(info->codec, std::string("h264"));
        QCOMPARE(info->width, 64);
    }

    void badInputs() {
        auto missing = VideoSource::open(m_tmp.file("missing.mkv"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::InputNotFound);
        std::ofstream(m_tmp.file("zero.mp4")).close();
        auto zero = VideoSource::open(m_tmp.file("zero.mp4"));
        QVERIFY(!zero.ok());
        QCOMPARE(zero.error().code, ErrorCode::NotAVideo);
        std::ofstream(m_tmp.file("notes.mp4")) << "hello, I am a text file\nwith two lines\n";
        auto text = VideoSource::open(m_tmp.file("notes.mp4"));
        QVERIFY(!text.ok());
        QCOMPARE(text.error().code, ErrorCode::NotAVideo);
    }

    void truncatedDecodesWhatIsThere() {
        GenSpec g;
        g.frames = 120;
        g.width = 128;
        g.height = 96;
        const std::string full = m_tmp.file("t.mkv"), half = m_tmp.file("t_half.mkv");
        QVERIFY(vfi::test::generate(full, g).ok());
        {
            std::ifstream in(full, std::ios::binary);
            std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::ofstream(half, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size() / 2));
        }
        auto src = VideoSource::open(half);
        QVERIFY2(src.ok(), src.ok() ? "" : src.error().message.c_str());
        QVERIFY(src->index().truncated);
        DecodedFrame f;
        int64_t n = 0;
        Error last;
        for (;;) {
            auto got = src->next(f);
            if (!got.ok()) {
                last = got.error();
                break;
            }
            QVERIFY2(*got, "a truncated file must not end like a complete one");
            QCOMPARE(f.index, n);
            ++n;
        }
        QCOMPARE(last.code, ErrorCode::TruncatedInput);
        QVERIFY(last.message.find("t_half.mkv") != std::string::npos);
        QVERIFY(n > 10 && n < 120);
    }
};

QTEST_GUILESS_MAIN(TestVideoSource)
#include "test_video_source.moc"
