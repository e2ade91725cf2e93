// Global attention split by query chunks (STAttnBlock, issue 3 item 6): chunked results equal the
// reference's one-shot bmm / scale / softmax / bmm within 1e-5, for forced tiny chunks that do and
// do not divide the token count, and through the whole STAttnBlock with random weights.
// LibTorch before Qt: Qt's `slots` macro breaks ATen headers.
#include <torch/torch.h>

#include <QtTest>

#include <cmath>

#include "model/cross_attention.h"
#include "model/vq_blocks.h"

using namespace vfi::model;

namespace {

// The reference formulation (model.py:STAttnBlock), written out independently of the product code.
torch::Tensor referenceAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 double scale) {
    auto w = torch::bmm(q.permute({0, 2, 1}), k);
    w = w * scale;
    w = torch::softmax(w, 2);
    return torch::bmm(v, w.permute({0, 2, 1}));
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

// Restores the process-wide budget when a test ends, so tests stay independent.
struct BudgetGuard {
    int64_t saved = globalAttentionBudget();
    ~BudgetGuard() { setGlobalAttentionBudget(saved); }
};

}  // namespace

class TestAttentionChunking : public QObject {
    Q_OBJECT

private slots:
    void init() { torch::manual_seed(1234); }

    void chunkedEqualsOneShot_data() {
        QTest::addColumn<qint64>("budget");
        QTest::addColumn<qint64>("expectedChunk");
        const qint64 t = 150;
        const qint64 perQuery = 2 * t * 4;   // weights + softmax, fp32, batch 1
        QTest::newRow("one query per chunk") << perQuery << qint64(1);
        QTest::newRow("budget below one query") << qint64(1) << qint64(1);
        QTest::newRow("7 queries (does not divide 150)") << 7 * perQuery + 5 << qint64(7);
        QTest::newRow("50 queries (divides 150)") << 50 * perQuery << qint64(50);
        QTest::newRow("budget above all queries") << 1000 * perQuery << t;
        QTest::newRow("unchunked (0)") << qint64(0) << t;
    }

    void chunkedEqualsOneShot() {
        QFETCH(qint64, budget);
        QFETCH(qint64, expectedChunk);
        const int64_t c = 24, t = 150;
        // Scaled so the softmax is far from uniform (a sum-of-averages bug would show).
        const auto q = torch::randn({1, c, t}) * 2.0;
        const auto k = torch::randn({1, c, t}) * 2.0;
        const auto v = torch::randn({1, c, t});
        const double scale = std::pow(static_cast<double>(c), -0.5);
        const auto expected = referenceAttention(q, k, v, scale);
        const auto got = chunkedGlobalAttention(q, k, v, scale, budget);
        QCOMPARE(got.sizes(), expected.sizes());
        QCOMPARE(got.scalar_type(), torch::kFloat);
        QVERIFY2(maxAbsDiff(got, expected) <= 1e-5, qPrintable(QString::number(maxAbsDiff(got, expected))));
        QCOMPARE(attentionQueryChunk(1, t, budget), int64_t(expectedChunk));
    }

    void nonContiguousInputs() {
        // STAttnBlock hands over reshaped conv outputs; views with other strides must work too.
        const int64_t c = 16, t = 90;
        const auto q = torch::randn({1, t, c}).permute({0, 2, 1});
        const auto k = torch::randn({1, c, 2 * t}).slice(2, 0, 2 * t, 2);
        const auto v = torch::randn({1, c, t});
        const auto expected = referenceAttention(q, k, v, 0.25);
        const auto got = chunkedGlobalAttention(q, k, v, 0.25, 2 * t * 4 * 11);
        QVERIFY(maxAbsDiff(got, expected) <= 1e-5);
    }

    void stAttnBlockChunkedEqualsUnchunked() {
        BudgetGuard guard;
        torch::NoGradGuard noGrad;
        const int64_t channels = 32;   // GroupNorm(32 groups) needs a multiple of 32
        STAttnBlock block(channels);
        block->eval();
        // Non-trivial GroupNorm affine so the normalised input is not centred.
        block->norm->weight.uniform_(0.5, 1.5);
        block->norm->bias.uniform_(-0.5, 0.5);
        const auto x = torch::randn({3, channels, 6, 10});   // 3 frames, T = 180 tokens
        setGlobalAttentionBudget(0);
        const auto unchunked = block->forward(x);
        setGlobalAttentionBudget(2 * 180 * 4 * 13);   // 13 queries per chunk, 14 chunks
        const auto chunked = block->forward(x);
        setGlobalAttentionBudget(1);   // one query per chunk
        const auto single = block->forward(x);
        QCOMPARE(chunked.sizes(), x.sizes());
        QVERIFY2(maxAbsDiff(chunked, unchunked) <= 1e-5, qPrintable(QString::number(maxAbsDiff(chunked, unchunked))));
        QVERIFY2(maxAbsDiff(single, unchunked) <= 1e-5, qPrintable(QString::number(maxAbsDiff(single, unchunked))));
        // The block really attends: its output differs from its input.
        QVERIFY(maxAbsDiff(unchunked, x) > 1e-3);
    }

    void defaultBudgetIsChunkedAtLargeSizes() {
        // 128 MiB default: at 4K (T ≈ 31k tokens) a chunk holds 540 queries, not all 31k; small
        // sizes (the golden cases, 512²) stay one chunk.
        QCOMPARE(globalAttentionBudget(), int64_t{128} << 20);
        QCOMPARE(attentionQueryChunk(1, 31000, globalAttentionBudget()), int64_t{541});
        QCOMPARE(attentionQueryChunk(1, 768, globalAttentionBudget()), int64_t{768});
    }
};

QTEST_GUILESS_MAIN(TestAttentionChunking)
#include "test_attention_chunking.moc"
