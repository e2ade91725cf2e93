// Pause and "pause and free the GPU" in the engine (JobRunner, blend backend wrapped in a counting
// interpolator): a pause that frees releases the model once and the resume loads it again; a plain
// pause keeps it loaded and the resume does not load it twice; either way the resumed output
// equals an uninterrupted run's, frame for frame (FFV1).
#include <QtTest>

#include <filesystem>

#include "support/counting_interpolator.h"
#include "support/media_gen.h"
#include "support/result_check.h"
#include "vfi/job_runner.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

class TestRunnerPause : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<TempDir> m_tmp;
    std::string m_src;
    std::vector<std::string> m_reference;

    JobSettings settings(const std::string& out) const {
        JobSettings s;
        s.inputPath = m_src;
        s.outputPath = out;
        s.backend = Backend::Blend;
        s.chunkFrames = 4;
        s.encode.encoder = "ffv1";
        s.minFreeDiskGb = 0;
        return s;
    }

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<TempDir>();
        GenSpec g;
        g.frames = 17;
        m_src = m_tmp->file("src.mp4");
        VERIFY_OK(generate(m_src, g));
        JobRunner runner;
        VERIFY_OK(runner.run(settings(m_tmp->file("ref.mkv"))));
        m_reference = frameHashList(m_tmp->file("ref.mkv"));
        QCOMPARE(m_reference.size(), size_t(33));
    }

    void pauseKeepsOrFreesTheModel_data() {
        QTest::addColumn<bool>("freeDevice");
        QTest::newRow("pause and free") << true;
        QTest::newRow("pause") << false;
    }
    void pauseKeepsOrFreesTheModel() {
        QFETCH(bool, freeDevice);
        const std::string out = m_tmp->file(freeDevice ? "freed.mkv" : "kept.mkv");
        auto interp = std::make_shared<CountingBlend>();
        JobRunner runner;
        runner.setInterpolator(interp);
        // Pair 9 lies in chunk 2 (4 source frames = 4 pairs per chunk): chunks 0 and 1 are done or finishing.
        interp->onCall = [&runner, freeDevice](int call) {
            if (call == 9) runner.requestPause(freeDevice);
        };
        auto paused = runner.run(settings(out));
        QVERIFY(!paused.ok());
        QCOMPARE(paused.error().code, ErrorCode::Paused);
        QVERIFY(!fs::exists(out));
        QCOMPARE(interp->loads.load(), 1);
        QCOMPARE(interp->releases.load(), freeDevice ? 1 : 0);
        QCOMPARE(interp->loaded(), !freeDevice);

        interp->onCall = nullptr;
        const int callsBefore = interp->calls.load();
        auto resumed = runner.run(settings(out));
        VERIFY_OK(resumed);
        QVERIFY(resumed->chunksResumed >= 2);
        // Loaded again only when the pause freed it; nothing releases it after a finished job.
        QCOMPARE(interp->loads.load(), freeDevice ? 2 : 1);
        QCOMPARE(interp->releases.load(), freeDevice ? 1 : 0);
        QVERIFY(interp->calls.load() - callsBefore < 16);   // only the chunks not yet finished were rendered
        QCOMPARE(frameHashList(out), m_reference);
    }
};

QTEST_GUILESS_MAIN(TestRunnerPause)
#include "test_runner_pause.moc"
