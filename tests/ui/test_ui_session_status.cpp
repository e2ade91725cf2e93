// The session status dialog: a session folder dropped on the window (or opened from the File menu)
// shows the core's session report — chunks, missing ranges, locks, rate/ETA and Slurm jobs — and a
// refresh follows the session as it changes.
#include <QApplication>
#include <QScopeGuard>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utime.h>

#include <fstream>

#include "gui_test_util.h"
#include "support/media_gen.h"
#include "ui/main_window.h"
#include "ui/queue_controller.h"
#include "ui/queue_model.h"
#include "ui/session_status_dialog.h"
#include "vfi/job_runner.h"
#include "vfi/session_report.h"

using namespace vfi;
using namespace vfi::ui;

namespace {

QString cell(QTableWidget* t, int row, int col) { return t->item(row, col) ? t->item(row, col)->text() : QString(); }

}  // namespace

class TestUiSessionStatus : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TempDir> m_tmp;
    std::string m_src;

    // Renders part `part` of 3 of the clip into `session` (blend, FFV1, chunks of 2 source frames).
    bool renderPart(const std::string& session, int part) {
        JobSettings s;
        s.inputPath = m_src;
        s.sessionDir = session;
        s.backend = Backend::Blend;
        s.encode.encoder = "ffv1";
        s.chunkFrames = 2;
        s.minFreeDiskGb = 0;
        s.part = JobPart{part, 3};
        JobRunner runner;
        auto r = runner.run(s);
        if (!r) qWarning() << r.error().message.c_str();
        return r.ok();
    }

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<test::TempDir>();
        test::isolateSettings(m_tmp->path() + QStringLiteral("/settings"));
        m_src = m_tmp->file("clip.mp4");
        QVERIFY(test::generate(m_src, test::smallClip(13)).ok());   // 6 chunks: parts of 3 hold 2 each
    }

    void droppedSessionFolderShowsItsStatus() {
        const std::string session = m_tmp->file("job.mkv.tlbvfi");
        QVERIFY(renderPart(session, 0));
        QVERIFY(renderPart(session, 2));
        {
            char host[256] = {};
            ::gethostname(host, sizeof host - 1);
            std::ofstream(session + "/lock_2-3.json") << "{\"host\":\"" << host << "\",\"pid\":" << ::getpid()
                                                      << ",\"devices\":[\"cuda:0\",\"cuda:1\"],\"first\":2,\"last\":3}";
        }
        // A live lock holds its file's flock (as a render does).
        const int held = ::open((session + "/lock_2-3.json").c_str(), O_RDONLY | O_CLOEXEC);
        QVERIFY(held >= 0 && ::flock(held, LOCK_EX) == 0);
        auto release = qScopeGuard([held] { ::close(held); });
        QVERIFY(recordSlurmJob(session, "render", "901").ok());
        QVERIFY(recordSlurmJob(session, "join", "902").ok());

        MainWindow w;
        w.setNonInteractive(true);
        w.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(QString::fromStdString(session))});
        // Qt delivers a drop only to the widget that accepted the drag's enter event.
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QCOMPARE(w.controller()->model()->rowCount(), 0);   // a session is shown, not queued
        QVERIFY2(SessionStatusDialog::isSessionFolder(QString::fromStdString(session)), session.c_str());
        auto* dlg = w.findChild<SessionStatusDialog*>();
        QVERIFY(dlg);
        QVERIFY(dlg->isVisible());
        QSignalSpy refreshed(dlg, &SessionStatusDialog::refreshed);
        QVERIFY(refreshed.wait(10000));

        QCOMPARE(dlg->findChild<QProgressBar*>()->maximum(), 6);
        QCOMPARE(dlg->findChild<QProgressBar*>()->value(), 4);
        const QString summary = dlg->findChild<QLabel*>(QStringLiteral("sessionSummary"))->text();
        QVERIFY2(summary.contains(QStringLiteral("4 of 6 chunks done, 17 of 25 output frames")), qPrintable(summary));
        const QString missing = dlg->findChild<QLabel*>(QStringLiteral("sessionMissing"))->text();
        QCOMPARE(missing, QStringLiteral("chunks 2–3 (source frames 4–7)"));
        auto* locks = dlg->findChild<QTableWidget*>(QStringLiteral("sessionLocks"));
        QCOMPARE(locks->rowCount(), 1);
        QCOMPARE(cell(locks, 0, 0), QStringLiteral("2–3"));
        QCOMPARE(cell(locks, 0, 2), QString::number(::getpid()));
        QCOMPARE(cell(locks, 0, 3), QStringLiteral("cuda:0,cuda:1"));
        QCOMPARE(cell(locks, 0, 5), QStringLiteral("live"));
        auto* jobs = dlg->findChild<QTableWidget*>(QStringLiteral("sessionJobs"));
        QCOMPARE(jobs->rowCount(), 2);
        QStringList ids = {cell(jobs, 0, 0), cell(jobs, 1, 0)};
        ids.sort();
        QCOMPARE(ids, (QStringList{"901", "902"}));

        // The missing part is rendered: a refresh shows the session complete, without locks.
        std::remove((session + "/lock_2-3.json").c_str());
        QVERIFY(renderPart(session, 1));
        dlg->refresh();
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(dlg->findChild<QProgressBar*>()->value(), 6);
        QVERIFY(dlg->findChild<QLabel*>(QStringLiteral("sessionSummary"))->text().contains(QStringLiteral("Complete")));
        QCOMPARE(dlg->findChild<QLabel*>(QStringLiteral("sessionMissing"))->text(), QStringLiteral("none"));
        QCOMPARE(locks->rowCount(), 0);
    }

    void rateAndEtaFromTheRecords() {
        const std::string session = m_tmp->file("rate.tlbvfi");
        QVERIFY(renderPart(session, 0));
        QVERIFY(renderPart(session, 1));
        // Chunk records 20 s apart: 12 frames in 60 s = 0.2 frames/s; 9 frames left = 45 s.
        const time_t t0 = ::time(nullptr) - 300;
        for (int k = 0; k < 4; ++k) {
            const std::string rec = session + "/chunk_00000" + std::to_string(k) + ".json";
            struct utimbuf u {t0 + 20 * k, t0 + 20 * k};
            QVERIFY(::utime(rec.c_str(), &u) == 0);
        }
        auto report = readSessionReport(session);
        QVERIFY(report.ok());
        SessionStatusDialog dlg(QString::fromStdString(session));
        QSignalSpy refreshed(&dlg, &SessionStatusDialog::refreshed);
        QVERIFY(refreshed.wait(10000));
        const QString rate = dlg.findChild<QLabel*>(QStringLiteral("sessionRate"))->text();
        QVERIFY2(rate.contains(QStringLiteral("0.20 output frames/s")) && rate.contains(QStringLiteral("about 0:00:45 left")) &&
                     rate.contains(QStringLiteral("Nothing is rendering")),
                 qPrintable(rate));
    }

    void notASessionSaysSo() {
        SessionStatusDialog dlg(m_tmp->path());
        QSignalSpy refreshed(&dlg, &SessionStatusDialog::refreshed);
        QVERIFY(refreshed.wait(10000));
        auto* error = dlg.findChild<QLabel*>(QStringLiteral("sessionError"));
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(QStringLiteral("session.json is missing")), qPrintable(error->text()));
        QVERIFY(!SessionStatusDialog::isSessionFolder(m_tmp->path()));
    }
};

QTEST_MAIN(TestUiSessionStatus)
#include "test_ui_session_status.moc"
