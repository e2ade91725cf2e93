// Issue 13's speed paths on the CPU, against the golden cases (tolerances of shared/golden/README.md):
// channels-last convolutions; several pairs through the sampler and decoder as one batch (noise per
// pair as alone, each pair's min() < 0 branches of its own, reruns bit-identical); the
// interpolator's batch path through FrameTransfer with CPU tensors; the speed switches' parsing.
// Also the small-frame padding (issue 14): sides < 256 padded by repeated reflection to 256.
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "golden_tensor_support.h"
#include "model/checkpoint_reader.h"
#include "model/decoder.h"
#include "model/npy.h"
#include "model/speed_options.h"
#include "model/tlbvfi_model.h"
#include "model/vqgan.h"

// Qt after LibTorch: Qt's `slots` macro breaks LibTorch headers.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace vfi;
using namespace vfi::model;
using vfi::test::maxAbs;
namespace fs = std::filesystem;

namespace {

constexpr double kTol = 1e-4;   // golden README: `out`

torch::Tensor npy(const std::string& path) {
    auto r = readNpy(path);
    return r ? r.value() : torch::Tensor();
}

struct Case {
    double scale = 0.5;
    int steps = 10;
    torch::Tensor in0, in1, out, indices;
    std::vector<torch::Tensor> noise;
};

Case loadCase(const std::string& dir) {
    Case g;
    QFile f(QString::fromStdString(dir + "/case.json"));
    if (!f.open(QIODevice::ReadOnly)) return g;
    const auto json = QJsonDocument::fromJson(f.readAll()).object();
    g.scale = json.value("scale").toDouble(0.5);
    g.steps = json.value("sample_step").toInt(10);
    g.in0 = npy(dir + "/input0.npy");
    g.in1 = npy(dir + "/input1.npy");
    g.out = npy(dir + "/out.npy");
    g.indices = npy(dir + "/vq_indices.npy");
    const auto all = npy(dir + "/noise.npy");
    for (int64_t k = 0; all.defined() && k < all.size(0); ++k) g.noise.push_back(all[k]);
    return g;
}

// Noise of the same shapes as a case's, drawn from another seed (a second, independent pair).
std::vector<torch::Tensor> otherNoise(const std::vector<torch::Tensor>& like, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    std::vector<torch::Tensor> out;
    for (const auto& t : like) out.push_back(at::normal(0.0, 1.0, t.sizes(), gen));
    return out;
}

}  // namespace

class TestSpeedPaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(1);
        m_golden = vfi::test::goldenDir();
        QVERIFY2(fs::exists(m_golden + "/tiny.pth"), ("golden data missing at " + m_golden).c_str());
        auto ckpt = readCheckpoint(m_golden + "/tiny.pth");
        QVERIFY2(ckpt.ok(), ckpt.ok() ? "" : ckpt.error().message.c_str());
        m_model = freshModel(ckpt.value());
        m_channelsLast = freshModel(ckpt.value());
        SpeedOptions cl;
        cl.channelsLast = true;
        m_channelsLast->setSpeedOptions(cl);
    }

    void speedSwitches() {
        const auto cpu = defaultSpeedOptions(torch::kCPU);
        QVERIFY(!cpu.sdpa && !cpu.cudaGraphs && !cpu.pinned);
        auto parsed = parseSpeedOptions("channels_last=1,pinned=1", cpu);
        QVERIFY(parsed.ok());
        QVERIFY(parsed->channelsLast && parsed->pinned);
        QCOMPARE(describeSpeedOptions(*parsed), std::string("channels_last=1,sdpa=0,cuda_graphs=0,pinned=1"));
        // Switches this build cannot do stay off (LibTorch 1.13 has neither).
        auto graphs = parseSpeedOptions("cuda_graphs=1,sdpa=1", cpu);
        QVERIFY(graphs.ok());
        QCOMPARE(graphs->cudaGraphs, cudaGraphsAvailable());
        QCOMPARE(graphs->sdpa, sdpaAvailable());
        auto bad = parseSpeedOptions("channels_last=yes", cpu);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("'channels_last=yes' is not name=0 or name=1") != std::string::npos,
                 bad.error().message.c_str());
        auto unknown = parseSpeedOptions("turbo=1", cpu);
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.find("unknown switch 'turbo'") != std::string::npos);
    }

    // The converted weights really are channels-last, and so are the convolutions' outputs.
    void channelsLastLayout() {
        auto conv = m_channelsLast->vqgan->encoder->conv_in;
        QVERIFY(conv->weight.is_contiguous(at::MemoryFormat::ChannelsLast));
        QVERIFY(!m_model->vqgan->encoder->conv_in->weight.is_contiguous(at::MemoryFormat::ChannelsLast));
        torch::NoGradGuard ng;
        auto y = conv->forward(torch::rand({1, 3, 16, 16}));
        QVERIFY(y.is_contiguous(at::MemoryFormat::ChannelsLast));
        auto w3 = m_channelsLast->denoise_fn->out[2]->as<torch::nn::Conv3dImpl>()->weight;
        QVERIFY(w3.is_contiguous(at::MemoryFormat::ChannelsLast3d));
    }

    void channelsLastMatchesGolden_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("case-a") << "case-a";
        QTest::newRow("case-b") << "case-b";
        QTest::newRow("case-c") << "case-c";
    }
    void channelsLastMatchesGolden() {
        QFETCH(QString, name);
        torch::NoGradGuard ng;
        const auto g = loadCase(m_golden + "/" + name.toStdString());
        QVERIFY(g.in0.defined() && g.out.defined() && !g.noise.empty());
        QVERIFY(m_model->setSampleSteps(g.steps).ok() && m_channelsLast->setSampleSteps(g.steps).ok());
        SampleTrace plainTrace, clTrace;
        ReplayNoise n1(g.noise), n2(g.noise);
        auto plain = m_model->sample(g.in0, g.in1, g.scale, n1, &plainTrace);
        auto cl = m_channelsLast->sample(g.in0, g.in1, g.scale, n2, &clTrace);
        QVERIFY2(plain.ok() && cl.ok(), cl.ok() ? "default layout failed" : cl.error().message.c_str());
        const double vsGolden = maxAbs(*cl, g.out), vsDefault = maxAbs(*cl, *plain);
        qInfo("%s channels-last: vs golden %.3g, vs default layout %.3g (default vs golden %.3g)", qPrintable(name),
              vsGolden, vsDefault, maxAbs(*plain, g.out));
        QVERIFY(clTrace.decode.indices.equal(g.indices));
        QVERIFY(vsGolden <= kTol);
        QVERIFY(vsDefault <= kTol);
        // The tiled stages (bands, halos, whole-image statistics) on channels-last tensors.
        MemoryPlan bands;
        bands.forceBandRows = 9;
        m_channelsLast->setMemoryPlan(bands);
        ReplayNoise n3(g.noise);
        auto tiled = m_channelsLast->sample(g.in0, g.in1, g.scale, n3);
        m_channelsLast->setMemoryPlan(MemoryPlan{});
        QVERIFY2(tiled.ok(), tiled.ok() ? "" : tiled.error().message.c_str());
        qInfo("%s channels-last, bands of 9 rows: vs golden %.3g", qPrintable(name), maxAbs(*tiled, g.out));
        QVERIFY(maxAbs(*tiled, g.out) <= kTol);
    }

    // Two pairs as one batch: each output equals that pair sampled alone (within the golden
    // tolerance; VQ indices equal), the first one also the golden output; a rerun is bit-identical.
    void batchMatchesSingle_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("mixedBranches");
        QTest::newRow("case-a (scale 0.5)") << "case-a" << false;
        QTest::newRow("case-b (scale 1)") << "case-b" << false;
        // Pair 0 bright (the min() < 0 branches not taken), pair 1 its negative (taken).
        QTest::newRow("case-c + negated (mixed branches)") << "case-c" << true;
    }
    void batchMatchesSingle() {
        QFETCH(QString, name);
        QFETCH(bool, mixedBranches);
        torch::NoGradGuard ng;
        const auto g = loadCase(m_golden + "/" + name.toStdString());
        QVERIFY(g.in0.defined() && !g.noise.empty());
        QVERIFY(m_model->setSampleSteps(g.steps).ok());
        // Pair 1: the frames swapped (or negated) with noise of its own.
        const auto p1a = mixedBranches ? -g.in0 : g.in1, p1b = mixedBranches ? -g.in1 : g.in0;
        const auto noise1 = otherNoise(g.noise, 99);
        auto single = [&](const torch::Tensor& a, const torch::Tensor& b, const std::vector<torch::Tensor>& noise) {
            ReplayNoise replay(noise);
            return m_model->sample(a, b, g.scale, replay);
        };
        auto s0 = single(g.in0, g.in1, g.noise), s1 = single(p1a, p1b, noise1);
        QVERIFY(s0.ok() && s1.ok());
        auto batch = [&] {
            ReplayNoise r0(g.noise), r1(noise1);
            return m_model->sampleBatch(torch::cat({g.in0, p1a}), torch::cat({g.in1, p1b}), g.scale, {&r0, &r1});
        };
        auto b1 = batch();
        QVERIFY2(b1.ok(), b1.ok() ? "" : b1.error().message.c_str());
        QCOMPARE(b1->size(0), int64_t{2});
        const double d0 = maxAbs(b1->slice(0, 0, 1), *s0), d1 = maxAbs(b1->slice(0, 1, 2), *s1);
        const double dGolden = maxAbs(b1->slice(0, 0, 1), g.out);
        qInfo("%s batch of 2: pair 0 vs alone %.3g (vs golden %.3g), pair 1 vs alone %.3g", qPrintable(name), d0,
              dGolden, d1);
        QVERIFY(d0 <= kTol);
        QVERIFY(d1 <= kTol);
        QVERIFY(dGolden <= kTol);
        QVERIFY(maxAbs(*s1, *s0) > 0.01);   // the two pairs really differ
        auto b2 = batch();
        QVERIFY(b2.ok());
        QVERIFY(b2->equal(*b1));   // a re-rendered batch is bit-identical
    }

    // A batch of pairs whose frames the memory plan bands is decoded pair by pair.
    void batchWithBandedDecoder() {
        torch::NoGradGuard ng;
        const auto g = loadCase(m_golden + "/case-a");
        QVERIFY(m_model->setSampleSteps(g.steps).ok());
        MemoryPlan plan;
        plan.forceBandRows = 9;
        m_model->setMemoryPlan(plan);
        QVERIFY(m_model->vqgan->decoder->bandsFor(16, 16));
        ReplayNoise r0(g.noise), r1(otherNoise(g.noise, 5));
        auto b = m_model->sampleBatch(torch::cat({g.in0, g.in1}), torch::cat({g.in1, g.in0}), g.scale, {&r0, &r1});
        m_model->setMemoryPlan(MemoryPlan{});
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
        QVERIFY(maxAbs(b->slice(0, 0, 1), g.out) <= kTol);
        QVERIFY(!m_model->vqgan->decoder->bandsFor(16, 16));
    }

    // Issue 14: sides below 256 are padded to 256 by repeated reflection; where one reflection
    // suffices it is exactly the reference's single F.pad.
    void smallFramePadding() {
        const auto p = computePadding(180, 320, 5);
        QCOMPARE(p.padH, int64_t{76});    // 180 -> 256
        QCOMPARE(p.padW, int64_t{192});   // 320 -> 512, as the reference
        QCOMPARE(computePadding(256, 600, 5).padH, int64_t{0});
        QCOMPARE(computePadding(100, 40, 5).padW, int64_t{216});
        namespace F = torch::nn::functional;
        const auto x = torch::rand({1, 3, 180, 320});
        const auto once = F::pad(x, F::PadFuncOptions({0, 192, 0, 76}).mode(torch::kReflect));
        QVERIFY(padBottomRight(x, 76, 192).equal(once));
        // 40 columns to 256: reflections of 39, 78, 99; the mirror image of the mirror image.
        const auto small = torch::arange(40, torch::kFloat).view({1, 1, 1, 40}).expand({1, 1, 2, 40}).contiguous();
        const auto wide = padBottomRight(small, 0, 216);
        QCOMPARE(wide.size(3), int64_t{256});
        for (int64_t i = 0; i < 256; ++i) {
            const int64_t period = 2 * 39, m = i % period;
            const float want = static_cast<float>(m < 40 ? m : period - m);
            QCOMPARE(wide[0][0][1][i].item<float>(), want);
        }
    }

    void smallFramesSample_data() {
        QTest::addColumn<double>("scale");
        QTest::newRow("scale 0.25") << 0.25;
        QTest::newRow("scale 0.5") << 0.5;
        QTest::newRow("scale 1") << 1.0;
    }
    void smallFramesSample() {
        QFETCH(double, scale);
        torch::NoGradGuard ng;
        QVERIFY(m_model->setSampleSteps(3).ok());
        const auto a = torch::rand({1, 3, 36, 64}) * 2 - 1, b = torch::rand({1, 3, 36, 64}) * 2 - 1;
        SeededCpuNoise noise(3);
        auto out = m_model->sample(a, b, scale, noise);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
        QVERIFY(out->sizes() == a.sizes());
        QVERIFY(out->isfinite().all().item<bool>());
        QVERIFY(out->abs().max().item<float>() <= 1.0f);
    }

private:
    static TlbvfiModel freshModel(const CheckpointData& ckpt) {
        TlbvfiModel m(vfi::test::tinyConfig());
        if (!loadStateDict(*m, ckpt.model).ok()) return TlbvfiModel(nullptr);
        m->eval();
        return m;
    }

    std::string m_golden;
    TlbvfiModel m_model{nullptr};
    TlbvfiModel m_channelsLast{nullptr};
};

QTEST_GUILESS_MAIN(TestSpeedPaths)
#include "test_speed_paths.moc"
