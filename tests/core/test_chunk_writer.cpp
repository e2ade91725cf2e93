// Chunk files: keyframe first, exact pts in a fine time base, stats, colour tags, display matrix,
// FFV1 lossless round trip, verifier accepts/refuses.
#include <QtTest>

extern "C" {
#include <libavutil/display.h>
}

#include <random>

#include "media/chunk_verifier.h"
#include "media/chunk_writer.h"
#include "media/input_file.h"
#include "media/video_source.h"
#include "support/media_gen.h"
#include "vfi/media_info.h"

using namespace vfi;
using namespace vfi::media;

namespace {

SourceInfo source(int w, int h, AVPixelFormat fmt) {
    SourceInfo s;
    s.width = w;
    s.height = h;
    s.pixFmt = fmt;
    s.bitDepth = 8;
    s.primaries = AVCOL_PRI_BT709;
    s.transfer = AVCOL_TRC_BT709;
    s.matrix = AVCOL_SPC_BT709;
    s.range = AVCOL_RANGE_MPEG;
    return s;
}

ChunkFormat formatFor(const SourceInfo& s) {
    ChunkFormat f;
    f.width = s.width;
    f.height = s.height;
    f.timeBase = {1, 60000};
    f.frameRate = {60000, 1001};
    f.colour = ColourSpec::fromSource(s);
    f.source = &s;
    return f;
}

RgbFrame gradient(int w, int h, int k) {
    RgbFrame f(w, h);
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                f.plane(c)[y * w + x] = static_cast<float>(((x + 3 * k) * (c + 1) + y * 2) % 200) / 255.0f;
    return f;
}

bool firstVideoPacketIsKey(const std::string& path) {
    auto in = openInputFile(path);
    if (!in) return false;
    AvPacketPtr pkt = makePacket();
    while (av_read_frame(in->fmt.get(), pkt.get()) >= 0) {
        if (pkt->stream_index == in->videoStream) return (pkt->flags & AV_PKT_FLAG_KEY) != 0;
        av_packet_unref(pkt.get());
    }
    return false;
}

}  // namespace

class TestChunkWriter : public QObject {
    Q_OBJECT
    vfi::test::TempDir m_tmp;

private slots:
    void ffv1IsLossless() {
        const SourceInfo s = source(64, 48, AV_PIX_FMT_YUV444P);
        auto enc = resolveEncode({"ffv1", -1, "", ""}, s, "mkv");
        QVERIFY(enc.ok());
        const std::string path = m_tmp.file("ffv1.nut");
        auto w = ChunkWriter::open(path, *enc, formatFor(s));
        QVERIFY2(w.ok(), w.ok() ? "" : w.error().message.c_str());
        std::mt19937 rng(1);
        std::vector<AvFramePtr> inputs;
        for (int k = 0; k < 6; ++k) {
            AvFramePtr f = makeFrame();
            f->format = AV_PIX_FMT_YUV444P;
            f->width = 64;
            f->height = 48;
            QVERIFY(av_frame_get_buffer(f.get(), 0) >= 0);
            for (int p = 0; p < 3; ++p)
                for (int y = 0; y < 48; ++y)
                    for (int x = 0; x < 64; ++x) f->data[p][y * f->linesize[p] + x] = static_cast<uint8_t>(16 + rng() % 220);
            QVERIFY(w->write(*f, 5005 + 1001 * k).ok());
            inputs.push_back(std::move(f));
        }
        auto stats = w->finish();
        QVERIFY(stats.ok());
        QCOMPARE(stats->frames, int64_t(6));
        QCOMPARE(stats->packets, int64_t(6));
        QCOMPARE(stats->firstPts, int64_t(5005));
        QCOMPARE(stats->lastPts, int64_t(5005 + 5 * 1001));
        QCOMPARE(stats->reorderDelay, 0);
        QCOMPARE(stats->contentHash.size(), size_t(64));
        QVERIFY(stats->bytes > 0);
        QVERIFY(verifyChunk(path, {6, 5005, 5005 + 5 * 1001, {1, 60000}}).ok());

        auto src = VideoSource::open(path);
        QVERIFY(src.ok());
        DecodedFrame d;
        for (int k = 0; k < 6; ++k) {
            QVERIFY(src->next(d).ok());
            QCOMPARE(av_rescale_q(d.pts, {src->info().timeBase.num, src->info().timeBase.den}, {1, 60000}), int64_t(5005 + 1001 * k));
            for (int p = 0; p < 3; ++p)
                for (int y = 0; y < 48; ++y)
                    QVERIFY(memcmp(d.frame->data[p] + y * d.frame->linesize[p], inputs[size_t(k)]->data[p] + y * inputs[size_t(k)]->linesize[p], 64) == 0);
        }
    }

    void x264KeyframeFirstExactPts_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("mov") << "x264.mov";
        QTest::newRow("default container") << "x264.chunk";
    }
    void x264KeyframeFirstExactPts() {
        QFETCH(QString, file);
        SourceInfo s = source(64, 48, AV_PIX_FMT_YUV420P);
        std::array<int32_t, 9> m{};
        av_display_rotation_set(m.data(), 90);
        s.displayMatrix = m;
        auto enc = resolveEncode({}, s, "mp4");
        QVERIFY(enc.ok());
        const std::string path = m_tmp.file(file.toStdString());
        auto w = ChunkWriter::open(path, *enc, formatFor(s));
        QVERIFY(w.ok());
        auto nut = ChunkWriter::open(m_tmp.file("refused.nut"), *enc, formatFor(s));
        QVERIFY(!nut.ok());
        QCOMPARE(nut.error().code, ErrorCode::UnsupportedFormat);
        std::vector<int64_t> planned;
        for (int k = 0; k < 24; ++k) planned.push_back(120120 + 1001 * k + (k % 2 ? 500 : 0));  // midpoints too
        for (int k = 0; k < 24; ++k) QVERIFY(w->write(gradient(64, 48, k), planned[size_t(k)]).ok());
        QVERIFY(!w->write(gradient(64, 48, 0), planned.back()).ok());  // pts must increase
        auto stats = w->finish();
        QVERIFY(stats.ok());
        QCOMPARE(stats->frames, int64_t(24));
        QCOMPARE(stats->packets, int64_t(24));
        QVERIFY(stats->reorderDelay >= 1);  // B-frames
        QVERIFY(!stats->extradataHash.empty());
        QVERIFY(firstVideoPacketIsKey(path));
        auto report = verifyChunk(path, {24, planned.front(), planned.back(), {1, 60000}});
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
        QVERIFY(report->firstIsKeyframe);
        auto wrong = verifyChunk(path, {25, planned.front(), planned.back(), {1, 60000}});
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, ErrorCode::ChunkInvalid);

        auto idx = buildFrameIndex(path);
        QVERIFY(idx.ok());
        QCOMPARE(idx->count(), int64_t(24));
        for (size_t k = 0; k < 24; ++k)
            QCOMPARE(av_rescale_q(idx->pts[k], {idx->timeBase.num, idx->timeBase.den}, {1, 60000}), planned[k]);
        auto info = probeMedia(path);
        QVERIFY(info.ok());
        QCOMPARE(info->colour.matrix, std::string("bt709"));
        QCOMPARE(info->colour.primaries, std::string("bt709"));
        QCOMPARE(info->colour.transfer, std::string("bt709"));
        QCOMPARE(info->colour.range, std::string("tv"));
        QCOMPARE(std::lround(std::abs(info->rotationDegrees)), 90L);
    }

    void reencodeIsIdentical_data() {
        QTest::addColumn<QString>("encoder");
        QTest::newRow("x264") << "libx264";
        QTest::newRow("x265") << "libx265";
    }
    void reencodeIsIdentical() {
        QFETCH(QString, encoder);
        const SourceInfo s = source(64, 48, AV_PIX_FMT_YUV420P);
        auto enc = resolveEncode({encoder.toStdString(), 23, "", ""}, s, "mp4");
        QVERIFY(enc.ok());
        std::string hashes[2];
        for (int run = 0; run < 2; ++run) {
            auto w = ChunkWriter::open(m_tmp.file("again" + std::to_string(run) + ".mov"), *enc, formatFor(s));
            QVERIFY(w.ok());
            for (int k = 0; k < 30; ++k) QVERIFY(w->write(gradient(64, 48, k), 1001 * k).ok());
            auto st = w->finish();
            QVERIFY(st.ok());
            hashes[run] = st->contentHash + st->extradataHash;
        }
        QCOMPARE(hashes[0], hashes[1]);  // a re-rendered chunk is bit-identical
    }

    void x265TenBitStartsWithIdr_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("default container") << "";
        QTest::newRow("mov") << "x265.mov";
    }
    void x265TenBitStartsWithIdr() {
        QFETCH(QString, file);
        SourceInfo s = source(64, 48, AV_PIX_FMT_YUV420P10LE);
        s.bitDepth = 10;
        auto enc = resolveEncode({}, s, "mkv");
        QVERIFY(enc.ok());
        QCOMPARE(enc->encoder, std::string("libx265"));
        QCOMPARE(enc->chunkContainer, std::string("mov"));  // B-frames: NUT cannot store negative dts
        const std::string path = m_tmp.file(file.isEmpty() ? "x265.chunk" : file.toStdString());
        auto w = ChunkWriter::open(path, *enc, formatFor(s));
        QVERIFY2(w.ok(), w.ok() ? "" : w.error().message.c_str());
        for (int k = 0; k < 12; ++k) QVERIFY(w->write(gradient(64, 48, k), 2002 * k).ok());
        auto stats = w->finish();
        QVERIFY(stats.ok());
        QCOMPARE(stats->frames, int64_t(12));
        QVERIFY(firstVideoPacketIsKey(path));
        auto report = verifyChunk(path, {12, 0, 2002 * 11, {1, 60000}});
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
        auto src = VideoSource::open(path);
        QVERIFY(src.ok());
        QCOMPARE(src->info().bitDepth, 10);
    }
};

QTEST_GUILESS_MAIN(TestChunkWriter)
#include "test_chunk_writer.moc"
