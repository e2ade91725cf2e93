// Encode + diffusion half of TLB-VFI against the golden reference data (shared/golden): the
// VQ-flow encoder latent, every Brownian-bridge step (UNet output and the update with the recorded
// noise), the VQ snap and post_quant_conv, the schedule buffers, the step list and the encoder's
// data-dependent min() < 0 decision. Stages are fed golden inputs so a failure points at one stage.
// Tolerances are each case's own (case.json → recommended_tolerances), not the README's loosest.
// LibTorch before Qt: Qt's `slots` keyword macro breaks ATen headers that use it as a name.
#include <torch/torch.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "model/checkpoint_reader.h"
#include "model/npy.h"
#include "model/sampler.h"
#include "model/tlbvfi_model.h"
#include "golden_tensor_support.h"

using namespace vfi;
using namespace vfi::model;
namespace fs = std::filesystem;

namespace {

using vfi::test::caseTolerance;
using vfi::test::goldenDir;
using vfi::test::maxAbs;
using vfi::test::tinyConfig;

constexpr double kNearTie = 1e-4;

void report(const std::string& caseName, const std::string& stage, double delta, double tol) {
    std::printf("  %s %-28s max|d| = %.3e  (tol %.0e)\n", caseName.c_str(), stage.c_str(), delta, tol);
}

struct Case {
    std::string name;
    std::string dir;
    QJsonObject json;

    double tol(const char* tensor) const { return caseTolerance(json, tensor); }

    torch::Tensor npy(const std::string& file) const {
        auto r = readNpy(dir + "/" + file + ".npy");
        if (!r) {
            QTest::qFail(("cannot read " + file + ".npy: " + r.error().message).c_str(), __FILE__, __LINE__);
            return {};
        }
        return *r;
    }
};

}  // namespace

class TestParityEncoder : public QObject {
    Q_OBJECT

private:
    std::string m_golden;
    TlbvfiModel m_model{nullptr};
    NamedTensors m_checkpoint;

    Case loadCase(const std::string& name) {
        Case c;
        c.name = name;
        c.dir = m_golden + "/" + name;
        QFile f(QString::fromStdString(c.dir + "/case.json"));
        if (f.open(QIODevice::ReadOnly)) {
            c.json = QJsonDocument::fromJson(f.readAll()).object();
        }
        return c;
    }

    static void addCaseRows() {
        QTest::addColumn<QString>("caseName");
        QTest::newRow("case-a") << "case-a";
        QTest::newRow("case-b") << "case-b";
        QTest::newRow("case-c") << "case-c";
    }

private slots:
    void initTestCase() {
        torch::set_num_threads(1);  // the golden data was produced with 1 intra-op thread
        m_golden = goldenDir();
        QVERIFY2(fs::is_directory(m_golden), ("golden data missing: " + m_golden + " (set VFI_GOLDEN_DIR)").c_str());
        auto ckpt = readCheckpoint(m_golden + "/tiny.pth");
        QVERIFY2(ckpt.ok(), ckpt.ok() ? "" : ckpt.error().message.c_str());
        m_checkpoint = ckpt->model;
        m_model = TlbvfiModel(tinyConfig());
        m_model->eval();
        auto st = loadStateDict(*m_model, m_checkpoint);
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
    }

    // The schedule computed at construction equals the checkpoint's float32 buffers bit for bit.
    void scheduleMatchesCheckpoint() {
        const auto schedule = makeBridgeSchedule(1000, 1.0);
        const std::map<std::string, torch::Tensor> computed = {
            {"m_t", schedule.m_t}, {"m_tminus", schedule.m_tminus}, {"variance_t", schedule.variance_t},
            {"variance_tminus", schedule.variance_tminus}, {"variance_t_tminus", schedule.variance_t_tminus},
            {"posterior_variance_t", schedule.posterior_variance_t}};
        int found = 0;
        for (const auto& [key, value] : m_checkpoint) {
            auto it = computed.find(key);
            if (it == computed.end()) {
                continue;
            }
            ++found;
            const double d = maxAbs(it->second, value);
            report("schedule", key, d, 0);
            QVERIFY2(torch::equal(it->second, value), key.c_str());
        }
        QCOMPARE(found, 6);
    }

    void stepList_data() {
        addCaseRows();
    }
    void stepList() {
        QFETCH(QString, caseName);
        const auto c = loadCase(caseName.toStdString());
        const int sampleStep = c.json.value("sample_step").toInt();
        auto steps = bridgeSteps(1000, sampleStep);
        QVERIFY(steps.ok());
        const auto expected = c.json.value("timesteps").toArray();
        QCOMPARE(static_cast<qsizetype>(steps->size()), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE((*steps)[static_cast<size_t>(i)], static_cast<int64_t>(expected[i].toInt()));
        }
    }

    void stepCountBelowThreeRefused() {
        for (int s : {0, 1, 2}) {
            auto steps = bridgeSteps(1000, s);
            QVERIFY(!steps.ok());
            QCOMPARE(steps.error().code, ErrorCode::InvalidArgument);
            QVERIFY(QString::fromStdString(steps.error().message).contains("at least 3"));
        }
        QVERIFY(!m_model->setSampleSteps(2).ok());
        QVERIFY(m_model->setSampleSteps(10).ok());
        QCOMPARE(m_model->steps().size(), size_t{10});
    }

    void encoderLatent_data() {
        addCaseRows();
    }
    void encoderLatent() {
        QFETCH(QString, caseName);
        const auto c = loadCase(caseName.toStdString());
        torch::NoGradGuard noGrad;
        const auto in0 = c.npy("input0"), in1 = c.npy("input1");
        auto enc = m_model->vqgan->encode(torch::cat({in0, torch::zeros_like(in0), in1}, 0));
        const double d = maxAbs(enc.latent, c.npy("enc_latent"));
        report(c.name, "enc_latent", d, c.tol("enc_latent"));
        QVERIFY2(d <= c.tol("enc_latent"), ("enc_latent max|d| " + std::to_string(d)).c_str());

        const auto branches = c.json.value("branches").toObject();
        QCOMPARE(enc.encoderMappedToUnit, branches.value("encoder_fullres_input_min_lt_0").toBool());
        QCOMPARE(enc.pad.padH, static_cast<int64_t>(c.json.value("pad_bottom").toInt()));
        QCOMPARE(enc.pad.padW, static_cast<int64_t>(c.json.value("pad_right").toInt()));
        QCOMPARE(static_cast<int>(enc.phiList.size()), 6);
    }

    void samplerSteps_data() {
        addCaseRows();
    }
    void samplerSteps() {
        QFETCH(QString, caseName);
        const auto c = loadCase(caseName.toStdString());
        torch::NoGradGuard noGrad;
        const auto xt = c.npy("xt"), unetOut = c.npy("unet_out"), noise = c.npy("noise");
        QVERIFY(m_model->setSampleSteps(c.json.value("sample_step").toInt()).ok());
        const auto sampler = m_model->sampler();
        const auto& steps = sampler.steps();
        QCOMPARE(static_cast<int64_t>(steps.size()), unetOut.size(0));
        std::vector<torch::Tensor> noiseList;
        for (int64_t k = 0; k < noise.size(0); ++k) {
            noiseList.push_back(noise[k]);
        }
        ReplayNoise replay(noiseList);
        const auto y = xt[0];
        double worstUnet = 0, worstXt = 0;
        for (size_t k = 0; k < steps.size(); ++k) {
            const auto xk = xt[static_cast<int64_t>(k)];
            const auto t = torch::full({1}, steps[k], torch::kLong);
            const auto out = m_model->denoise_fn(xk, t, y);
            const double du = maxAbs(out, unetOut[static_cast<int64_t>(k)]);
            const auto next = sampler.update(static_cast<int64_t>(k), xk, y, out, replay);
            const double dx = maxAbs(next, xt[static_cast<int64_t>(k) + 1]);
            report(c.name, "step " + std::to_string(k) + " unet_out", du, c.tol("unet_out"));
            report(c.name, "step " + std::to_string(k) + " xt[k+1]", dx, c.tol("xt"));
            worstUnet = std::max(worstUnet, du);
            worstXt = std::max(worstXt, dx);
        }
        QVERIFY2(worstUnet <= c.tol("unet_out"), ("unet_out max|d| " + std::to_string(worstUnet)).c_str());
        QVERIFY2(worstXt <= c.tol("xt"), ("xt max|d| " + std::to_string(worstXt)).c_str());

        // The whole loop chained from xt[0] (own states, recorded noise) stays within tolerance too.
        ReplayNoise replay2(noiseList);
        auto unet = m_model->denoise_fn;
        std::vector<torch::Tensor> states;
        const auto final = sampler.sample(
            y, [&unet](const torch::Tensor& x, const torch::Tensor& tt, const torch::Tensor& ctx) { return unet(x, tt, ctx); },
            replay2, [&states](int64_t, const torch::Tensor&, const torch::Tensor&, const torch::Tensor& n) { states.push_back(n); });
        QCOMPARE(static_cast<int64_t>(states.size()), xt.size(0) - 1);
        const double dFinal = maxAbs(final, xt[xt.size(0) - 1]);
        report(c.name, "chained loop xt[last]", dFinal, c.tol("xt"));
        QVERIFY2(dFinal <= c.tol("xt"), ("chained xt max|d| " + std::to_string(dFinal)).c_str());
        QVERIFY(m_model->setSampleSteps(10).ok());
    }

    void quantize_data() {
        addCaseRows();
    }
    void quantize() {
        QFETCH(QString, caseName);
        const auto c = loadCase(caseName.toStdString());
        torch::NoGradGuard noGrad;
        const auto xt = c.npy("xt");
        const auto finalLatent = xt[xt.size(0) - 1];  // (1, C, F, h, w)
        const auto p = finalLatent.permute({0, 2, 1, 3, 4});
        const auto frames = p.reshape({p.size(0) * p.size(1), p.size(2), p.size(3), p.size(4)});
        const auto q = m_model->vqgan->quantize(frames);
        const auto goldIdx = c.npy("vq_indices"), gap = c.npy("vq_gap"), goldQuant = c.npy("quant");
        QCOMPARE(q.indices.sizes(), goldIdx.sizes());
        const auto differ = q.indices.ne(goldIdx);
        const int64_t flips = differ.sum().item<int64_t>();
        const int64_t badFlips = differ.logical_and(gap.ge(kNearTie)).sum().item<int64_t>();
        std::printf("  %s vq_indices: %lld differ (%lld not near-ties)\n", c.name.c_str(),
                    static_cast<long long>(flips), static_cast<long long>(badFlips));
        QCOMPARE(badFlips, int64_t{0});
        // Compare quant where indices agree (a near-tie flip legitimately moves a vector).
        const auto same = differ.logical_not().unsqueeze(1).expand_as(goldQuant);
        const double dq = maxAbs(q.zq.masked_select(same), goldQuant.masked_select(same));
        report(c.name, "quant", dq, c.tol("quant"));
        QVERIFY2(dq <= c.tol("quant"), ("quant max|d| " + std::to_string(dq)).c_str());
        const double dpq = maxAbs(m_model->vqgan->post_quant_conv(goldQuant), c.npy("post_quant"));
        report(c.name, "post_quant", dpq, c.tol("post_quant"));
        QVERIFY2(dpq <= c.tol("post_quant"), ("post_quant max|d| " + std::to_string(dpq)).c_str());
    }

    // The top-level sample(): encode, the whole sampler loop with the recorded noise, decode; every
    // traced stage and the final frame against the golden files (decoder stages: model-dec's half).
    void sampleEndToEnd_data() {
        addCaseRows();
    }
    void sampleEndToEnd() {
        QFETCH(QString, caseName);
        const auto c = loadCase(caseName.toStdString());
        const auto noise = c.npy("noise");
        std::vector<torch::Tensor> noiseList;
        for (int64_t k = 0; k < noise.size(0); ++k) {
            noiseList.push_back(noise[k]);
        }
        ReplayNoise replay(noiseList);
        QVERIFY(m_model->setSampleSteps(c.json.value("sample_step").toInt()).ok());
        SampleTrace trace;
        auto out = m_model->sample(c.npy("input0"), c.npy("input1"), c.json.value("scale").toDouble(), replay, &trace);
        QVERIFY(m_model->setSampleSteps(10).ok());
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
        const auto xt = c.npy("xt");
        const double dLatent = maxAbs(trace.encLatent, c.npy("enc_latent"));
        const double dXt = maxAbs(trace.xt.back(), xt[xt.size(0) - 1]);
        const double dOut = maxAbs(*out, c.npy("out"));
        report(c.name, "e2e enc_latent", dLatent, c.tol("enc_latent"));
        report(c.name, "e2e xt[last]", dXt, c.tol("xt"));
        if (trace.decode.indices.defined()) {
            const auto differ = trace.decode.indices.ne(c.npy("vq_indices"));
            std::printf("  %s e2e vq_indices: %lld differ\n", c.name.c_str(),
                        static_cast<long long>(differ.sum().item<int64_t>()));
        }
        if (trace.decode.flow.defined()) {
            report(c.name, "e2e flow", maxAbs(trace.decode.flow, c.npy("flow")), c.tol("flow"));
        }
        report(c.name, "e2e out", dOut, c.tol("out"));
        QCOMPARE(static_cast<int64_t>(trace.xt.size()), xt.size(0));
        QVERIFY(dLatent <= c.tol("enc_latent"));
        QVERIFY(dXt <= c.tol("xt"));
        QVERIFY2(dOut <= c.tol("out"), ("out max|d| " + std::to_string(dOut)).c_str());

        // The reference's data-dependent min() < 0 decisions, one per encoder call it made (full
        // resolution; then the reduced-resolution pass on its zero canvas when scale < 1), against
        // the decisions this sample() took in the same calls.
        const auto calls = c.json.value("branches").toObject().value("encoder_calls").toArray();
        const bool reduced = c.json.value("scale").toDouble() < 1.0;
        QCOMPARE(calls.size(), reduced ? qsizetype{2} : qsizetype{1});
        const int64_t padded[2] = {c.json.value("padded_height").toInt(), c.json.value("padded_width").toInt()};
        for (qsizetype i = 0; i < calls.size(); ++i) {
            const auto call = calls[i].toObject();
            const auto shape = call.value("shape").toArray();
            QCOMPARE(shape.size(), qsizetype{4});
            const double f = i == 0 ? 1.0 : c.json.value("scale").toDouble();
            QCOMPARE(static_cast<int64_t>(shape[2].toInt()), static_cast<int64_t>(padded[0] * f));
            QCOMPARE(static_cast<int64_t>(shape[3].toInt()), static_cast<int64_t>(padded[1] * f));
            const bool port = i == 0 ? trace.encoderMappedToUnit : trace.decode.reducedEncoderMappedToUnit;
            QVERIFY2(port == call.value("min_lt_0").toBool(),
                     qPrintable(QString("%1 encoder call %2: reference min() %3, port %4 the [0,1] mapping")
                                    .arg(caseName).arg(i).arg(call.value("min").toDouble()).arg(port ? "took" : "did not take")));
        }
    }

    // Item 6b: per-frame down-path reuse. A repeat of a pair is served from the cache and is
    // bit-identical to the first (all-miss) call and to a call without cache; a frame's features are keyed by the min() < 0
    // decision; the cache-enabled path stays within the golden tolerance.
    void encoderFeatureCache() {
        torch::NoGradGuard noGrad;
        const auto a = loadCase("case-a");
        const auto in0 = a.npy("input0"), in1 = a.npy("input1");
        auto vq = m_model->vqgan;
        const auto stack = [](const torch::Tensor& p, const torch::Tensor& n) {
            return torch::cat({p, torch::zeros_like(p), n}, 0);
        };
        const auto uncached = vq->encode(stack(in0, in1));
        vq->setFeatureCacheCapacity(6);
        auto* cache = vq->featureCache();
        QVERIFY(cache != nullptr);
        cache->clear();
        const auto first = vq->encode(stack(in0, in1));
        QCOMPARE(cache->misses(), int64_t{3});
        const auto again = vq->encode(stack(in0, in1));
        QCOMPARE(cache->hits(), int64_t{3});
        QVERIFY(torch::equal(first.latent, again.latent));
        for (size_t l = 0; l < first.phiList.size(); ++l) {
            QVERIFY(torch::equal(first.phiList[l], again.phiList[l]));
        }
        const double dGold = maxAbs(first.latent, a.npy("enc_latent"));
        const double dUncached = maxAbs(first.latent, uncached.latent);
        double dPhi = 0;
        for (size_t l = 0; l < first.phiList.size(); ++l) {
            dPhi = std::max(dPhi, maxAbs(first.phiList[l], uncached.phiList[l]));
        }
        report("case-a", "cached enc_latent vs golden", dGold, a.tol("enc_latent"));
        report("case-a", "cached vs uncached latent", dUncached, 0);
        report("case-a", "cached vs uncached phi", dPhi, 0);
        QVERIFY(dGold <= a.tol("enc_latent"));
        // Cache on/off: the same per-frame computation, so bit-identical.
        QVERIFY(torch::equal(first.latent, uncached.latent));
        QCOMPARE(dPhi, 0.0);
        QCOMPARE(dUncached, 0.0);

        // Next pair (in1, in0): both real frames and the zero frame are hits.
        const int64_t hitsBefore = cache->hits();
        const auto swapped = vq->encode(stack(in1, in0));
        QCOMPARE(cache->hits() - hitsBefore, int64_t{3});

        // Bright frames (all >= 0): the decision flips to "not mapped", so in1's features from the
        // mapped pairs must not be reused; the result equals a fresh cache's.
        const auto bright0 = in0.abs(), bright1 = in1.abs();
        const int64_t missesBefore = cache->misses();
        const auto brightCached = vq->encode(stack(bright0, bright1));
        QCOMPARE(cache->misses() - missesBefore, int64_t{3});
        QVERIFY(!brightCached.encoderMappedToUnit);
        cache->clear();
        const auto brightFresh = vq->encode(stack(bright0, bright1));
        QVERIFY(torch::equal(brightCached.latent, brightFresh.latent));

        // Eviction while a hit is in use: with room for one entry, in1 hits, then the zero frame's
        // insert evicts in1's entry before the pair is assembled. The result must still equal the
        // uncached encoder's (this read freed memory before the hit was copied).
        const auto in2 = in0 * 0.9;
        vq->setFeatureCacheCapacity(0);
        const auto nextUncached = vq->encode(stack(in1, in2));
        vq->setFeatureCacheCapacity(1);
        vq->featureCache()->clear();
        vq->encode(stack(in0, in1));
        const int64_t hitsBeforeEvict = vq->featureCache()->hits();
        const auto nextCached = vq->encode(stack(in1, in2));
        QCOMPARE(vq->featureCache()->hits() - hitsBeforeEvict, int64_t{1});
        QVERIFY(torch::equal(nextCached.latent, nextUncached.latent));
        for (size_t l = 0; l < nextCached.phiList.size(); ++l) {
            QVERIFY(torch::equal(nextCached.phiList[l], nextUncached.phiList[l]));
        }

        vq->setFeatureCacheCapacity(0);
        QVERIFY(vq->featureCache() == nullptr);
        QVERIFY(swapped.latent.defined());
    }

    // decode()'s reduced-resolution pass needs phi_list[:4] only: flowFeatures() skips the zero
    // frame, wavelet, deep levels and middle, with the same min() < 0 decision and features.
    void flowFeaturesMatchFullPass() {
        torch::NoGradGuard noGrad;
        const auto a = loadCase("case-a");
        namespace F = torch::nn::functional;
        // A 256x256 zero canvas with content top-left, as decode() builds it for scale 0.5.
        auto canvas = [](const torch::Tensor& f) {
            auto c = torch::zeros({1, 3, 256, 256});
            auto d = F::interpolate(f, F::InterpolateFuncOptions().scale_factor(std::vector<double>{0.5, 0.5})
                                           .mode(torch::kBilinear).align_corners(false));
            c.slice(2, 0, d.size(2)).slice(3, 0, d.size(3)).copy_(d);
            return c;
        };
        for (bool bright : {false, true}) {
            auto f0 = canvas(a.npy("input0")), f1 = canvas(a.npy("input1"));
            if (bright) {
                f0 = f0.abs();
                f1 = f1.abs();
            }
            auto encoder = m_model->vqgan->encoder;
            const auto full = encoder->forward(torch::cat({f0, torch::zeros_like(f0), f1}));
            const auto partial = encoder->flowFeatures(f0, f1, 4);
            QCOMPARE(partial.mappedToUnit, full.mappedToUnit);
            QCOMPARE(partial.mappedToUnit, !bright);
            QCOMPARE(partial.phiList.size(), size_t{4});
            double d = 0;
            for (size_t l = 0; l < 4; ++l) {
                d = std::max(d, maxAbs(partial.phiList[l], full.phiList[l]));
            }
            report(bright ? "bright" : "case-a", "flowFeatures vs full phi[:4]", d, 1e-5);
            QVERIFY(d <= 1e-5);
        }
    }
};

QTEST_GUILESS_MAIN(TestParityEncoder)
#include "test_parity_encoder.moc"
