// Resume through the real window: "Pause and free GPU memory" releases the model once and the
// resume loads it again (a plain pause does neither); a job quit mid-render three times through the
// window and once by SIGKILL of the tlbvfi-studio process comes back as Interrupted after each
// restart and finishes with the frames of an uninterrupted run (FFV1, frame hashes).
//
// The settings are the app's own (organisation "TLBVFI", application "TLBVFI Studio", native INI
// format) under a temp $XDG_CONFIG_HOME, so the app started as a separate process (VFI_STUDIO) reads
// the queue this process saved, and the other way round.
#include <QAction>
#include <QProcess>
#include <QSettings>
#include <QTest>

#include <signal.h>

#include <filesystem>

#include "support/counting_interpolator.h"
#include "support/media_gen.h"
#include "ui/app_settings.h"
#include "ui/main_window.h"
#include "ui/queue_controller.h"
#include "vfi/job_runner.h"

using namespace vfi;
using namespace vfi::ui;
namespace fs = std::filesystem;

class TestUiResume : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::TempDir> m_tmp;
    QString m_config;
    QString m_clip;
    static constexpr int kFrames = 96;   // chunks of 8: 12 chunks

    void saveDefaults(const QString& outDir) const {
        AppSettings s;
        s.blendFallback = true;
        s.chunkFrames = 8;
        s.encoder = QStringLiteral("ffv1");
        s.outputFolder = outDir;
        s.minFreeDiskGb = 0;
        s.save();
    }
    static QAction* action(MainWindow& w, const QString& text) {
        for (QAction* a : w.findChildren<QAction*>())
            if (a->text() == text) return a;
        return nullptr;
    }
    static const QueueJob& only(MainWindow& w) { return w.controller()->model()->jobs().first(); }
    static int chunksOnDisk(const QString& sessionDir) {
        auto st = inspectSession(sessionDir.toStdString());
        return st && st->exists ? st->chunksDone : 0;
    }
    static QStringList hashes(const QString& path) {
        auto h = test::frameHashes(path.toStdString());
        if (!h) return {QStringLiteral("error: ") + QString::fromStdString(h.error().message)};
        QStringList out;
        for (const auto& f : h->frames) out << QString::fromStdString(f.hash);
        return out;
    }
    static void useSlowBlend(MainWindow& w, int delayMs) {
        w.controller()->setInterpolatorFactory([delayMs](const JobSettings&) { return std::make_shared<test::CountingBlend>(delayMs); });
    }

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<test::TempDir>();
        m_config = m_tmp->path() + QStringLiteral("/config");
        QCoreApplication::setOrganizationName(QStringLiteral("TLBVFI"));
        QCoreApplication::setApplicationName(QStringLiteral("TLBVFI Studio"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config);
        QSettings().clear();
        m_clip = QString::fromStdString(m_tmp->file("clip.mp4"));
        test::GenSpec g;
        g.width = 320;
        g.height = 240;
        g.frames = kFrames;
        QVERIFY(test::generate(m_clip.toStdString(), g).ok());
    }
    void init() { QSettings().clear(); }

    void pauseAndFreeReleasesTheModel_data() {
        QTest::addColumn<bool>("freeDevice");
        QTest::newRow("pause and free GPU memory") << true;
        QTest::newRow("pause") << false;
    }
    void pauseAndFreeReleasesTheModel() {
        QFETCH(bool, freeDevice);
        saveDefaults(m_tmp->path() + (freeDevice ? QStringLiteral("/freed") : QStringLiteral("/kept")));
        MainWindow w;
        w.setNonInteractive(true);
        auto interp = std::make_shared<test::CountingBlend>(10);
        w.controller()->setInterpolatorFactory([interp](const JobSettings&) { return interp; });
        w.addFiles({m_clip});
        const qint64 id = only(w).id;
        w.interpolate();
        QTRY_VERIFY_WITH_TIMEOUT(only(w).hasProgress && only(w).progress.chunksDone >= 1, 60000);
        w.selectJob(id);
        if (freeDevice) {
            // A CPU job has no GPU memory to free, so the window does not offer the action; what the
            // action sends on a GPU job is the controller's pause with freeing, which must release the model.
            QAction* pauseFree = action(w, QStringLiteral("Pause and free &GPU memory"));
            QVERIFY(pauseFree && !pauseFree->isEnabled());
            w.controller()->pauseJob(id, true);
        } else {
            QAction* pause = action(w, QStringLiteral("&Pause"));
            QVERIFY(pause && pause->isEnabled());
            pause->trigger();
        }
        QTRY_COMPARE_WITH_TIMEOUT(only(w).state, JobState::Paused, 10000);
        QCOMPARE(interp->loads.load(), 1);
        QCOMPARE(interp->releases.load(), freeDevice ? 1 : 0);
        QCOMPARE(interp->loaded(), !freeDevice);
        QAction* resume = action(w, QStringLiteral("&Resume"));
        QVERIFY(resume && resume->isEnabled());
        resume->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(only(w).state == JobState::Succeeded || only(w).state == JobState::Failed, 120000);
        QVERIFY2(only(w).state == JobState::Succeeded, qPrintable(only(w).errorText));
        QCOMPARE(interp->loads.load(), freeDevice ? 2 : 1);
        QCOMPARE(interp->releases.load(), freeDevice ? 1 : 0);
    }

    void quitThreeTimesAndKillThenResumeIsIdentical() {
        const QString studio = qEnvironmentVariable("VFI_STUDIO");
        QVERIFY2(QFile::exists(studio), "VFI_STUDIO must point to tlbvfi-studio");
        QStringList reference;
        {   // Uninterrupted run, full speed.
            saveDefaults(m_tmp->path() + QStringLiteral("/reference"));
            MainWindow w;
            w.setNonInteractive(true);
            w.addFiles({m_clip});
            w.interpolate();
            QTRY_VERIFY_WITH_TIMEOUT(only(w).state == JobState::Succeeded || only(w).state == JobState::Failed, 120000);
            QVERIFY2(only(w).state == JobState::Succeeded, qPrintable(only(w).errorText));
            reference = hashes(only(w).outputPath());
            QCOMPARE(reference.size(), (kFrames - 1) * 2 + 1);
        }
        QSettings().clear();
        saveDefaults(m_tmp->path() + QStringLiteral("/interrupted"));
        QString output, session;
        int onDisk = 0;
        // Three quits through the window, each after at least one more chunk was recorded.
        for (int round = 0; round < 3; ++round) {
            MainWindow w;
            w.setNonInteractive(true);
            useSlowBlend(w, 10);
            if (round == 0) {
                w.addFiles({m_clip});
            } else {
                QCOMPARE(w.controller()->model()->rowCount(), 1);
                QCOMPARE(only(w).state, JobState::Interrupted);
                QCOMPARE(only(w).statusNote, QStringLiteral("%1 of 12 chunks on disk").arg(onDisk));
            }
            output = only(w).outputPath();
            session = only(w).sessionDir();
            w.show();
            w.interpolate();
            const int before = onDisk;
            QTRY_VERIFY_WITH_TIMEOUT(chunksOnDisk(session) > before, 60000);
            QVERIFY(w.close());
            QVERIFY(!QFileInfo::exists(output));
            onDisk = chunksOnDisk(session);
            qInfo("quit %d through the window: %d of 12 chunks on disk", round + 1, onDisk);
            QVERIFY2(onDisk < 12, "the job finished before it was quit");
        }
        {   // The app as its own process resumes the interrupted job and is SIGKILLed once it recorded
            // another chunk.
            QProcess app;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config);
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            app.setProcessEnvironment(env);
            app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            app.start(studio, {QStringLiteral("--start")});
            QVERIFY2(app.waitForStarted(10000), qPrintable(app.errorString()));
            const int before = onDisk;
            QElapsedTimer t;
            t.start();
            while (chunksOnDisk(session) <= before && app.state() == QProcess::Running && t.elapsed() < 60000) QTest::qWait(2);
            QVERIFY2(app.state() == QProcess::Running, "the app ended before it was killed");
            ::kill(static_cast<pid_t>(app.processId()), SIGKILL);
            QVERIFY(app.waitForFinished(10000));
            QCOMPARE(app.exitStatus(), QProcess::CrashExit);
            QVERIFY(!QFileInfo::exists(output));
            onDisk = chunksOnDisk(session);
            qInfo("SIGKILL of tlbvfi-studio after %lld ms: %d of 12 chunks on disk", static_cast<long long>(t.elapsed()), onDisk);
            QVERIFY2(onDisk > before && onDisk < 12, qPrintable(QStringLiteral("%1 chunks on disk").arg(onDisk)));
        }
        // Restart after the kill: the queue saved while it ran lists the job as Interrupted.
        QSettings().sync();
        MainWindow w;
        w.setNonInteractive(true);
        QCOMPARE(w.controller()->model()->rowCount(), 1);
        QCOMPARE(only(w).state, JobState::Interrupted);
        w.interpolate();
        QTRY_VERIFY_WITH_TIMEOUT(only(w).state == JobState::Succeeded || only(w).state == JobState::Failed, 120000);
        QVERIFY2(only(w).state == JobState::Succeeded, qPrintable(only(w).errorText));
        QCOMPARE(only(w).progress.chunksResumed, onDisk);
        QCOMPARE(hashes(output), reference);
    }
};

QTEST_MAIN(TestUiResume)
#include "test_ui_resume.moc"
