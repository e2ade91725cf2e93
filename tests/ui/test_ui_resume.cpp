// Resume through the real window: "Pause and free GPU memory" releases the model once and the
// resume loads it again (a plain pause does neither).
//
// The settings are the app's own (organisation "TLBVFI", application "TLBVFI Studio", native INI
// format) under a temp folder.
#include <QAction>
#include <QSettings>
#include <QTest>

#include "support/counting_interpolator.h"
#include "support/media_gen.h"
#include "ui/app_settings.h"
#include "ui/main_window.h"
#include "ui/queue_controller.h"
#include "vfi/job_runner.h"

using namespace vfi;
using namespace vfi::ui;

class TestUiResume : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::TempDir> m_tmp;
    QString m_config;
    QString m_clip;
    static constexpr int kFrames = 96;

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

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<test::TempDir>();
        m_config = m_tmp->path() + QStringLiteral("/config");
        QCoreApplication::setOrganizationName(QStringLiteral("TLBVFI"));
        QCoreApplication::setApplicationName(QStringLiteral("TLBVFI Studio"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config);
        QSettings().clear();
        m_clip = QString::fromStdString(m_tmp->file("clip.mp4"));
        test::GenSpec g = test::GenSpec{};
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
        QAction* pause = action(w, freeDevice ? QStringLiteral("Pause and free &GPU memory") : QStringLiteral("&Pause"));
        QVERIFY(pause && pause->isEnabled());
        pause->trigger();
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
};

QTEST_MAIN(TestUiResume)
#include "test_ui_resume.moc"
