// What a new user meets first in `tlbvfi`: --help and --version, the message without a model, a
// refused run (no empty session folder left behind), a folder as input, make-sample's frame count,
// the progress bar on a terminal, and the message of a cancel.
#include <QRegularExpression>
#include <QtTest>

#include <signal.h>

#include <filesystem>
#include <fstream>

#include "support/cli_run.h"
#include "support/media_gen.h"
#include "vfi/job_runner.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

// The options of a help text and what each says: an entry is a "  --name VALUE" line (a short name
// may come first: "  -o, --output") and the indented lines after it.
QMap<QString, QString> optionEntries(const QString& help) {
    QMap<QString, QString> entries;
    static const QRegularExpression head(QStringLiteral("^  (-\\w, )?(--[a-z0-9-]+)( [^ ]+)?(.*)$"));
    QString current;
    for (const QString& line : help.split(QLatin1Char('\n'))) {
        const auto m = head.match(line);
        if (m.hasMatch()) {
            current = m.captured(2);
            entries[current] = m.captured(4).trimmed();
        } else if (!current.isEmpty() && line.startsWith(QString(32, QLatin1Char(' ')))) {
            entries[current] += QLatin1Char(' ') + line.trimmed();
        } else {
            current.clear();
        }
    }
    return entries;
}

std::string makeClip(const TempDir& tmp, int frames, const std::string& name = "src.mkv") {
    GenSpec g;
    g.frames = frames;
    const std::string path = tmp.file(name);
    return generate(path, g).ok() ? path : std::string();
}

}  // namespace

class TestE2eCliUsability : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi"); }

    void helpListsEveryOptionWithItsDefault() {
        for (const QString& flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
            auto r = runCli({"interpolate", flag});
            CHECK_RUN(r, 0);
            for (const char* o : {"--preset P", "--ema", "--factor 2|4|8", "--model PATH", "--verify quick|full"})
                QVERIFY2(r.stdOut.contains(QLatin1String(o)), o);
            QVERIFY(r.stdOut.contains("(default: 2)"));      // --factor
            QVERIFY(r.stdOut.contains("(default: 0.35)"));   // --scene-threshold
            QVERIFY(r.stdOut.contains("(default: 10)"));     // --steps
        }
        auto top = runCli({"--help"});
        CHECK_RUN(top, 0);
        auto interp = runCli({"interpolate", "--help"});
        const QMap<QString, QString> entries = optionEntries(interp.stdOut);
        const QStringList names = entries.keys();
        QVERIFY(names.size() >= 25);
        QFile doc(QStringLiteral(VFI_SOURCE_DIR "/docs/cli.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString cliMd = QString::fromUtf8(doc.readAll());
        for (const QString& n : names) {
            QVERIFY2(top.stdOut.contains(n), qPrintable("tlbvfi --help lacks " + n));
            if (n != "--help") QVERIFY2(cliMd.contains("`" + n), qPrintable("docs/cli.md lacks " + n));
        }
        // Every option has a meaning, not just a name, and every one that has a value its default.
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            QVERIFY2(it.value().split(QLatin1Char(' ')).size() >= 3, qPrintable(it.key() + ": " + it.value()));
            const bool noDefault = it.key() == "--output" || it.key() == "--help";
            QVERIFY2(noDefault || it.value().contains("(default: "), qPrintable(it.key() + ": " + it.value()));
        }
        for (const char* cmd : {"join", "verify", "info", "make-sample"}) {
            auto r = runCli({cmd, "--help"});
            CHECK_RUN(r, 0);
            QVERIFY(r.stdOut.startsWith(QStringLiteral("usage: tlbvfi ") + cmd));
        }
        auto dl = runCli({"model", "download", "--help"});
        CHECK_RUN(dl, 0);
        QVERIFY(dl.stdOut.contains("--url URL") && dl.stdOut.contains("huggingface.co/ucfzl/TLBVFI"));
    }

    void versionIsPrinted() {
        auto r = runCli({"--version"});
        CHECK_RUN(r, 0);
        QVERIFY2(QRegularExpression(QStringLiteral("^tlbvfi \\d+\\.\\d+\\.\\d+\\n$")).match(r.stdOut).hasMatch(), qPrintable(r.stdOut));
    }

    void withoutAModelTheMessageNamesModelAndLeavesNoSession() {
        TempDir tmp;
        const std::string src = makeClip(tmp, 6);
        QVERIFY(!src.empty());
        qputenv("XDG_DATA_HOME", tmp.path().toLocal8Bit() + "/data");   // no downloaded model there
        const std::string out = tmp.file("out.mp4");
        auto r = runCli({"interpolate", QString::fromStdString(src), "-o", QString::fromStdString(out)});
        qunsetenv("XDG_DATA_HOME");
        CHECK_RUN(r, 7);
        QVERIFY2(r.stdErr.contains("--model PATH") && r.stdErr.contains("tlbvfi model download"), qPrintable(r.stdErr));
        QVERIFY(!r.stdErr.contains("--checkpoint"));
        QVERIFY(!fs::exists(out + ".tlbvfi"));
        QVERIFY(!fs::exists(out));
    }

    // Refused after the session folder was made (the model loads when the first chunk needs it).
    void aRunRefusedBeforeRenderingLeavesNoSessionFolder() {
        TempDir tmp;
        const std::string src = makeClip(tmp, 6);
        const std::string junk = tmp.file("junk.pth");
        std::ofstream(junk) << "not a checkpoint\n";
        for (const std::string& model : {junk, tmp.file("no-such.pth")}) {
            const std::string out = tmp.file("out.mp4");
            auto r = runCli({"interpolate", QString::fromStdString(src), "-o", QString::fromStdString(out), "--model",
                             QString::fromStdString(model), "--min-free-gb", "0"});
            CHECK_RUN(r, 7);
            QVERIFY2(r.stdErr.contains(QString::fromStdString(model)), qPrintable(r.stdErr));
            QVERIFY2(!fs::exists(out + ".tlbvfi"), qPrintable(QString::fromStdString(model)));
        }
        // A session that holds chunks is kept when a later run is refused.
        const std::string session = tmp.file("kept");
        CHECK_RUN(runCli(sessionArgs(src, session, {"--chunk-frames", "2"})), 0);
        auto refused = runCli({"interpolate", QString::fromStdString(src), "--session", QString::fromStdString(session), "--range", "0:",
                               "--model", QString::fromStdString(junk)});
        QVERIFY(refused.exitCode != 0);
        QVERIFY(fs::exists(session + "/manifest.json"));
    }

    void aFolderAsInputIsNamedAsSuch() {
        TempDir tmp;
        const std::string dir = tmp.file("clips");
        fs::create_directories(dir);
        auto r = runCli(outputArgs(dir, tmp.file("out.mp4")));
        CHECK_RUN(r, 3);
        QVERIFY2(r.stdErr.contains("is a folder"), qPrintable(r.stdErr));
        QVERIFY(!r.stdErr.contains("not found"));
        QVERIFY(!fs::exists(tmp.file("out.mp4.tlbvfi")));
    }

    void makeSampleWritesFramesThatAllDecode_data() {
        QTest::addColumn<int>("frames");
        QTest::addColumn<QString>("fps");
        QTest::newRow("60 @ 25") << 60 << "25";
        QTest::newRow("60 @ 50") << 60 << "50";
        QTest::newRow("60 @ 30000/1001") << 60 << "30000/1001";
        QTest::newRow("31 @ 24") << 31 << "24";
        QTest::newRow("1 @ 25") << 1 << "25";
    }
    void makeSampleWritesFramesThatAllDecode() {
        QFETCH(int, frames);
        QFETCH(QString, fps);
        TempDir tmp;
        const std::string out = tmp.file("sample.mp4");
        auto r = runCli({"make-sample", QString::fromStdString(out), "--frames", QString::number(frames), "--fps", fps, "--size", "128x72"});
        CHECK_RUN(r, 0);
        auto h = frameHashes(out);
        QVERIFY(h.ok());
        QCOMPARE(h->frames.size(), size_t(frames));
        auto v = verifyOutput(out);
        QVERIFY(v.ok());
        QCOMPARE(v->videoFrames, int64_t(frames));
    }

    // On a terminal: one bar that ends at 100 %, no "0.0% 0/0" line left behind by the index pass.
    void progressBarLeavesNoStrayLines() {
        TempDir tmp;
        const std::string src = makeClip(tmp, 12);
        auto r = runCliOnTerminal(outputArgs(src, tmp.file("out.mkv"), {"--encoder", "ffv1", "--chunk-frames", "4", "--min-free-gb", "0"}));
        CHECK_RUN(r, 0);
        const QStringList lines = terminalLines(r.stdOut);
        QStringList bars;
        for (const QString& l : lines) {
            QVERIFY2(!l.contains(" 0/0 "), qPrintable(r.stdOut));
            if (l.contains("frames  chunk")) bars << l;
        }
        QCOMPARE(bars.size(), 1);
        QVERIFY2(bars[0].contains("100.0% 23/23 frames"), qPrintable(bars[0]));
        QVERIFY(lines.contains(QStringLiteral("tlbvfi: succeeded")));
    }

    void aCancelSaysSoOnce() {
        TempDir tmp;
        GenSpec g;
        g.frames = 240;
        g.width = 640;
        g.height = 360;
        const std::string src = tmp.file("long.mkv");
        QVERIFY(generate(src, g).ok());
        auto r = runCliSignalWhen(outputArgs(src, tmp.file("out.mkv"), {"--encoder", "ffv1", "--chunk-frames", "8", "--min-free-gb", "0"}),
                                  SIGINT, [](const QString& err) { return err.contains("progress") || err.contains("rendering"); });
        CHECK_RUN(r, 5);
        QCOMPARE(r.stdErr.count("cancel", Qt::CaseInsensitive), 1);
        QVERIFY2(r.stdErr.contains("finished chunks are kept") && r.stdErr.contains("rerun"), qPrintable(r.stdErr));
        QVERIFY(!r.stdErr.contains("error"));
    }
};

QTEST_GUILESS_MAIN(TestE2eCliUsability)
#include "test_e2e_cli_usability.moc"
