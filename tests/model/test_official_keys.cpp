// The C++ module tree must produce exactly the reference state-dict keys, order and shapes:
// official configuration (ch 64) against official-keys.tsv column 2, the tiny one against column 4,
// and the EMA (named UNet parameters) against official-ema-keys.tsv.
#include <torch/torch.h>

#include <QtTest>

#include <fstream>
#include <sstream>

#include "model/checkpoint_reader.h"
#include "model/tlbvfi_model.h"
#include "golden_support.h"

using namespace vfi::model;

namespace {

using vfi::test::goldenDir;

struct Row {
    std::string key, shape, dtype, tinyShape;
};

std::vector<Row> readTsv(const std::string& path) {
    std::vector<Row> rows;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string x;
        while (std::getline(ss, x, '\t')) f.push_back(x);
        f.resize(5);
        rows.push_back({f[0], f[1], f[2], f[3]});
    }
    return rows;
}

std::string shapeOf(const torch::Tensor& t) {
    std::string s = "[";
    for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
    return s + "]";
}

std::string dtypeOf(const torch::Tensor& t) {
    if (t.scalar_type() == torch::kFloat32) return "float32";
    if (t.scalar_type() == torch::kInt64) return "int64";
    return c10::toString(t.scalar_type());
}

TlbvfiConfig config(int ch) {
    TlbvfiConfig c;
    c.vqgan.ch = ch;
    return c;
}

// Compares in order; reports the first difference (a full diff of 1776 lines helps nobody).
void compareRows(const NamedTensors& actual, const std::vector<Row>& expected, bool tiny) {
    const size_t n = std::min(actual.size(), expected.size());
    for (size_t i = 0; i < n; ++i) {
        const auto& [k, t] = actual[i];
        const Row& r = expected[i];
        const std::string want = tiny ? r.tinyShape : r.shape;
        const std::string where = "row " + std::to_string(i) + ": model " + k + " " + shapeOf(t) + " " + dtypeOf(t) +
                                  ", reference " + r.key + " " + want + " " + r.dtype;
        QVERIFY2(k == r.key && shapeOf(t) == want && dtypeOf(t) == r.dtype, where.c_str());
    }
    QCOMPARE(actual.size(), expected.size());
}

}  // namespace

class TestOfficialKeys : public QObject {
    Q_OBJECT
private slots:
    void officialConfiguration() {
        const auto rows = readTsv(goldenDir() + "/official-keys.tsv");
        QCOMPARE(rows.size(), size_t{1776});
        TlbvfiModel model(config(64));
        compareRows(appendAliasEntries(stateDictEntries(*model)), rows, false);
        int64_t params = 0;
        for (const auto& p : model->parameters()) params += p.numel();
        QCOMPARE(params, int64_t{46739244});
    }

    void tinyConfiguration() {
        const auto rows = readTsv(goldenDir() + "/official-keys.tsv");
        TlbvfiModel model(config(8));
        compareRows(appendAliasEntries(stateDictEntries(*model)), rows, true);
    }

    void emaKeys() {
        const auto rows = readTsv(goldenDir() + "/official-ema-keys.tsv");
        QCOMPARE(rows.size(), size_t{214});
        TlbvfiModel model(config(64));
        NamedTensors ema;
        for (const auto& p : model->denoise_fn->named_parameters())
            if (p.value().requires_grad()) ema.emplace_back("denoise_fn." + p.key(), p.value());
        compareRows(ema, rows, false);
    }

    void tinyCheckpointLoadsStrictly() {
        auto ckpt = readCheckpoint(goldenDir() + "/tiny.pth");
        QVERIFY(ckpt.ok());
        TlbvfiModel model(config(8));
        auto st = loadStateDict(*model, ckpt->model);
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
        // A tiny checkpoint does not fit the official model: strict error, nothing copied.
        TlbvfiModel official(config(64));
        const float before = official->denoise_fn->parameters().front()[0][0].item<float>();
        auto bad = loadStateDict(*official, ckpt->model);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("different shape") != std::string::npos, bad.error().message.c_str());
        QCOMPARE(official->denoise_fn->parameters().front()[0][0].item<float>(), before);
    }
};

QTEST_GUILESS_MAIN(TestOfficialKeys)
#include "test_official_keys.moc"
