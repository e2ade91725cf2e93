// MainWindow-level behaviour: settings persist across restarts, files arrive by drag and drop,
// the UI keeps responding while a job renders, the preview scrubs exact frames, meters fill in.
#include <QApplication>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QAbstractButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QScopeGuard>
#include <QScrollBar>
#include <QTabBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include "support/media_gen.h"
#include "ui/error_text.h"
#include "ui/first_run_dialog.h"
#include "ui/job_settings_dialog.h"
#include "ui/log_panel.h"
#include "ui/main_window.h"
#include "ui/meters_panel.h"
#include "ui/model_download_dialog.h"
#include "ui/player_panel.h"
#include "ui/preview_panel.h"
#include "ui/preview_view.h"
#include "ui/queue_controller.h"
#include "ui/settings_dialog.h"
#include "ui/translations.h"
#include "gui_test_util.h"

using namespace vfi;
using namespace vfi::ui;

class TestUiWindow : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::TempDir> m_tmp;
    QString m_clip;

    void blendDefaults(const QString& out) {
        AppSettings s;
        s.blendFallback = true;
        s.chunkFrames = 6;
        s.encoder = QStringLiteral("ffv1");
        s.outputFolder = out;
        s.minFreeDiskGb = 0;
        s.save();
    }

    static QAction* actionWithText(QWidget* w, const char* text) {
        const QString t = MainWindow::tr(text);
        for (QAction* a : w->findChildren<QAction*>())
            if (a->text() == t) return a;
        return nullptr;
    }
    // Calls `inside` once the next modal message box is open (from its own event loop), then clicks
    // the button whose text is `click` (closes the box when there is none, so a test never hangs).
    static void answerNextBox(const std::function<void(QMessageBox*)>& inside, const QString& click) {
        auto* poll = new QTimer;
        poll->setInterval(20);
        QObject::connect(poll, &QTimer::timeout, poll, [poll, inside, click] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            poll->stop();
            poll->deleteLater();
            inside(box);
            for (QAbstractButton* b : box->buttons())
                if (b->text() == click) return b->click();
            box->reject();
        });
        poll->start();
    }
    static QStringList buttonTexts(QMessageBox* box) {
        QStringList out;
        for (QAbstractButton* b : box->buttons()) out << b->text();
        return out;
    }
    // Data rows "en" and "ko" of a test that runs in both languages.
    static void languageRows() {
        QTest::addColumn<QString>("lang");
        QTest::newRow("en") << QStringLiteral("en");
        QTest::newRow("ko") << QStringLiteral("ko");
    }
    static qint64 waitForRunning(MainWindow& w) {
        QElapsedTimer t;
        t.start();
        while (w.controller()->runningJob() == 0 && t.elapsed() < 10000) QTest::qWait(20);
        return w.controller()->runningJob();
    }

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<test::TempDir>();
        test::isolateSettings(m_tmp->path() + QStringLiteral("/settings"));
        m_clip = QString::fromStdString(m_tmp->file("clip.mp4"));
        QVERIFY(test::generate(m_clip.toStdString(), test::smallClip(30)).ok());
    }
    void init() { QSettings().clear(); }

    void settingsPersistAcrossRestarts() {
        AppSettings s;
        s.checkpointPath = QStringLiteral("/models/vimeo_unet.pth");
        s.devices = QStringList{QStringLiteral("cuda:1")};
        s.precision = QStringLiteral("fp16");
        s.steps = 25;
        s.flowScale = 0.25;
        s.factor = 8;
        s.encoder = QStringLiteral("libx265");
        s.quality = 20;
        s.pixFmt = QStringLiteral("yuv420p10le");
        s.outputFolder = QStringLiteral("/videos/out");
        s.namePattern = QStringLiteral("{name}-smooth.{ext}");
        s.chunkFrames = 48;
        s.sceneThreshold = 0.5;
        s.minFreeDiskGb = 7.5;
        s.language = QStringLiteral("ko");
        s.verify = VerifyDepth::Full;
        s.overwriteOutput = true;
        s.save();
        // A new window (= restart) reads the same defaults and the settings dialog shows them.
        MainWindow w;
        const AppSettings& r = w.controller()->defaults();
        QCOMPARE(r.checkpointPath, s.checkpointPath);
        QCOMPARE(r.devices, s.devices);
        QCOMPARE(r.precision, s.precision);
        QCOMPARE(r.steps, 25);
        QCOMPARE(r.flowScale, 0.25);
        QCOMPARE(r.factor, 8);
        QCOMPARE(r.encoder, s.encoder);
        QCOMPARE(r.quality, 20);
        QCOMPARE(r.pixFmt, s.pixFmt);
        QCOMPARE(r.outputFolder, s.outputFolder);
        QCOMPARE(r.namePattern, s.namePattern);
        QCOMPARE(r.chunkFrames, 48);
        QCOMPARE(r.sceneThreshold, 0.5);
        QCOMPARE(r.minFreeDiskGb, 7.5);
        QCOMPARE(r.language, QStringLiteral("ko"));
        QVERIFY(r.verify == VerifyDepth::Full);
        QVERIFY(r.overwriteOutput);
        SettingsDialog dlg(r, 25.0);
        const AppSettings round = dlg.settings();
        QCOMPARE(round.factor, 8);
        QCOMPARE(round.encoder, s.encoder);
        QCOMPARE(round.pixFmt, s.pixFmt);
        QCOMPARE(round.language, s.language);
        QVERIFY(round.verify == VerifyDepth::Full);
        QVERIFY(round.overwriteOutput);
        QCOMPARE(r.outputPathFor(QStringLiteral("/in/clip.mov")), QStringLiteral("/videos/out/clip-smooth.mov"));
        const JobSettings js = r.jobFor(QStringLiteral("/in/clip.mp4"));
        QCOMPARE(js.factor, 8);
        QCOMPARE(js.model.steps, 25);
        QCOMPARE(js.encode.encoder, std::string("libx265"));
        QVERIFY(js.verify == VerifyDepth::Full);
        QVERIFY(js.overwrite);
    }

    void checkpointIsValidatedWhenChosen() {
        const QString txt = QString::fromStdString(m_tmp->file("fake.pth"));
        QFile f(txt);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a zip");
        f.close();
        QVERIFY(!validateCheckpoint(txt).isEmpty());
        QVERIFY(!validateCheckpoint(QStringLiteral("/does/not/exist.pth")).isEmpty());
        const QString zip = QString::fromStdString(m_tmp->file("ok.pth"));
        QFile z(zip);
        QVERIFY(z.open(QIODevice::WriteOnly));
        z.write("PK\x03\x04rest");
        z.close();
        QVERIFY(validateCheckpoint(zip).isEmpty());
        FirstRunDialog dlg;
        QVERIFY(!dlg.chooseCheckpoint(txt));
        QCOMPARE(dlg.choice(), FirstRunDialog::Choice::None);
        QVERIFY(dlg.chooseCheckpoint(zip));
        QCOMPARE(dlg.choice(), FirstRunDialog::Choice::Checkpoint);
        SettingsDialog sd(AppSettings{}, 30);
        QVERIFY(!sd.setCheckpoint(txt));
        QVERIFY(!sd.checkpointError().isEmpty());
        QVERIFY(sd.setCheckpoint(zip));
    }

    // Every wrapped label of a dialog gets the height its text needs, and no two of the dialog's
    // widgets overlap (a long checkpoint error used to cover the text or checkbox below it).
    static void checkLayoutFits(QWidget* dialog) {
        QList<QWidget*> items;
        for (QWidget* w : dialog->findChildren<QWidget*>()) {
            if (!w->isVisible() || w->isWindow()) continue;
            const bool top = w->parentWidget() == dialog || qobject_cast<QDialogButtonBox*>(w->parentWidget());
            if (top && !qobject_cast<QDialogButtonBox*>(w)) items << w;
            if (auto* l = qobject_cast<QLabel*>(w); l && l->wordWrap() && !l->text().isEmpty())
                QVERIFY2(l->height() >= l->heightForWidth(l->width()),
                         qPrintable(QStringLiteral("label cut (%1 < %2 px): %3").arg(l->height()).arg(l->heightForWidth(l->width())).arg(l->text())));
        }
        for (int i = 0; i < items.size(); ++i)
            for (int k = i + 1; k < items.size(); ++k) {
                const QRect a(items[i]->mapTo(dialog, QPoint(0, 0)), items[i]->size());
                const QRect b(items[k]->mapTo(dialog, QPoint(0, 0)), items[k]->size());
                QVERIFY2(!a.intersects(b), qPrintable(QStringLiteral("%1 overlaps %2").arg(
                    QLatin1String(items[i]->metaObject()->className()), QLatin1String(items[k]->metaObject()->className()))));
            }
    }

    void checkpointErrorFitsItsDialog_data() {
        languageRows();
    }
    void checkpointErrorFitsItsDialog() {
        QFETCH(QString, lang);
        QCOMPARE(installTranslations(lang), lang);
        const auto english = qScopeGuard([] { installTranslations(QStringLiteral("en")); });
        const QString bad = m_tmp->path() + QStringLiteral("/a/rather/long/folder/name/for/models/vimeo_unet_downloaded_yesterday.pth");
        QVERIFY(QDir().mkpath(QFileInfo(bad).path()));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a zip");
        f.close();
        {
            SettingsDialog sd(AppSettings{}, 30);
            sd.show();
            QVERIFY(QTest::qWaitForWindowExposed(&sd));
            QVERIFY(!sd.setCheckpoint(bad));
            QTest::qWait(100);
            checkLayoutFits(&sd);
        }
        {
            FirstRunDialog fr;
            fr.show();
            QVERIFY(QTest::qWaitForWindowExposed(&fr));
            QVERIFY(!fr.chooseCheckpoint(bad));
            QTest::qWait(100);
            checkLayoutFits(&fr);
        }
    }

    // The download window's lines (bytes, a retry with the server's reason, the folder) stay uncut
    // and apart in both languages; so do the new rows of the first-run dialog and Settings.
    void downloadWindowFitsItsText_data() {
        languageRows();
    }
    void downloadWindowFitsItsText() {
        QFETCH(QString, lang);
        QCOMPARE(installTranslations(lang), lang);
        const auto english = qScopeGuard([] { installTranslations(QStringLiteral("en")); });
        ModelDownloadOptions o;
        o.targetDir = (m_tmp->path() + QStringLiteral("/a/rather/long/folder/name/for/the/downloaded/models")).toStdString();
        ModelDownloadDialog dl(o, QString());
        dl.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dl));
        DownloadProgress p;
        p.phase = DownloadPhase::Downloading;
        p.bytesTotal = 3865470566;
        p.bytesDone = 1234567890;
        p.resumedFrom = 1000000000;
        p.bytesPerSecond = 12.5 * 1024 * 1024;
        p.etaSeconds = 4000;
        dl.showProgress(p);
        QTest::qWait(50);
        checkLayoutFits(&dl);
        QVERIFY2(dl.statusText().contains(QStringLiteral("12.5 MiB/s")), qPrintable(dl.statusText()));
        p.phase = DownloadPhase::Retrying;
        p.message = "the connection ended at 1234567890 of 3865470566 bytes (Recv failure: Connection reset by peer)";
        p.retryInSeconds = 8;
        p.attempt = 3;
        p.maxAttempts = 5;
        dl.showProgress(p);
        QTest::qWait(50);
        checkLayoutFits(&dl);
        QVERIFY2(dl.statusText().contains(QStringLiteral("The connection ended at 1234567890")), qPrintable(dl.statusText()));
        FirstRunDialog fr;
        fr.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fr));
        checkLayoutFits(&fr);
    }

    void dropAddsFilesAndFolders() {
        blendDefaults(m_tmp->path() + QStringLiteral("/drop"));
        MainWindow w;
        w.setNonInteractive(true);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(m_clip), QUrl::fromLocalFile(m_tmp->path())});
        w.show();
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        // The clip itself (the same clip found in the folder is not added twice, and says so).
        QVERIFY(w.controller()->model()->rowCount() >= 1);
        QCOMPARE(w.controller()->model()->jobs().at(0).inputPath(), m_clip);
        for (const QueueJob& j : w.controller()->model()->jobs().mid(1)) QVERIFY(j.inputPath() != m_clip);
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("1 already in the queue")),
                 qPrintable(w.statusBar()->currentMessage()));
    }

    // After Interpolate the toolbar, meters and preview show the job that runs, not the finished job
    // that happened to be selected; a row the user picks during the render stays picked.
    void controlsFollowTheRunningJob() {
        blendDefaults(m_tmp->path() + QStringLiteral("/follow"));
        const QString second = m_tmp->path() + QStringLiteral("/second/clip2.mp4");
        QVERIFY(QDir().mkpath(QFileInfo(second).path()));
        QVERIFY(QFile::copy(m_clip, second));
        MainWindow w;
        w.setNonInteractive(true);
        w.controller()->setInterpolatorFactory([](const JobSettings&) { return std::make_shared<test::SlowBlend>(20); });
        w.show();
        w.addFiles({m_clip});
        const qint64 first = w.controller()->model()->jobs().first().id;
        w.interpolate();
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningJob() == 0 && !w.controller()->queueRunning(), 120000);
        QCOMPARE(w.controller()->model()->job(first)->state, JobState::Succeeded);
        QCOMPARE(w.selectedJob(), first);
        w.addFiles({second});
        const qint64 next = w.controller()->model()->jobs().last().id;
        w.interpolate();
        QCOMPARE(waitForRunning(w), next);
        QCOMPARE(w.selectedJob(), next);
        QAction* pause = actionWithText(&w, "&Pause");
        QAction* cancel = actionWithText(&w, "&Cancel job…");
        QVERIFY(pause && cancel);
        QVERIFY(pause->isEnabled());
        QVERIFY(cancel->isEnabled());
        QCOMPARE(w.metersPanel()->jobId(), next);
        QCOMPARE(w.previewPanel()->jobId(), next);
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->model()->job(next)->hasProgress, 20000);
        QVERIFY2(!w.metersPanel()->text().startsWith(QStringLiteral("–")), qPrintable(w.metersPanel()->text()));
        // The user looks at the finished job: the selection and meters stay there.
        w.queueView()->selectRow(0);
        QApplication::processEvents();
        QTest::qWait(300);
        QCOMPARE(w.selectedJob(), first);
        QCOMPARE(w.metersPanel()->jobId(), first);
        QVERIFY(!pause->isEnabled());
        w.controller()->cancelJob(next, true);
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningJob() == 0, 20000);
    }

    // A restarted window with an interrupted job: Interpolate shows the resumed render in the meters.
    void restartedRenderIsShown() {
        blendDefaults(m_tmp->path() + QStringLiteral("/restarted"));
        {
            QueueController c;
            c.setDefaults(AppSettings::load());
            c.setInterpolatorFactory([](const JobSettings&) { return std::make_shared<test::SlowBlend>(25); });
            c.addFiles({m_clip});
            c.startQueue();
            QTRY_VERIFY_WITH_TIMEOUT(c.model()->jobs().first().hasProgress && c.model()->jobs().first().progress.chunksDone >= 1, 60000);
            c.shutdown();
        }
        MainWindow w;
        w.setNonInteractive(true);
        w.controller()->setInterpolatorFactory([](const JobSettings&) { return std::make_shared<test::SlowBlend>(25); });
        w.show();
        QCOMPARE(w.controller()->model()->jobs().first().state, JobState::Interrupted);
        w.interpolate();
        const qint64 id = waitForRunning(w);
        QCOMPARE(w.selectedJob(), id);
        QCOMPARE(w.metersPanel()->jobId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->model()->job(id)->hasProgress, 20000);
        QVERIFY2(!w.metersPanel()->text().startsWith(QStringLiteral("–")), qPrintable(w.metersPanel()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningJob() == 0, 120000);
    }

    // The cancel question names its choices, and the render waits for the answer: "Keep rendering"
    // resumes it, "Cancel and delete chunks" cancels it and removes the session.
    void cancelQuestionHoldsTheRender() {
        blendDefaults(m_tmp->path() + QStringLiteral("/cancelq"));
        MainWindow w;
        w.controller()->setInterpolatorFactory([](const JobSettings&) { return std::make_shared<test::SlowBlend>(30); });
        w.show();
        w.addFiles({m_clip});
        w.interpolate();
        const qint64 id = waitForRunning(w);
        QVERIFY(id != 0);
        QueueController* c = w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c->model()->job(id)->hasProgress && c->model()->job(id)->progress.chunksDone >= 1, 60000);
        QAction* cancel = actionWithText(&w, "&Cancel job…");
        QVERIFY(cancel && cancel->isEnabled());

        QStringList buttons;
        qint64 framesWhenPaused = -1, framesLater = -2;
        JobState stateInside = JobState::Running;
        answerNextBox([&](QMessageBox*box) {
            buttons = buttonTexts(box);
            QElapsedTimer t;
            t.start();
            while (c->model()->job(id)->state != JobState::Paused && t.elapsed() < 10000) QTest::qWait(20);
            stateInside = c->model()->job(id)->state;
            framesWhenPaused = c->model()->job(id)->progress.outputFramesDone;
            QTest::qWait(400);
            framesLater = c->model()->job(id)->progress.outputFramesDone;
        }, MainWindow::tr("Keep rendering"));
        cancel->trigger();
        QVERIFY2(buttons.contains(MainWindow::tr("Keep rendering")), qPrintable(buttons.join(QLatin1Char('|'))));
        QVERIFY2(buttons.contains(MainWindow::tr("Cancel and keep chunks")), qPrintable(buttons.join(QLatin1Char('|'))));
        QVERIFY2(buttons.contains(MainWindow::tr("Cancel and delete chunks")), qPrintable(buttons.join(QLatin1Char('|'))));
        for (const QString& vague : {QStringLiteral("&Yes"), QStringLiteral("&No"), QStringLiteral("Yes"), QStringLiteral("No")})
            QVERIFY(!buttons.contains(vague));
        QCOMPARE(stateInside, JobState::Paused);
        QCOMPARE(framesLater, framesWhenPaused);
        // "Keep rendering": the same job continues.
        QTRY_COMPARE_WITH_TIMEOUT(c->model()->job(id)->state, JobState::Running, 10000);
        QCOMPARE(c->runningJob(), id);

        const QString session = c->model()->job(id)->sessionDir();
        QVERIFY(QFileInfo::exists(session));
        answerNextBox([](QMessageBox*) {}, MainWindow::tr("Cancel and delete chunks"));
        cancel->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(c->model()->job(id)->state, JobState::Cancelled, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(session), 5000);
        QVERIFY(!QFileInfo::exists(c->model()->job(id)->outputPath()));
    }

    // Play output brings the Playback tab to the front (it is tabbed behind the before/after view).
    void playOutputShowsThePlaybackTab() {
        blendDefaults(m_tmp->path() + QStringLiteral("/play"));
        MainWindow w;
        w.setNonInteractive(true);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.addFiles({m_clip});
        w.interpolate();
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningJob() == 0 && !w.controller()->queueRunning(), 120000);
        QCOMPARE(w.controller()->model()->jobs().first().state, JobState::Succeeded);
        // The docks' tab bar says which of the two is in front.
        auto front = [&w] {
            for (QTabBar* bar : w.findChildren<QTabBar*>())
                for (int i = 0; i < bar->count(); ++i)
                    if (bar->tabText(i) == MainWindow::tr("Playback")) return bar->tabText(bar->currentIndex());
            return QString();
        };
        QCOMPARE(front(), MainWindow::tr("Before / after"));
        QAction* play = actionWithText(&w, "P&lay output");
        QVERIFY(play && play->isEnabled());
        play->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(front(), MainWindow::tr("Playback"), 5000);
        w.playerPanel()->pause();
        // A double-click on the finished row plays it too.
        auto* before = w.findChild<QDockWidget*>(QStringLiteral("previewDock"));
        QVERIFY(before);
        before->raise();
        QTRY_COMPARE(front(), MainWindow::tr("Before / after"));
        QTableView* table = w.queueView();
        emit table->doubleClicked(table->model()->index(0, QueueModel::ColFile));   // what the view emits on a double-click
        QTRY_COMPARE_WITH_TIMEOUT(front(), MainWindow::tr("Playback"), 5000);
        w.playerPanel()->pause();
    }

    // A double-click on a job that has not run opens its settings (it did nothing).
    void doubleClickOpensJobSettings() {
        blendDefaults(m_tmp->path() + QStringLiteral("/dclick"));
        MainWindow w;
        w.setNonInteractive(true);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.addFiles({m_clip});
        QTableView* table = w.queueView();
        bool opened = false;
        QTimer::singleShot(300, this, [&opened] {
            auto* dlg = qobject_cast<JobSettingsDialog*>(QApplication::activeModalWidget());
            opened = dlg != nullptr;
            if (dlg) dlg->reject();
        });
        emit table->doubleClicked(table->model()->index(0, QueueModel::ColFile));   // what the view emits on a double-click
        QTRY_VERIFY_WITH_TIMEOUT(opened, 5000);
    }

    // Size, dock layout and the preview mode come back after a restart.
    void windowLayoutIsRemembered() {
        blendDefaults(m_tmp->path() + QStringLiteral("/layout"));
        {
            MainWindow w;
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(1010, 710);
            QTRY_COMPARE(w.size(), QSize(1010, 710));
            w.previewPanel()->setMode(PreviewView::Mode::SideBySide);
            auto* log = w.findChild<QDockWidget*>(QStringLiteral("logDock"));
            QVERIFY(log);
            log->hide();
            w.close();
        }
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.size(), QSize(1010, 710));
        QVERIFY(w.previewPanel()->mode() == PreviewView::Mode::SideBySide);
        QVERIFY(w.previewPanel()->view()->mode() == PreviewView::Mode::SideBySide);
        auto* log = w.findChild<QDockWidget*>(QStringLiteral("logDock"));
        QVERIFY(log && !log->isVisible());
        QVERIFY(w.findChild<QDockWidget*>(QStringLiteral("metersDock"))->isVisible());
    }

    // Long names that differ at the end stay distinguishable in the queue: the cells as drawn differ.
    void longFileNamesStayDistinct() {
        blendDefaults(m_tmp->path() + QStringLiteral("/names"));
        const QString dir = m_tmp->path() + QStringLiteral("/long-names");
        QVERIFY(QDir().mkpath(dir));
        QStringList files;
        for (int take = 1; take <= 3; ++take) {
            files << dir + QStringLiteral("/holiday_video_from_the_beach_camera_A_second_day_take_%1.mp4").arg(take, 2, 10, QLatin1Char('0'));
            QVERIFY(QFile::copy(m_clip, files.last()));
        }
        MainWindow w;
        w.setNonInteractive(true);
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.addFiles(files);
        QTableView* table = w.queueView();
        table->clearSelection();
        QTest::qWait(50);
        const QImage shot = table->viewport()->grab().toImage();
        QList<QImage> cells;
        for (int row = 0; row < 3; ++row) {
            const QRect r = table->visualRect(w.controller()->model()->index(row, QueueModel::ColFile));
            QVERIFY(r.isValid());
            // The name does not fit: otherwise the check proves nothing.
            QVERIFY(table->fontMetrics().horizontalAdvance(QFileInfo(files[row]).fileName()) > r.width());
            cells << shot.copy(r);
        }
        // Rows alternate colours: compare each row's cell with the others' as black-and-white text masks.
        auto mask = [](const QImage& img) {
            QImage m = img.convertToFormat(QImage::Format_Grayscale8);
            for (int y = 0; y < m.height(); ++y) {
                uchar* line = m.scanLine(y);
                for (int x = 0; x < m.width(); ++x) line[x] = line[x] < 128 ? 0 : 255;
            }
            return m;
        };
        QVERIFY(mask(cells[0]) != mask(cells[1]));
        QVERIFY(mask(cells[1]) != mask(cells[2]));
        QVERIFY(mask(cells[0]) != mask(cells[2]));
    }

    // Column headers and values are not cut (the FPS header was), in English and Korean.
    void queueColumnsFitTheirText_data() {
        languageRows();
    }
    void queueColumnsFitTheirText() {
        QFETCH(QString, lang);
        QCOMPARE(installTranslations(lang), lang);
        const auto english = qScopeGuard([] { installTranslations(QStringLiteral("en")); });
        blendDefaults(m_tmp->path() + QStringLiteral("/columns"));
        MainWindow w;
        w.setNonInteractive(true);
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.addFiles({m_clip});
        QTest::qWait(50);
        QTableView* table = w.queueView();
        QHeaderView* header = table->horizontalHeader();
        const int margin = 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
        for (int c : {QueueModel::ColResolution, QueueModel::ColFps, QueueModel::ColFrames, QueueModel::ColProgress, QueueModel::ColEta}) {
            const QString title = table->model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
            const int need = header->fontMetrics().horizontalAdvance(title) + margin;
            QVERIFY2(header->sectionSize(c) >= need, qPrintable(QStringLiteral("%1: %2 < %3 px").arg(title).arg(header->sectionSize(c)).arg(need)));
            const QString value = table->model()->index(0, c).data().toString();
            QVERIFY2(header->sectionSize(c) >= table->fontMetrics().horizontalAdvance(value),
                     qPrintable(QStringLiteral("%1: %2 (%3 px)").arg(title, value).arg(header->sectionSize(c))));
        }
    }

    // A restored queue opens on a job, an unfinished one first (nothing was selected: empty log,
    // preview and meters, greyed toolbar).
    void restoredQueueOpensOnAJob() {
        blendDefaults(m_tmp->path() + QStringLiteral("/restored"));
        const QString second = m_tmp->path() + QStringLiteral("/restored-second.mp4");
        QVERIFY(QFile::exists(second) || QFile::copy(m_clip, second));
        qint64 queued = 0;
        {
            MainWindow w;
            w.setNonInteractive(true);
            w.addFiles({m_clip, second});
            QCOMPARE(w.controller()->model()->rowCount(), 2);
            // The first row finished earlier (as after a render); the second is still queued.
            w.controller()->model()->job(w.controller()->model()->idAt(0))->state = JobState::Succeeded;
            queued = w.controller()->model()->idAt(1);
            w.close();
        }
        MainWindow w;
        QCOMPARE(w.controller()->model()->rowCount(), 2);
        QCOMPARE(w.selectedJob(), queued);
        QCOMPARE(w.metersPanel()->jobId(), queued);
        QVERIFY(w.logPanel()->placeholderText() != QCoreApplication::translate("vfi::ui::LogPanel", "Select a job to see its log."));
    }

    // The status bar says what new jobs will use; a first start without a model said "TLB-VFI model".
    void modeSaysWhetherAModelIsSet() {
        {
            MainWindow w;
            QCOMPARE(w.modeText(), QStringLiteral("No model chosen yet (Interpolate asks)"));
        }
        blendDefaults(m_tmp->path() + QStringLiteral("/mode"));
        {
            MainWindow w;
            QCOMPARE(w.modeText(), QStringLiteral("Blend preview mode (not AI)"));
        }
        const QString zip = QString::fromStdString(m_tmp->file("mode.pth"));
        QFile z(zip);
        QVERIFY(z.open(QIODevice::WriteOnly));
        z.write("PK\x03\x04rest");
        z.close();
        AppSettings s;
        s.checkpointPath = zip;
        s.save();
        MainWindow w;
        QCOMPARE(w.modeText(), QStringLiteral("TLB-VFI model"));
    }

    // At the first start's size the state is readable without a sideways scroll bar: the file name
    // gives way (down to 140 px) instead (it kept 240 px; "Succeeded (attempt 2)" was cut on two
    // lines behind a scroll bar). An empty log of a selected job does not say "Select a job".
    void firstStartShowsTheStateUncut_data() {
        languageRows();
    }
    void firstStartShowsTheStateUncut() {
        QFETCH(QString, lang);
        QCOMPARE(installTranslations(lang), lang);
        const auto english = qScopeGuard([] { installTranslations(QStringLiteral("en")); });
        blendDefaults(m_tmp->path() + QStringLiteral("/state-column"));
        MainWindow w;
        w.setNonInteractive(true);
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.addFiles({m_clip});
        QTest::qWait(50);
        QTableView* table = w.queueView();
        QHeaderView* header = table->horizontalHeader();
        QCOMPARE(table->horizontalScrollBar()->maximum(), 0);
        QVERIFY(header->sectionSize(QueueModel::ColFile) >= 140);
        const int state = header->sectionSize(QueueModel::ColState);
        for (JobState st : {JobState::Interrupted, JobState::Succeeded})
            QVERIFY2(state >= table->fontMetrics().horizontalAdvance(stateText(st)),
                     qPrintable(QStringLiteral("%1: %2 px").arg(stateText(st)).arg(state)));
        QVERIFY(!table->wordWrap());
        QVERIFY(w.selectedJob() != 0);
        QVERIFY(w.logPanel()->toPlainText().isEmpty());
        QVERIFY2(w.logPanel()->placeholderText() != QCoreApplication::translate("vfi::ui::LogPanel", "Select a job to see its log."),
                 qPrintable(w.logPanel()->placeholderText()));
    }

    // When the render ends the preview shows the frame its position label names, not the last live one.
    void finishedPreviewShowsTheFrameItNames() {
        blendDefaults(m_tmp->path() + QStringLiteral("/preview-end"));
        MainWindow w;
        w.setNonInteractive(true);
        w.controller()->setInterpolatorFactory([](const JobSettings&) { return std::make_shared<test::SlowBlend>(20); });
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        PreviewPanel* p = w.previewPanel();
        w.addFiles({m_clip});
        QSignalSpy shown(p, &PreviewPanel::frameShown);
        bool sawLive = false;
        connect(w.controller(), &QueueController::jobPreview, this, [&] { sawLive = true; });
        w.interpolate();
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningJob() == 0 && !w.controller()->queueRunning(), 120000);
        QVERIFY(sawLive);
        QCOMPARE(w.controller()->model()->jobs().first().state, JobState::Succeeded);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().at(0).toLongLong() == p->currentFrame(), 20000);
        QCOMPARE(p->outputFrames(), qint64(59));
        QCOMPARE(p->positionText(), QStringLiteral("%1 / 59").arg(p->currentFrame()));
        // Output frame 0 is source frame 0: before and after are the same picture.
        QCOMPARE(p->currentFrame(), qint64(0));
        QCOMPARE(p->view()->after().convertToFormat(QImage::Format_RGB888), p->view()->before().convertToFormat(QImage::Format_RGB888));
    }

    void uiStaysResponsiveWhileRendering() {
        blendDefaults(m_tmp->path() + QStringLiteral("/responsive"));
        MainWindow w;
        w.setNonInteractive(true);
        w.controller()->setInterpolatorFactory([](const JobSettings&) { return std::make_shared<test::SlowBlend>(30); });
        w.show();
        w.addFiles({m_clip});
        w.interpolate();
        QVERIFY(w.controller()->runningJob() != 0);
        // Interact while it renders: select rows, switch preview modes, repaint; the event loop must
        // never stall for long.
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0;
        qint64 worstGap = 0;
        int interactions = 0;
        while (clock.elapsed() < 1500 && w.controller()->runningJob() != 0) {
            QApplication::processEvents(QEventLoop::AllEvents, 20);
            w.queueView()->selectRow(0);
            w.previewPanel()->view()->setMode(interactions % 2 ? PreviewView::Mode::Split : PreviewView::Mode::SideBySide);
            w.repaint();
            ++interactions;
            const qint64 now = clock.elapsed();
            worstGap = std::max(worstGap, now - last);
            last = now;
        }
        QVERIFY(interactions > 20);
        QVERIFY2(worstGap < 300, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(worstGap)));
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningJob() == 0, 120000);
        const QueueJob& j = w.controller()->model()->jobs().first();
        QVERIFY2(j.state == JobState::Succeeded, qPrintable(j.errorText));
        // Meters show the finished job's numbers; the CPU run has no VRAM figure.
        w.selectJob(j.id);
        const QString meters = w.metersPanel()->text();
        QVERIFY2(meters.contains(QStringLiteral("59 / 59")), qPrintable(meters));
        QVERIFY2(meters.contains(QStringLiteral("n/a")), qPrintable(meters));

        // Scrubbing shows exact frames of the output: output frame 2k is source frame k.
        PreviewPanel* p = w.previewPanel();
        p->refreshSegments();
        QTRY_COMPARE_WITH_TIMEOUT(p->outputFrames(), qint64(59), 20000);
        QSignalSpy shown(p, &PreviewPanel::frameShown);
        p->stepFrames(10);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().at(0).toLongLong() == 10, 20000);
        QCOMPARE(p->view()->after().size(), QSize(64, 48));
        QCOMPARE(p->view()->before().size(), QSize(64, 48));
    }
};

QTEST_MAIN(TestUiWindow)
#include "test_ui_window.moc"
