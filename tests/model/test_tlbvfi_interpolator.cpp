// Engine backend and JSON model config: option validation, config sections, loading tiny.pth through
// the public factory (config candidates), seeded noise reproducibility, cancel, release, fingerprint.
#include <QtTest>

#include <atomic>
#include <cmath>

#include "pipeline/model_config_json.h"
#include "vfi/frame_interpolator.h"

using namespace vfi;

namespace {

std::string goldenDir() {
    const QByteArray env = qgetenv("VFI_GOLDEN_DIR");
    return env.isEmpty() ? std::string("../shared/golden") : env.toStdString();
}

ModelOptions tinyOptions() {
    ModelOptions o;
    o.checkpointPath = goldenDir() + "/tiny.pth";
    o.configPath = goldenDir() + "/tiny-config.json";
    o.steps = 3;
    o.threads = 2;
    return o;
}

RgbFrame pattern(int w, int h, float shift) {
    RgbFrame f(w, h);
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                f.plane(c)[y * w + x] = 0.5f + 0.4f * std::sin(0.09f * (x + shift) + 0.05f * y + 1.3f * c);
    return f;
}

ErrorCode createCode(const ModelOptions& o) {
    auto r = createTlbvfiInterpolator(o);
    return r.ok() ? ErrorCode::Ok : r.error().code;
}

}  // namespace

class TestTlbvfiInterpolator : public QObject {
    Q_OBJECT
private slots:
    void configSections() {
        auto all = pipeline::loadModelConfigFile(goldenDir() + "/tiny-config.json");
        QVERIFY2(all.ok(), all.ok() ? "" : all.error().message.c_str());
        QCOMPARE(all->size(), size_t{2});
        QCOMPARE(all->at(0).name, std::string("official"));
        QCOMPARE(all->at(0).config.vqgan.ch, 64);
        QCOMPARE(all->at(1).name, std::string("tiny"));
        QCOMPARE(all->at(1).config.vqgan.ch, 8);
        QCOMPARE(all->at(1).config.vqgan.chMult, (std::vector<int>{1, 2, 2, 2, 4}));
        QCOMPARE(all->at(1).config.unet.attentionResolutions, (std::vector<int>{8, 4, 2}));
        QCOMPARE(all->at(1).config.bb.sampleSteps, 10);
        auto tiny = pipeline::loadModelConfig(goldenDir() + "/tiny-config.json#tiny");
        QVERIFY(tiny.ok());
        QCOMPARE(tiny->vqgan.ch, 8);
        auto ambiguous = pipeline::loadModelConfig(goldenDir() + "/tiny-config.json");
        QVERIFY(!ambiguous.ok());
        QVERIFY(ambiguous.error().message.find("PATH#SECTION") != std::string::npos);
        auto unknown = pipeline::loadModelConfig(goldenDir() + "/tiny-config.json#huge");
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.find("available: official, tiny") != std::string::npos);
    }

    void configErrors() {
        auto notJson = pipeline::parseModelConfigSections("{ nope", "x.json");
        QVERIFY(!notJson.ok());
        QCOMPARE(notJson.error().code, ErrorCode::InvalidArgument);
        QVERIFY(notJson.error().message.find("x.json is not valid JSON") != std::string::npos);
        auto badField = pipeline::parseModelConfigSections(R"({"vqgan":{"ddconfig":{"ch":"wide"}}})", "x.json");
        QVERIFY(!badField.ok());
        QVERIFY2(badField.error().message.find("vqgan.ddconfig.ch: expected a positive integer") != std::string::npos,
                 badField.error().message.c_str());
        auto fixed = pipeline::parseModelConfigSections(R"({"tiny":{"unet":{"dims":2}}})", "x.json");
        QVERIFY(!fixed.ok());
        QVERIFY2(fixed.error().message.find("tiny.unet.dims: only 3 is supported") != std::string::npos,
                 fixed.error().message.c_str());
        auto steps = pipeline::parseModelConfigSections(R"({"bb":{"sample_step":2}})", "x.json");
        QVERIFY(!steps.ok());
        auto none = pipeline::parseModelConfigSections(R"({"a":1})", "x.json");
        QVERIFY(!none.ok());
        auto missing = pipeline::loadModelConfig("/nonexistent/config.json");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::InputNotFound);
    }

    void optionValidation() {
        ModelOptions o = tinyOptions();
        QCOMPARE(createCode(o), ErrorCode::Ok);
        o.steps = 2;
        auto r = createTlbvfiInterpolator(o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY(r.error().message.find("at least 3") != std::string::npos);
        o = tinyOptions();
        o.flowScale = 0.3;
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o = tinyOptions();
        o.precision = "fp16";
        r = createTlbvfiInterpolator(o);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("need CUDA") != std::string::npos);
        o = tinyOptions();
        o.precision = "int8";
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o = tinyOptions();
        o.device = "gpu";
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o.device = "cuda:0";
        QCOMPARE(createCode(o), ErrorCode::DeviceUnavailable);   // CPU-only LibTorch in CI
        o = tinyOptions();
        o.checkpointPath = "/nonexistent/vimeo_unet.pth";
        auto missing = createTlbvfiInterpolator(o);
        QVERIFY(missing.ok());   // validation does not touch the file...
        auto st = (*missing)->load();
        QVERIFY(!st.ok());       // ...load() does
        QCOMPARE(st.error().code, ErrorCode::CheckpointMissing);
    }

    void officialConfigRejectsTinyCheckpoint() {
        ModelOptions o = tinyOptions();
        o.configPath.clear();   // official configuration
        auto r = createTlbvfiInterpolator(o);
        QVERIFY(r.ok());
        auto st = (*r)->load();
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(st.error().message.find("'official'") != std::string::npos, st.error().message.c_str());
        QVERIFY(!(*r)->loaded());
    }

    void interpolatesReproducibly() {
        auto r = createTlbvfiInterpolator(tinyOptions());
        QVERIFY(r.ok());
        FrameInterpolator& m = **r;
        QVERIFY(!m.isPreviewQuality());
        auto st = m.load();
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
        QVERIFY(m.loaded());
        const std::string fp = m.fingerprint();
        QVERIFY2(fp.find("config=tiny") != std::string::npos && fp.find("device=cpu") != std::string::npos &&
                     fp.find("libtorch=") != std::string::npos && fp.find("weights=not-loaded") == std::string::npos,
                 fp.c_str());

        const RgbFrame a = pattern(256, 256, 0.0f), b = pattern(256, 256, 6.0f);
        InterpolationCall call;
        call.jobSeed = 42;
        call.pairIndex = 7;
        auto o1 = m.interpolate(a, b, call);
        QVERIFY2(o1.ok(), o1.ok() ? "" : o1.error().message.c_str());
        QCOMPARE(o1->width, 256);
        QCOMPARE(o1->height, 256);
        for (float v : o1->data) QVERIFY(std::isfinite(v) && v >= -1e-6f && v <= 1.0f + 1e-6f);
        auto o2 = m.interpolate(a, b, call);
        QVERIFY(o2.ok());
        QVERIFY(o1->data == o2->data);   // same (seed, pair, step): bit-identical
        call.bisectionStep = 1;
        auto o3 = m.interpolate(a, b, call);
        QVERIFY(o3.ok());
        QVERIFY(o1->data != o3->data);   // different noise

        std::atomic<bool> cancel{true};
        call.cancel = &cancel;
        auto c = m.interpolate(a, b, call);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().code, ErrorCode::Cancelled);

        RgbFrame small(128, 64);
        call.cancel = nullptr;
        auto bad = m.interpolate(a, small, call);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::ModelError);

        m.release();
        QVERIFY(!m.loaded());
        auto afterRelease = m.interpolate(a, b, call);
        QVERIFY(!afterRelease.ok());
        QVERIFY(m.load().ok());
        auto o4 = m.interpolate(a, b, InterpolationCall{42, 7, 0, -1, -1, nullptr});
        QVERIFY(o4.ok());
        QVERIFY(o1->data == o4->data);   // reload (resume) reproduces the frame
    }
};

QTEST_GUILESS_MAIN(TestTlbvfiInterpolator)
#include "test_tlbvfi_interpolator.moc"
