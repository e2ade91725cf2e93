// Decoder half of TLB-VFI against the golden reference data (shared/golden): IFNet, flow refinement,
// the flow/residual decoder and VQFlowNetInterface.decode, each stage fed with golden tensors where
// possible so that a failure points at one stage. Tolerances are each case's own (case.json →
// recommended_tolerances), not the README's loosest across cases.
#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "model/checkpoint_reader.h"
#include "model/decoder.h"
#include "model/npy.h"
#include "model/tlbvfi_model.h"
#include "model/vqgan.h"
#include "model/warp.h"
#include "golden_tensor_support.h"

// Qt after LibTorch: Qt's `slots` macro breaks LibTorch headers.
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace vfi;
using namespace vfi::model;
namespace fs = std::filesystem;

namespace {

using vfi::test::goldenDir;
using vfi::test::maxAbs;

NamedTensors withPrefix(const NamedTensors& all, const std::string& prefix) {
    NamedTensors out;
    for (const auto& [k, v] : all) {
        if (k.rfind(prefix, 0) == 0) {
            out.emplace_back(k.substr(prefix.size()), v);
        }
    }
    return out;
}

// 8-bit conversion of the reference script: ((out/2 + 0.5) * 255) truncated.
torch::Tensor toU8(const torch::Tensor& out) { return ((out / 2 + 0.5) * 255).to(torch::kUInt8); }

struct Case {
    std::string dir;
    QJsonObject json;
    double scale = 0.5;
    std::map<std::string, torch::Tensor> npy;

    torch::Tensor get(const std::string& name) {
        auto it = npy.find(name);
        if (it != npy.end()) {
            return it->second;
        }
        auto r = readNpy(dir + "/" + name + ".npy");
        if (!r) {
            return {};
        }
        npy[name] = r.value();
        return r.value();
    }
    double tol(const char* tensor) const { return vfi::test::caseTolerance(json, tensor); }
    bool branch(const char* key) const { return json.value("branches").toObject().value(key).toBool(); }
};

}  // namespace

class TestParityDecoder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void decoderKeysMatchOfficialOrder();
    void ifnetFlow_data();
    void ifnetFlow();
    void decodeStages_data();
    void decodeStages();
    void endToEnd_data();
    void endToEnd();
    void tapByTapRefinementEqualsUnfold();
    void tiledHeadEqualsUntiled();

private:
    Case& loadCase(const QString& name);
    void addCaseRows();

    std::string m_golden;
    NamedTensors m_weights;
    std::map<QString, Case> m_cases;
    VQFlowNetInterface m_vqgan{nullptr};
};

void TestParityDecoder::initTestCase() {
    torch::set_num_threads(1);
    m_golden = goldenDir();
    QVERIFY2(fs::exists(m_golden + "/tiny.pth"), ("golden data missing at " + m_golden).c_str());
    auto ckpt = readCheckpoint(m_golden + "/tiny.pth");
    QVERIFY2(ckpt.ok(), ckpt.ok() ? "" : ckpt.error().message.c_str());
    m_weights = std::move(ckpt.value().model);
    m_vqgan = VQFlowNetInterface(vfi::test::tinyVqganConfig());
    auto st = loadStateDict(*m_vqgan, withPrefix(m_weights, "vqgan."));
    QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
    m_vqgan->eval();
}

Case& TestParityDecoder::loadCase(const QString& name) {
    auto it = m_cases.find(name);
    if (it != m_cases.end()) {
        return it->second;
    }
    Case c;
    c.dir = m_golden + "/" + name.toStdString();
    QFile f(QString::fromStdString(c.dir + "/case.json"));
    if (f.open(QIODevice::ReadOnly)) {
        c.json = QJsonDocument::fromJson(f.readAll()).object();
    }
    c.scale = c.json.value("scale").toDouble(0.5);
    return m_cases.emplace(name, std::move(c)).first->second;
}

void TestParityDecoder::addCaseRows() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"case-a", "case-b", "case-c"}) {
        QTest::newRow(n) << QString(n);
    }
}

// Same keys, order and tiny shapes as official-keys.tsv for vqgan.decoder.*.
void TestParityDecoder::decoderKeysMatchOfficialOrder() {
    QFile f(QString::fromStdString(m_golden + "/official-keys.tsv"));
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    std::vector<std::pair<std::string, std::string>> expected;
    const std::string prefix = "vqgan.decoder.";
    while (!f.atEnd()) {
        const auto cols = QString::fromUtf8(f.readLine()).trimmed().split('\t');
        if (cols.size() >= 4 && cols[0].startsWith(QString::fromStdString(prefix))) {
            expected.emplace_back(cols[0].mid(static_cast<int>(prefix.size())).toStdString(), cols[3].toStdString());
        }
    }
    const auto actual = stateDictEntries(*m_vqgan->decoder);
    QCOMPARE(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
        std::string shape = "[";
        for (int64_t d = 0; d < actual[i].second.dim(); ++d) {
            shape += (d ? ", " : "") + std::to_string(actual[i].second.size(d));
        }
        shape += "]";
        QCOMPARE(QString::fromStdString(actual[i].first), QString::fromStdString(expected[i].first));
        QCOMPARE(QString::fromStdString(shape), QString::fromStdString(expected[i].second));
    }
}

void TestParityDecoder::ifnetFlow_data() { addCaseRows(); }

// IFNet alone, on the frames the reference hands it: the reduced-resolution zero canvas in [-1, 1]
// (scale < 1), or the padded frames mapped to [0, 1] when the decoder's prev-frame branch is taken.
void TestParityDecoder::ifnetFlow() {
    QFETCH(QString, name);
    torch::NoGradGuard ng;
    Case& c = loadCase(name);
    auto in0 = c.get("input0"), in1 = c.get("input1"), expected = c.get("ifnet_flow");
    QVERIFY(in0.defined() && in1.defined() && expected.defined());
    torch::Tensor a, b;
    if (c.scale < 1.0) {
        const int64_t ph = c.json.value("padded_height").toInt(), pw = c.json.value("padded_width").toInt();
        const auto h = static_cast<int64_t>(ph * c.scale), w = static_cast<int64_t>(pw * c.scale);
        auto d0 = resizeBilinear(in0, c.scale), d1 = resizeBilinear(in1, c.scale);
        a = torch::zeros({1, 3, h, w});
        b = torch::zeros({1, 3, h, w});
        a.slice(2, 0, d0.size(2)).slice(3, 0, d0.size(3)).copy_(d0);
        b.slice(2, 0, d1.size(2)).slice(3, 0, d1.size(3)).copy_(d1);
    } else {
        const auto pad = computePadding(in0.size(2), in0.size(3), 5);
        namespace F = torch::nn::functional;
        auto opts = F::PadFuncOptions({0, pad.padW, 0, pad.padH}).mode(torch::kReflect);
        a = F::pad(in0, opts);
        b = F::pad(in1, opts);
        if (a.min().item<float>() < 0) {
            a = a / 2 + 0.5;
            b = b / 2 + 0.5;
        }
    }
    auto flow = m_vqgan->decoder->flownet->forward(torch::cat({a, b}, 1));
    const double d = maxAbs(flow, expected);
    qInfo("%s ifnet_flow max|d| = %.3g", qPrintable(name), d);
    QVERIFY2(d <= c.tol("ifnet_flow"), qPrintable(QString("ifnet_flow max|d| %1 (tol %2)").arg(d).arg(c.tol("ifnet_flow"))));
}

void TestParityDecoder::decodeStages_data() { addCaseRows(); }

// decode() with the golden quantised latent (VQ near-ties cannot interfere): post_quant, IFNet, the
// refined flow, the pre-clamp blend, the output and its 8-bit form; then the decoder alone with the
// golden flow and post_quant (isolates it from the flow stages). Encoder features come from our encoder.
void TestParityDecoder::decodeStages() {
    QFETCH(QString, name);
    torch::NoGradGuard ng;
    Case& c = loadCase(name);
    auto in0 = c.get("input0"), in1 = c.get("input1");
    QVERIFY(in0.defined() && in1.defined());
    auto enc = m_vqgan->encode(torch::cat({in0, torch::zeros_like(in0), in1}));
    DecodeTrace tr;
    tr.forcedQuant = c.get("quant");
    auto out = m_vqgan->decode(tr.forcedQuant, in0, in1, enc.phiList, enc.pad, c.scale, &tr);

    const double dPost = maxAbs(tr.postQuant, c.get("post_quant"));
    const double dIfnet = maxAbs(tr.ifnetFlow, c.get("ifnet_flow"));
    const double dFlow = maxAbs(tr.flow, c.get("flow"));
    const double dPre = maxAbs(tr.decPreclamp, c.get("dec_preclamp"));
    const double dOut = maxAbs(out, c.get("out"));
    qInfo("%s decode: post_quant %.3g ifnet_flow %.3g flow %.3g dec_preclamp %.3g out %.3g", qPrintable(name), dPost,
          dIfnet, dFlow, dPre, dOut);
    QCOMPARE(tr.decoderMappedToUnit, c.branch("decoder_prev_frame_min_lt_0"));
    if (c.scale < 1.0) {
        QCOMPARE(tr.reducedEncoderMappedToUnit, c.branch("encoder_halfres_input_min_lt_0"));
    }
    QVERIFY2(dPost <= c.tol("post_quant"), "post_quant");
    QVERIFY2(dIfnet <= c.tol("ifnet_flow"), "ifnet_flow");
    QVERIFY2(dFlow <= c.tol("flow"), "flow");
    QVERIFY2(dPre <= c.tol("dec_preclamp"), "dec_preclamp");
    QVERIFY2(dOut <= c.tol("out"), "out");

    // 8-bit output: exact when out is exact, else only values at a truncation boundary may flip.
    QImage png(QString::fromStdString(c.dir + "/out.png"));
    QVERIFY(!png.isNull());
    png = png.convertToFormat(QImage::Format_RGB888);
    auto ref = torch::empty({png.height(), png.width(), 3}, torch::kUInt8);
    for (int y = 0; y < png.height(); ++y) {
        std::memcpy(ref[y].data_ptr(), png.constScanLine(y), static_cast<size_t>(png.width()) * 3);
    }
    auto mine = toU8(out[0].permute({1, 2, 0}));
    auto diff = (mine.to(torch::kInt) - ref.to(torch::kInt)).abs();
    const int64_t flips = diff.gt(0).sum().item<int64_t>();
    qInfo("%s out.png: %lld values differ (max %d)", qPrintable(name), static_cast<long long>(flips),
          diff.max().item<int>());
    QVERIFY(diff.max().item<int>() <= 1);
    if (dOut == 0.0) {
        QCOMPARE(flips, int64_t{0});
    } else {
        // A value can only flip if the golden out lies within |d| of a truncation boundary.
        auto g = (c.get("out") / 2 + 0.5) * 255;
        auto nearBoundary = (g - g.floor()).lt(dOut * 255 + 1e-6) | (g.ceil() - g).lt(dOut * 255 + 1e-6);
        auto flippedAway = diff.gt(0) & ~nearBoundary[0].permute({1, 2, 0});
        QCOMPARE(flippedAway.sum().item<int64_t>(), int64_t{0});
    }

    // Decoder alone: golden post_quant and golden flow.
    namespace F = torch::nn::functional;
    auto opts = F::PadFuncOptions({0, enc.pad.padW, 0, enc.pad.padH}).mode(torch::kReflect);
    DecoderTrace dtr;
    auto full = m_vqgan->decoder->forward(c.get("post_quant"), enc.phiList, F::pad(in0, opts), F::pad(in1, opts),
                                          c.get("flow"), &dtr);
    const int64_t h = in0.size(2), w = in0.size(3);
    const double dPre2 = maxAbs(dtr.preclamp.slice(2, 0, h).slice(3, 0, w), c.get("dec_preclamp"));
    const double dOut2 = maxAbs(full.slice(2, 0, h).slice(3, 0, w), c.get("out"));
    qInfo("%s decoder(golden flow, post_quant): dec_preclamp %.3g out %.3g", qPrintable(name), dPre2, dOut2);
    QVERIFY2(dPre2 <= c.tol("dec_preclamp"), "dec_preclamp (golden flow)");
    QVERIFY2(dOut2 <= c.tol("out"), "out (golden flow)");
}

void TestParityDecoder::endToEnd_data() { addCaseRows(); }

// The whole sample() with the golden noise injected: out within 1e-4.
void TestParityDecoder::endToEnd() {
    QFETCH(QString, name);
    torch::NoGradGuard ng;
    Case& c = loadCase(name);
    TlbvfiConfig cfg;
    cfg.vqgan = vfi::test::tinyVqganConfig();
    cfg.bb.sampleSteps = c.json.value("sample_step").toInt(10);
    TlbvfiModel model(cfg);
    auto st = loadStateDict(*model, m_weights);
    QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
    model->eval();
    auto noiseAll = c.get("noise");
    QVERIFY(noiseAll.defined());
    std::vector<torch::Tensor> noise;
    for (int64_t k = 0; k < noiseAll.size(0); ++k) {
        noise.push_back(noiseAll[k]);
    }
    ReplayNoise replay(noise);
    SampleTrace trace;
    auto out = model->sample(c.get("input0"), c.get("input1"), c.scale, replay, &trace);
    QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
    const double dOut = maxAbs(out.value(), c.get("out"));
    const auto idx = c.get("vq_indices");
    const int64_t idxDiff =
        trace.decode.indices.defined() ? trace.decode.indices.ne(idx).sum().item<int64_t>() : int64_t{-1};
    qInfo("%s end-to-end: out %.3g, vq index mismatches %lld, flow %.3g", qPrintable(name), dOut,
          static_cast<long long>(idxDiff), maxAbs(trace.decode.flow, c.get("flow")));
    QCOMPARE(trace.decode.decoderMappedToUnit, c.branch("decoder_prev_frame_min_lt_0"));
    QVERIFY2(dOut <= c.tol("out"), qPrintable(QString("out max|d| %1").arg(dOut)));
}

// The memory-lean tap-by-tap refinement against the reference's unfold formulation: the tiny
// trained widths (C = 8, 16) and the official width C = 64 (random weights), flows of many pixels.
void TestParityDecoder::tapByTapRefinementEqualsUnfold() {
    torch::NoGradGuard ng;
    torch::manual_seed(7);
    auto check = [](FlowRefineNetA block, int64_t c, int64_t h, int64_t w) {
        auto x0 = torch::randn({1, c, h, w}), x1 = torch::randn({1, c, h, w});
        auto f0 = torch::randn({1, 2, h, w}) * 6, f1 = torch::randn({1, 2, h, w}) * 6;
        block->setTapByTap(false);
        auto ref = block->forward(x0, x1, f0, f1);
        block->setTapByTap(true);
        auto taps = block->forward(x0, x1, f0, f1);
        return maxAbs(ref, taps);
    };
    auto& rf = m_vqgan->decoder->refinenet;
    const double dTiny1 = check(rf->rf_block1, 8, 40, 56);
    const double dTiny4 = check(rf->rf_block4, 16, 24, 40);
    FlowRefineNetA official(64, 64);
    official->eval();
    const double dOfficial = check(official, 64, 32, 48);
    qInfo("tap-by-tap vs unfold: rf_block1 %.3g rf_block4 %.3g official width %.3g", dTiny1, dTiny4, dOfficial);
    QVERIFY(dTiny1 <= 1e-5 && dTiny4 <= 1e-5 && dOfficial <= 1e-5);
}

// Forced small row bands (smaller than the 5-row halo, and not dividing the height) in the
// full-resolution decoder tail give the untiled output within 1e-4 (case-b: 256 x 512 padded).
void TestParityDecoder::tiledHeadEqualsUntiled() {
    torch::NoGradGuard ng;
    Case& c = loadCase("case-b");
    auto in0 = c.get("input0"), in1 = c.get("input1");
    QVERIFY(in0.defined() && in1.defined());
    auto enc = m_vqgan->encode(torch::cat({in0, torch::zeros_like(in0), in1}));
    namespace F = torch::nn::functional;
    auto opts = F::PadFuncOptions({0, enc.pad.padW, 0, enc.pad.padH}).mode(torch::kReflect);
    auto p0 = F::pad(in0, opts), p1 = F::pad(in1, opts);
    auto& dec = m_vqgan->decoder;
    DecoderTrace ref;
    auto untiled = dec->forward(c.get("post_quant"), enc.phiList, p0, p1, c.get("flow"), &ref);
    for (int64_t rows : {int64_t{3}, int64_t{37}}) {
        dec->setHeadTileRows(rows);
        DecoderTrace tr;
        auto tiled = dec->forward(c.get("post_quant"), enc.phiList, p0, p1, c.get("flow"), &tr);
        dec->setHeadTileRows(0);
        const double dOut = maxAbs(tiled, untiled), dPre = maxAbs(tr.preclamp, ref.preclamp);
        qInfo("head tiled in %lld-row bands vs untiled: out %.3g preclamp %.3g", static_cast<long long>(rows), dOut,
              dPre);
        QVERIFY(dOut <= 1e-4 && dPre <= 1e-4);
    }
}

QTEST_GUILESS_MAIN(TestParityDecoder)
#include "test_parity_decoder.moc"
