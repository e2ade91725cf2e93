// The (encoder, pixel format, container) table and the per-encoder quality mapping.
#include <QtTest>

#include <algorithm>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "media/encoder_table.h"
#include "media/video_source.h"
#include "vfi/encoders.h"
#include "support/hdr_fixture.h"

using namespace vfi;
using namespace vfi::media;

namespace {

SourceInfo source(int w, int h, AVPixelFormat fmt) {
    SourceInfo s;
    s.width = w;
    s.height = h;
    s.pixFmt = fmt;
    s.bitDepth = av_pix_fmt_desc_get(fmt)->comp[0].depth;
    return s;
}

EncodeOptions opts(const std::string& encoder, int quality = -1, const std::string& pixFmt = "") {
    EncodeOptions o;
    o.encoder = encoder;
    o.quality = quality;
    o.pixFmt = pixFmt;
    return o;
}

bool hasOption(const ResolvedEncode& r, const std::string& key) {
    for (const auto& kv : r.codecOptions)
        if (kv.first == key) return true;
    return false;
}

std::string option(const ResolvedEncode& r, const std::string& key) {
    for (const auto& kv : r.codecOptions)
        if (kv.first == key) return kv.second;
    return {};
}

}  // namespace

class TestEncoderTable : public QObject {
    Q_OBJECT
private slots:
    void defaults() {
        auto r = resolveEncode({}, source(1920, 1080, AV_PIX_FMT_YUV420P), "mp4");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->encoder, std::string("libx264"));
        QCOMPARE(r->pixFmtName, std::string("yuv420p"));
        QCOMPARE(r->qualityName, std::string("crf"));
        QCOMPARE(option(*r, "crf"), std::string("18"));
        QCOMPARE(r->chunkContainer, std::string("nut"));   // NUT with avoid_negative_ts off keeps B-frame pts
        QCOMPARE(r->threads, 4);                            // fixed x264 frame threads (part of the bitstream)
        QVERIFY(r->threadsChangeOutput);
        QVERIFY(option(r.value(), "x264-params").find("threads=4:lookahead-threads=1") != std::string::npos);
        QVERIFY(r->closedGop);
        QCOMPARE(r->maxBFrames, 3);
        QCOMPARE(r->profile, std::string("high"));
        QVERIFY(r->libraryVersion.find("x264") != std::string::npos);
        QVERIFY(option(*r, "x264-params").find("open-gop=0") != std::string::npos);
        QCOMPARE(r->settingsHash.size(), size_t(64));

        auto again = resolveEncode({}, source(1920, 1080, AV_PIX_FMT_YUV420P), ".MP4");
        QVERIFY(again.ok());
        QCOMPARE(again->settingsHash, r->settingsHash);  // stable
        auto q20 = resolveEncode(opts("libx264", 20), source(1920, 1080, AV_PIX_FMT_YUV420P), "mp4");
        QVERIFY(q20.ok());
        QVERIFY(q20->settingsHash != r->settingsHash);
        // The output container is described but not hashed: the chunks are the same bytes for any.
        for (const char* ext : {"mkv", "mov", ""}) {
            auto other = resolveEncode({}, source(1920, 1080, AV_PIX_FMT_YUV420P), ext);
            QVERIFY(other.ok());
            QCOMPARE(other->settingsHash, r->settingsHash);
            QCOMPARE(other->outputContainer, std::string(ext));
        }
        QVERIFY(r->describe().find(" output=mp4 ") != std::string::npos);
        QVERIFY(r->describe(false).find("output=") == std::string::npos);

        auto ten = resolveEncode({}, source(3840, 2160, AV_PIX_FMT_YUV420P10LE), "mkv");
        QVERIFY(ten.ok());
        QCOMPARE(ten->encoder, std::string("libx265"));
        QCOMPARE(ten->pixFmtName, std::string("yuv420p10le"));
        QCOMPARE(ten->profile, std::string("main10"));
        const std::string params = option(*ten, "x265-params");
        QVERIFY(params.find("open-gop=0") != std::string::npos);
        QVERIFY(params.find("bframes=4") != std::string::npos);
        QCOMPARE(option(*ten, "crf"), std::string("20"));
        // A worker per core, lookahead slices off (with them the pool size would change the bytes);
        // the hash records the tag, so machines with other core counts resume the same session.
        QVERIFY2(params.find(":" + x265PoolsOption() + ":") != std::string::npos, params.c_str());
        QVERIFY(params.find(":lookahead-slices=0:") != std::string::npos);
        QVERIFY(params.find("frame-threads=1") != std::string::npos);
        QVERIFY(ten->describe().find(kX265PoolsTag) != std::string::npos);
        QVERIFY(ten->describe().find(x265PoolsOption() + ":") == std::string::npos);
    }

    void containerRules() {
        const SourceInfo s = source(640, 480, AV_PIX_FMT_YUV420P);
        auto ffv1mp4 = resolveEncode(opts("ffv1"), s, "mp4");
        QVERIFY(!ffv1mp4.ok());
        QCOMPARE(ffv1mp4.error().code, ErrorCode::UnsupportedFormat);
        QVERIFY(ffv1mp4.error().message.find(".mp4") != std::string::npos);
        QVERIFY(ffv1mp4.error().message.find("mkv") != std::string::npos);
        auto ffv1 = resolveEncode(opts("ffv1"), s, "mkv");
        QVERIFY(ffv1.ok());
        QCOMPARE(ffv1->pixFmtName, std::string("yuv420p"));  // source format kept: lossless
        QCOMPARE(ffv1->quality, -1);
        QVERIFY(!hasOption(*ffv1, "crf"));
        QCOMPARE(option(*ffv1, "slices"), std::string("4"));   // pinned: slices change the bytes, threads do not
        QVERIFY(!ffv1->threadsChangeOutput);
        QCOMPARE(ffv1->chunkContainer, std::string("nut"));
        auto ffv1q = resolveEncode(opts("ffv1", 10), s, "mkv");
        QVERIFY(ffv1q.ok());
        QCOMPARE(ffv1q->warnings.size(), size_t(1));

        auto proresMp4 = resolveEncode(opts("prores_ks"), s, "mp4");
        QVERIFY(!proresMp4.ok());
        QCOMPARE(proresMp4.error().code, ErrorCode::UnsupportedFormat);
        auto prores = resolveEncode(opts("prores"), s, "mov");
        QVERIFY(prores.ok());
        QCOMPARE(prores->encoder, std::string("prores_ks"));
        QCOMPARE(prores->pixFmtName, std::string("yuv422p10le"));
        QCOMPARE(option(*prores, "profile"), std::string("3"));
        auto prores4444 = resolveEncode(opts("prores_ks", 4), s, "mkv");
        QVERIFY(prores4444.ok());
        QCOMPARE(prores4444->pixFmtName, std::string("yuv444p10le"));
        auto prores4444bad = resolveEncode(opts("prores_ks", 4, "yuv422p10le"), s, "mov");
        QVERIFY(!prores4444bad.ok());

        auto avi = resolveEncode({}, s, "avi");
        QVERIFY(!avi.ok());
        QCOMPARE(avi.error().code, ErrorCode::UnsupportedFormat);
        auto badFmt = resolveEncode(opts("libx264", -1, "yuv410p"), s, "mp4");
        QVERIFY(!badFmt.ok());
        QVERIFY(badFmt.error().message.find("yuv410p") != std::string::npos);
        auto unknown = resolveEncode(opts("libfoo"), s, "mp4");
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.find("libx264") != std::string::npos);
        auto range = resolveEncode(opts("libx264", 60), s, "mp4");
        QVERIFY(!range.ok());
        QCOMPARE(range.error().code, ErrorCode::InvalidArgument);
    }

    void oddSizes() {
        const SourceInfo odd = source(63, 47, AV_PIX_FMT_YUV444P);
        auto def = resolveEncode({}, odd, "mp4");
        QVERIFY(def.ok());
        QCOMPARE(def->pixFmtName, std::string("yuv444p"));
        QCOMPARE(def->profile, std::string("high444"));
        QVERIFY(!def->warnings.empty());
        QVERIFY(def->warnings.front().find("63x47") != std::string::npos);
        auto explicit420 = resolveEncode(opts("libx264", -1, "yuv420p"), odd, "mp4");
        QVERIFY(!explicit420.ok());
        QCOMPARE(explicit420.error().code, ErrorCode::UnsupportedFormat);
        QVERIFY(explicit420.error().message.find("63x47") != std::string::npos);
        QVERIFY(resolveEncode(opts("ffv1", -1, "yuv420p"), odd, "mkv").ok());
        QVERIFY(!resolveEncode(opts("prores_ks"), odd, "mov").ok());
        // 4:2:2 only needs an even width.
        QVERIFY(resolveEncode(opts("libx264", -1, "yuv422p"), source(64, 47, AV_PIX_FMT_YUV420P), "mkv").ok());
    }

    void nvencQualityIsNeverCrf() {
        const SourceInfo s = source(1920, 1080, AV_PIX_FMT_YUV420P);
        for (const char* enc : {"h264_nvenc", "hevc_nvenc"}) {
            auto r = resolveEncode(opts(enc, 25), s, "mp4", /*trialOpenHardware=*/false);
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
            QVERIFY(!hasOption(*r, "crf"));
            QVERIFY(!hasOption(*r, "cq"));
            QCOMPARE(option(*r, "rc"), std::string("constqp"));
            QCOMPARE(option(*r, "qp"), std::string("25"));
            QCOMPARE(r->qualityName, std::string("qp"));
        }
        auto ten = resolveEncode(opts("hevc_nvenc"), source(1920, 1080, AV_PIX_FMT_YUV420P10LE), "mkv", false);
        QVERIFY(ten.ok());
        QCOMPARE(ten->pixFmtName, std::string("p010le"));
        // With the trial open: either it works (a GPU) or a clear fallback message.
        auto trial = resolveEncode(opts("h264_nvenc"), s, "mp4");
        if (!trial.ok()) {
            QCOMPARE(trial.error().code, ErrorCode::EncoderUnavailable);
            QVERIFY(trial.error().message.find("use --encoder libx264") != std::string::npos);
        }
    }

    void hdr10Metadata() {
        SourceInfo s = source(3840, 2160, AV_PIX_FMT_YUV420P10LE);
        s.transfer = AVCOL_TRC_SMPTE2084;
        s.primaries = AVCOL_PRI_BT2020;
        s.matrix = AVCOL_SPC_BT2020_NCL;
        s.masteringDisplay = vfi::test::hdr10Mastering();
        s.contentLight = vfi::test::hdr10ContentLight();
        auto r = resolveEncode({}, s, "mkv");
        QVERIFY(r.ok());
        const std::string params = option(*r, "x265-params");
        QVERIFY2(params.find("master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50)") != std::string::npos,
                 params.c_str());
        QVERIFY(params.find("max-cll=1000,400") != std::string::npos);
        bool warnedModel = false;
        for (const auto& w : r->warnings) warnedModel |= w.find("PQ/HLG") != std::string::npos;
        QVERIFY(warnedModel);
        auto x264 = resolveEncode(opts("libx264"), s, "mkv");
        QVERIFY(x264.ok());
        bool warnedHdr = false;
        for (const auto& w : x264->warnings) warnedHdr |= w.find("HDR10") != std::string::npos;
        QVERIFY(warnedHdr);
    }

    // Every listed (software encoder, pixel format) pair opens in this FFmpeg (the table once listed
    // 8-bit gbrp for FFV1, which it cannot encode).
    void everySoftwarePixelFormatOpens() {
        for (const auto& rule : encoderTable()) {
            if (rule.hardware) continue;
            for (const auto& fmt : rule.pixFmts) {
                auto opened = trialOpen(rule.encoder, av_get_pix_fmt(fmt.c_str()), 64, 48);
                QVERIFY2(opened.ok(), (rule.encoder + " " + fmt + ": " + (opened.ok() ? "" : opened.error().message)).c_str());
            }
        }
    }

    // Choosers offer what works here: every software encoder of this FFmpeg build, a hardware one only
    // where it opens (this machine has no NVIDIA driver, so NVENC is left out although FFmpeg has it).
    void usableEncodersAreTheOnesThatOpen() {
        const std::vector<EncoderInfo>& usable = usableEncoders();
        QCOMPARE(&usableEncoders(), &usable);   // probed once, then cached
        auto listed = [&](const std::string& name) {
            return std::any_of(usable.begin(), usable.end(), [&](const EncoderInfo& e) { return e.name == name; });
        };
        for (const char* e : {"libx264", "libx265", "ffv1", "prores_ks"}) QVERIFY2(listed(e), e);
        for (const auto& rule : encoderTable()) {
            if (!rule.hardware) continue;
            const bool opens = trialOpen(rule.encoder, av_get_pix_fmt(rule.pixFmts.front().c_str()), 1280, 720).ok();
            QVERIFY2(listed(rule.encoder) == opens, rule.encoder.c_str());
        }
        QCOMPARE(allEncoders().size(), encoderTable().size());
        // What the catalog calls the default preset and quality is what an empty option resolves to.
        for (const EncoderInfo& e : usable) {
            if (e.hardware) continue;
            auto r = resolveEncode(opts(e.name), source(64, 48, AV_PIX_FMT_YUV420P), e.containers.front());
            QVERIFY2(r.ok(), (e.name + ": " + (r.ok() ? "" : r.error().message)).c_str());
            QCOMPARE(option(*r, "preset"), e.defaultPreset);
            QCOMPARE(r->quality, e.qualityDefault);
            QVERIFY(e.presets.empty() || std::find(e.presets.begin(), e.presets.end(), e.defaultPreset) != e.presets.end());
        }
    }

    void tableListsEveryEncoder() {
        for (const char* e : {"libx264", "libx265", "h264_nvenc", "hevc_nvenc", "ffv1", "prores_ks"}) QVERIFY(findEncoderRule(e));
        QCOMPARE(findEncoderRule("ffv1")->containers, std::vector<std::string>{"mkv"});
    }
};

QTEST_GUILESS_MAIN(TestEncoderTable)
#include "test_encoder_table.moc"
