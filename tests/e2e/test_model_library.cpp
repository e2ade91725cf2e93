// The model library (libvfi_model: the TLB-VFI model and LibTorch) is loaded on first use, not linked
// (pipeline/model_library_loader.h). Through `tlbvfi`: jobs that do not run the model work without
// it; a missing, broken or foreign library is a model error (exit 7) naming the file, and no output
// is left. VFI_MODEL_LIBRARY names the file to load (only that one when set).
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "support/cli_run.h"
#include "support/media_gen.h"

using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

// Sets VFI_MODEL_LIBRARY for the CLI runs started while it lives.
class LibraryOverride {
public:
    explicit LibraryOverride(const std::string& path) { qputenv("VFI_MODEL_LIBRARY", QByteArray::fromStdString(path)); }
    ~LibraryOverride() { qunsetenv("VFI_MODEL_LIBRARY"); }
    LibraryOverride(const LibraryOverride&) = delete;
    LibraryOverride& operator=(const LibraryOverride&) = delete;
};

}  // namespace

class TestModelLibrary : public QObject {
    Q_OBJECT
    TempDir m_tmp;
    std::string m_src;

    QStringList tlbvfiJob(const std::string& out) const {
        return {"interpolate", QString::fromStdString(m_src), "-o", QString::fromStdString(out), "--backend", "tlbvfi",
                "--model",     QString::fromStdString(m_tmp.file("weights.pth")), "--min-free-gb", "0"};
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(qEnvironmentVariable("VFI_CLI")), "VFI_CLI must point to tlbvfi");
        GenSpec g;
        g.frames = 5;
        g.frameRate = {30000, 1001};
        m_src = m_tmp.file("src.mp4");
        QVERIFY(generate(m_src, g).ok());
        std::ofstream(m_tmp.file("weights.pth")) << "not read: the library fails first";
    }

    // The blend backend, info and verify never load the library: they work where it cannot be found.
    void jobsWithoutTheModelDoNotNeedIt() {
        LibraryOverride none(m_tmp.file("no-such-dir/libvfi_model.so"));
        const std::string out = m_tmp.file("blend.mp4");
        CHECK_RUN(runCli(outputArgs(m_src, out)), 0);
        QVERIFY(fs::file_size(out) > 0);
        CHECK_RUN(runCli({"info", QString::fromStdString(m_src)}), 0);
        CHECK_RUN(runCli({"verify", QString::fromStdString(out)}), 0);
    }

    void missingLibraryIsAModelError() {
        const std::string lib = m_tmp.file("no-such-dir/libvfi_model.so");
        LibraryOverride none(lib);
        const std::string out = m_tmp.file("missing.mp4");
        const CliResult r = runCli(tlbvfiJob(out));
        CHECK_RUN(r, 7);
        QVERIFY2(r.stdErr.contains(QString::fromStdString(lib)) && r.stdErr.contains("not found"), qPrintable(r.stdErr));
        QVERIFY(!fs::exists(out));
    }

    void fileThatIsNotALibraryIsRefused() {
        const std::string lib = m_tmp.file("text.so");
        std::ofstream(lib) << "plain text";
        LibraryOverride text(lib);
        const CliResult r = runCli(tlbvfiJob(m_tmp.file("text.mp4")));
        CHECK_RUN(r, 7);
        QVERIFY2(r.stdErr.contains("cannot load the model library " + QString::fromStdString(lib)), qPrintable(r.stdErr));
        QVERIFY(!fs::exists(m_tmp.file("text.mp4")));
    }

    // A real shared library without the entry point (here the project's own libvfi_common).
    void libraryWithoutTheEntryPointIsRefused() {
        LibraryOverride other(VFI_COMMON_LIBRARY);
        const CliResult r = runCli(tlbvfiJob(m_tmp.file("other.mp4")));
        CHECK_RUN(r, 7);
        QVERIFY2(r.stdErr.contains("has no vfi_model_library_api"), qPrintable(r.stdErr));
    }

    // And the real one loads: the job gets as far as the checkpoint, which is not a checkpoint.
    void theBuiltLibraryLoads() {
        LibraryOverride built(VFI_MODEL_LIBRARY_FILE);
        const CliResult r = runCli(tlbvfiJob(m_tmp.file("real.mp4")));
        QVERIFY2(r.exitCode != 0 && !r.stdErr.contains("model library"), qPrintable(r.stdErr));
        QVERIFY2(r.stdErr.contains("weights.pth"), qPrintable(r.stdErr));
    }
};

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "test_model_library.moc"
