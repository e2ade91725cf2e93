// Float RGB path: YUV -> RgbFrame -> YUV comes back within one level per plane (exactly, in fact),
// with the source's matrix/range, rounding (not truncation), tags preserved, values not clamped.
#include <QtTest>

extern "C" {
#include <libavutil/intreadwrite.h>
#include <libavutil/pixdesc.h>
}

#include <cstdlib>
#include <random>

#include "media/colour_converter.h"
#include "media/video_source.h"

using namespace vfi;
using namespace vfi::media;

namespace {

AvFramePtr makeYuv(AVPixelFormat fmt, int w, int h) {
    AvFramePtr f = makeFrame();
    f->format = fmt;
    f->width = w;
    f->height = h;
    if (av_frame_get_buffer(f.get(), 0) < 0) return nullptr;
    return f;
}

// Fills component `c` (0 Y, 1 U, 2 V) of a planar/semi-planar frame via the descriptor.
void fillRandom(AVFrame& f, std::mt19937& rng, int lo, int hi, bool flatChroma) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f.format));
    std::uniform_int_distribution<int> dist(lo, hi);
    const int cu = dist(rng), cv = dist(rng);
    for (int c = 0; c < d->nb_components; ++c) {
        const AVComponentDescriptor& cd = d->comp[c];
        const int cw = c == 0 ? f.width : AV_CEIL_RSHIFT(f.width, d->log2_chroma_w);
        const int ch = c == 0 ? f.height : AV_CEIL_RSHIFT(f.height, d->log2_chroma_h);
        const int scale = 1 << (cd.depth - 8);
        for (int y = 0; y < ch; ++y)
            for (int x = 0; x < cw; ++x) {
                int v = (c == 0 || !flatChroma) ? dist(rng) : (c == 1 ? cu : cv);
                v *= scale;
                if (cd.depth > 8 && c == 0) v += (x + y) % scale;  // use the low bits too
                uint8_t* p = f.data[cd.plane] + y * f.linesize[cd.plane] + x * cd.step + cd.offset;
                if (cd.depth > 8) AV_WL16(p, static_cast<uint16_t>(v << cd.shift));
                else *p = static_cast<uint8_t>(v);
            }
    }
}

int maxPlaneDiff(const AVFrame& a, const AVFrame& b) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(a.format));
    int worst = 0;
    for (int c = 0; c < d->nb_components; ++c) {
        const AVComponentDescriptor& cd = d->comp[c];
        const int cw = c == 0 ? a.width : AV_CEIL_RSHIFT(a.width, d->log2_chroma_w);
        const int ch = c == 0 ? a.height : AV_CEIL_RSHIFT(a.height, d->log2_chroma_h);
        for (int y = 0; y < ch; ++y)
            for (int x = 0; x < cw; ++x) {
                const uint8_t* pa = a.data[cd.plane] + y * a.linesize[cd.plane] + x * cd.step + cd.offset;
                const uint8_t* pb = b.data[cd.plane] + y * b.linesize[cd.plane] + x * cd.step + cd.offset;
                const int va = cd.depth > 8 ? AV_RL16(pa) >> cd.shift : *pa;
                const int vb = cd.depth > 8 ? AV_RL16(pb) >> cd.shift : *pb;
                worst = std::max(worst, std::abs(va - vb));
            }
    }
    return worst;
}

ColourSpec bt709Limited() {
    ColourSpec s;
    s.matrix = AVCOL_SPC_BT709;
    s.range = AVCOL_RANGE_MPEG;
    s.primaries = AVCOL_PRI_BT709;
    s.transfer = AVCOL_TRC_BT709;
    s.chromaLocation = AVCHROMA_LOC_LEFT;
    return s;
}

}  // namespace

class TestColour : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<bool>("flatChroma");
        QTest::newRow("yuv444p 709 limited") << int(AV_PIX_FMT_YUV444P) << 64 << 48 << false;
        QTest::newRow("yuv420p flat chroma") << int(AV_PIX_FMT_YUV420P) << 64 << 48 << true;
        QTest::newRow("yuv420p any chroma") << int(AV_PIX_FMT_YUV420P) << 64 << 48 << false;
        QTest::newRow("yuv420p odd 63x47") << int(AV_PIX_FMT_YUV420P) << 63 << 47 << true;
        QTest::newRow("yuv422p") << int(AV_PIX_FMT_YUV422P) << 64 << 48 << false;
        QTest::newRow("yuv444p10le") << int(AV_PIX_FMT_YUV444P10LE) << 64 << 48 << false;
        QTest::newRow("yuv420p10le") << int(AV_PIX_FMT_YUV420P10LE) << 64 << 48 << true;
        QTest::newRow("nv12") << int(AV_PIX_FMT_NV12) << 64 << 48 << false;
        QTest::newRow("p010le") << int(AV_PIX_FMT_P010LE) << 64 << 48 << false;
        QTest::newRow("gray") << int(AV_PIX_FMT_GRAY8) << 64 << 48 << false;
    }
    void roundTrip() {
        QFETCH(int, format);
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(bool, flatChroma);
        const auto fmt = static_cast<AVPixelFormat>(format);
        std::mt19937 rng(42);
        AvFramePtr src = makeYuv(fmt, width, height);
        QVERIFY(src);
        fillRandom(*src, rng, 16, 235, flatChroma);
        ColourConverter conv(bt709Limited(), 2);
        RgbFrame rgb;
        QVERIFY(conv.toRgb(*src, rgb).ok());
        QCOMPARE(rgb.width, width);
        auto back = conv.fromRgb(rgb, fmt);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QVERIFY2(maxPlaneDiff(*src, **back) <= 1, "round trip differs by more than one level");
        // Replicated upsampling + box averaging is exact: no level lost at all.
        QCOMPARE(maxPlaneDiff(*src, **back), 0);
        QCOMPARE((*back)->colorspace, AVCOL_SPC_BT709);
        QCOMPARE((*back)->color_primaries, AVCOL_PRI_BT709);
        QCOMPARE((*back)->color_trc, AVCOL_TRC_BT709);
        QCOMPARE((*back)->color_range, AVCOL_RANGE_MPEG);
        QCOMPARE((*back)->chroma_location, AVCHROMA_LOC_LEFT);
    }

    void outOfGamutIsNotClamped() {
        AvFramePtr src = makeYuv(AV_PIX_FMT_YUV444P, 8, 8);
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) {
                src->data[0][y * src->linesize[0] + x] = static_cast<uint8_t>(x < 4 ? 4 : 250);  // below black / above white
                src->data[1][y * src->linesize[1] + x] = 250;
                src->data[2][y * src->linesize[2] + x] = 6;
            }
        ColourConverter conv(bt709Limited());
        RgbFrame rgb;
        QVERIFY(conv.toRgb(*src, rgb).ok());
        float lo = 1, hi = 0;
        for (float v : rgb.data) { lo = std::min(lo, v); hi = std::max(hi, v); }
        QVERIFY(lo < 0.0f);
        QVERIFY(hi > 1.0f);
        auto back = conv.fromRgb(rgb, AV_PIX_FMT_YUV444P);
        QVERIFY(back.ok());
        QCOMPARE(maxPlaneDiff(*src, **back), 0);
    }

    void roundsInsteadOfTruncating() {
        // Grey level whose exact limited-range luma is 100.6: rounding gives 101, truncation 100.
        RgbFrame rgb(4, 4);
        std::fill(rgb.data.begin(), rgb.data.end(), static_cast<float>((100.6 - 16.0) / 219.0));
        ColourConverter conv(bt709Limited());
        auto f = conv.fromRgb(rgb, AV_PIX_FMT_YUV444P);
        QVERIFY(f.ok());
        QCOMPARE(int((*f)->data[0][0]), 101);
        QCOMPARE(int((*f)->data[1][0]), 128);
        // 8-bit RGB output also rounds: 0.5/255 above 100 -> 101 (100.6/255).
        std::fill(rgb.data.begin(), rgb.data.end(), static_cast<float>(100.6 / 255.0));
        auto g = conv.fromRgb(rgb, AV_PIX_FMT_RGB24);
        QVERIFY(g.ok());
        QCOMPARE(int((*g)->data[0][0]), 101);
    }

    void matrixBySizeAndTag() {
        QCOMPARE(ColourSpec::defaultFor(1080).matrix, AVCOL_SPC_BT709);
        QCOMPARE(ColourSpec::defaultFor(2160).matrix, AVCOL_SPC_BT709);
        QCOMPARE(ColourSpec::defaultFor(480).matrix, AVCOL_SPC_SMPTE170M);
        SourceInfo s;
        s.height = 2160;
        s.width = 3840;
        s.pixFmt = AV_PIX_FMT_YUV420P10LE;
        s.matrix = AVCOL_SPC_BT2020_NCL;
        s.transfer = AVCOL_TRC_SMPTE2084;
        ColourSpec spec = ColourSpec::fromSource(s);
        QCOMPARE(spec.matrix, AVCOL_SPC_BT2020_NCL);
        QCOMPARE(spec.range, AVCOL_RANGE_MPEG);
        QCOMPARE(spec.transfer, AVCOL_TRC_SMPTE2084);  // carried, not applied
        s.pixFmt = AV_PIX_FMT_YUVJ420P;
        QCOMPARE(ColourSpec::fromSource(s).range, AVCOL_RANGE_JPEG);

        // Pure red: Y = 16 + 219*Kr -> 62.56 -> 63 (BT.709), 81.48 -> 81 (BT.601).
        RgbFrame red(2, 2);
        std::fill(red.data.begin(), red.data.begin() + 4, 1.0f);
        auto f709 = ColourConverter(ColourSpec::defaultFor(1080)).fromRgb(red, AV_PIX_FMT_YUV444P);
        auto f601 = ColourConverter(ColourSpec::defaultFor(480)).fromRgb(red, AV_PIX_FMT_YUV444P);
        QVERIFY(f709.ok() && f601.ok());
        QCOMPARE(int((*f709)->data[0][0]), 63);
        QCOMPARE(int((*f601)->data[0][0]), 81);
        QCOMPARE((*f709)->colorspace, AVCOL_SPC_BT709);
    }

    void fullRangeAndRgb() {
        ColourSpec full = bt709Limited();
        full.range = AVCOL_RANGE_JPEG;
        std::mt19937 rng(7);
        AvFramePtr src = makeYuv(AV_PIX_FMT_YUV444P, 16, 16);
        fillRandom(*src, rng, 0, 255, false);
        ColourConverter conv(full);
        RgbFrame rgb;
        QVERIFY(conv.toRgb(*src, rgb).ok());
        auto back = conv.fromRgb(rgb, AV_PIX_FMT_YUV444P);
        QVERIFY(back.ok());
        QCOMPARE(maxPlaneDiff(*src, **back), 0);

        AvFramePtr rgb24 = makeYuv(AV_PIX_FMT_RGB24, 5, 3);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 15; ++x) rgb24->data[0][y * rgb24->linesize[0] + x] = static_cast<uint8_t>(x * 17 + y);
        QVERIFY(conv.toRgb(*rgb24, rgb).ok());
        QCOMPARE(rgb.plane(1)[1], static_cast<float>((4 * 17) / 255.0));  // pixel 1's G = byte 4
        auto back24 = conv.fromRgb(rgb, AV_PIX_FMT_RGB24);
        QVERIFY(back24.ok());
        QCOMPARE(maxPlaneDiff(*rgb24, **back24), 0);
    }

    void refusesUnsupported() {
        QVERIFY(!ColourConverter::supports(AV_PIX_FMT_PAL8));
        QVERIFY(!ColourConverter::supports(AV_PIX_FMT_YUV420P10BE));
        QVERIFY(ColourConverter::supports(AV_PIX_FMT_P010LE));
        RgbFrame rgb(4, 4);
        auto r = ColourConverter(bt709Limited()).fromRgb(rgb, AV_PIX_FMT_PAL8);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::UnsupportedFormat);
    }
};

QTEST_GUILESS_MAIN(TestColour)
#include "test_colour.moc"
