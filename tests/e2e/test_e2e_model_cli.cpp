// `tlbvfi interpolate --backend tlbvfi` end to end with the golden tiny checkpoint (shared/golden):
//  - issue 14: a 320x180 source (sides < 256, which the reference's reflect padding cannot take)
//    renders, and a model failure reaches the user as one clean message, never LibTorch's stack trace;
//  - issue 13: --profile prints the stage table (decode, colour conversion, the model's stages,
//    encode) with shares that add up; --batch 2 renders byte-identical chunks on a rerun and after a
//    kill and resume.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "model/golden_support.h"
#include "support/cli_run.h"
#include "support/media_gen.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

QStringList tinyModelArgs() {
    const QString g = QString::fromStdString(goldenDir());
    return {"--backend", "tlbvfi", "--model", g + "/tiny.pth", "--config", g + "/tiny-config.json", "--steps", "3",
            "--threads", "2", "--min-free-gb", "0", "--scene-threshold", "0"};
}

std::map<std::string, std::string> chunkBytes(const std::string& session) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(session)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("chunk_", 0) != 0 || e.path().extension() != ".nut") continue;
        std::ifstream in(e.path(), std::ios::binary);
        out[name] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return out;
}

bool hasStackTrace(const QString& text) {
    return text.contains("Exception raised from") || text.contains("frame #") || text.contains(".so(");
}

// The table's rows of one thread: stage -> "% thread" column.
std::map<QString, double> threadShares(const QString& table, const QString& thread) {
    std::map<QString, double> out;
    for (const QString& line : table.split('\n')) {
        if (!line.startsWith(thread + " ")) continue;
        const QStringList cols = line.split(' ', Qt::SkipEmptyParts);
        if (cols.size() < 3) continue;
        const QString stage = line.mid(8, 32).trimmed();
        out[stage] = cols.last().toDouble();
    }
    return out;
}

}  // namespace

class TestE2eModelCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi");
        QVERIFY2(fs::exists(goldenDir() + "/tiny.pth"), "golden data missing");
        m_src = m_tmp.file("s180.mp4");
        auto made = runCli({"make-sample", QString::fromStdString(m_src), "--frames", "5", "--size", "320x180"});
        QVERIFY2(made.exitCode == 0, qPrintable(made.stdErr));
    }

    // Issue 14 (failed before: "Padding size should be less than the corresponding input dimension"
    // with LibTorch's stack trace, exit 7) and issue 13's profile table, in one render.
    void smallFramesRenderWithProfile() {
        const std::string out = m_tmp.file("s180_2x.mkv");
        auto r = runCli(QStringList{"interpolate", QString::fromStdString(m_src), "-o", QString::fromStdString(out),
                                    "--encoder", "ffv1", "--profile"} +
                            tinyModelArgs(),
                        900000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY(!hasStackTrace(r.stdErr));
        auto pixels = framePixels(out);
        QVERIFY(pixels.ok());
        QCOMPARE(pixels->size(), size_t{9});
        for (const auto& f : *pixels) QCOMPARE(f.size(), size_t{320 * 180 * 3 / 2});   // yuv420p 320x180

        const QString table = r.stdOut.mid(r.stdOut.indexOf("Stage profile:"));
        QVERIFY2(table.startsWith("Stage profile: 4 generated frames"), qPrintable(r.stdOut));
        const auto decode = threadShares(table, "decode"), model = threadShares(table, "model"),
                   encode = threadShares(table, "encode");
        for (const char* s : {"decode", "colour -> RGB"}) QVERIFY2(decode.count(s), s);
        for (const char* s : {"encode", "colour -> YUV"}) QVERIFY2(encode.count(s), s);
        for (const char* s : {"upload", "encoder (full res)", "UNet step 0", "UNet step 2", "codebook lookup",
                              "encoder (reduced res)", "flow: IFNet", "flow: refinement", "decoder: level 0",
                              "decoder: head", "download"})
            QVERIFY2(model.count(s), s);
        // Per thread the stages' shares add up to the thread's total (100 %, rounding of the column).
        for (const auto* rows : {&decode, &model, &encode}) {
            double sum = 0;
            for (const auto& [stage, share] : *rows)
                if (stage != "(thread total)") sum += share;
            QVERIFY2(std::abs(sum - 100.0) <= 0.1 * static_cast<double>(rows->size()), qPrintable(QString::number(sum)));
            QCOMPARE(rows->at("(thread total)"), 100.0);
        }
        QVERIFY(table.contains("model thread busy: "));
    }

    // Issue 14: whatever LibTorch throws inside the model reaches the user as one clean message.
    void modelFailureWithoutStackTrace() {
        qputenv("VFI_TEST_MODEL_FAIL", "1");
        const std::string out = m_tmp.file("fail.mp4");
        auto r = runCli(QStringList{"interpolate", QString::fromStdString(m_src), "-o", QString::fromStdString(out)} +
                        tinyModelArgs());
        qunsetenv("VFI_TEST_MODEL_FAIL");
        QCOMPARE(r.exitCode, 7);   // model error (docs/cli.md)
        QVERIFY2(r.stdErr.contains("injected model failure (VFI_TEST_MODEL_FAIL)"), qPrintable(r.stdErr));
        QVERIFY2(!hasStackTrace(r.stdErr) && !hasStackTrace(r.stdOut), qPrintable(r.stdErr));
        QVERIFY(!fs::exists(out));
    }

    // Issue 13: pairs batched two at a time (grouped by the chunk plan) render the same chunk bytes
    // every time: a rerun, and a run killed in chunk 1 and resumed.
    void batchedRenderIsDeterministic() {
        const QStringList common = QStringList{"--range", "0:", "--chunk-frames", "2", "--batch", "2", "--encoder", "ffv1",
                                               "--feature-cache", "0"} +
                                   tinyModelArgs();
        auto render = [&](const std::string& session) {
            return runCli(QStringList{"interpolate", QString::fromStdString(m_src), "--session", QString::fromStdString(session)} +
                              common,
                          900000);
        };
        const std::string s1 = m_tmp.file("batch1.session"), s2 = m_tmp.file("batch2.session"),
                          s3 = m_tmp.file("batch3.session");
        auto r1 = render(s1);
        QVERIFY2(r1.exitCode == 0, qPrintable(r1.stdErr));
        auto r2 = render(s2);
        QVERIFY2(r2.exitCode == 0, qPrintable(r2.stdErr));
        const auto first = chunkBytes(s1);
        QCOMPARE(first.size(), size_t{2});   // source frames 0-1 and 2-4 (a last chunk of one frame joins the one before)
        QVERIFY(chunkBytes(s2) == first);
        auto killed = runCliKilledAt("mid-encode", 1,
                                     QStringList{"interpolate", QString::fromStdString(m_src), "--session",
                                                 QString::fromStdString(s3)} +
                                         common);
        QVERIFY(killed.exitCode != 0);
        QVERIFY(chunkBytes(s3).size() < 2);
        auto resumed = render(s3);
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.stdErr));
        QVERIFY(resumed.stdOut.contains("chunks resumed: 1"));
        QVERIFY(chunkBytes(s3) == first);
    }

private:
    TempDir m_tmp;
    std::string m_src;
};

QTEST_GUILESS_MAIN(TestE2eModelCli)
#include "test_e2e_model_cli.moc"
