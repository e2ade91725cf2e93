// The queue end to end through QueueController (the object MainWindow drives): add a generated
// clip, Interpolate with the blend backend, pause/resume, quit + restart, invalid input.
#include <QDir>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include "support/media_gen.h"
#include "support/scratch_fs.h"
#include "ui/app_paths.h"
#include "ui/error_text.h"
#include "ui/queue_controller.h"
#include "vfi/media_info.h"
#include "gui_test_util.h"

using namespace vfi;
using namespace vfi::ui;

class TestUiQueue : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::TempDir> m_tmp;
    QString m_clip;
    static constexpr int kFrames = 40;

    AppSettings defaults(const QString& outDir) const {
        AppSettings s;
        s.blendFallback = true;
        s.factor = 2;
        s.chunkFrames = 8;
        s.encoder = QStringLiteral("ffv1");   // lossless: frame hashes compare exactly
        s.outputFolder = outDir;
        s.minFreeDiskGb = 0;
        return s;
    }
    static void useSlowBlend(QueueController& c, int delayMs) {
        c.setInterpolatorFactory([delayMs](const JobSettings&) { return std::make_shared<test::SlowBlend>(delayMs); });
    }
    static const QueueJob& only(QueueController& c) { return c.model()->jobs().first(); }
    static QStringList hashes(const QString& path) {
        auto h = test::frameHashes(path.toStdString());
        if (!h) return {QStringLiteral("error: ") + QString::fromStdString(h.error().message)};
        QStringList out;
        for (const auto& f : h->frames) out << QString::fromStdString(f.hash);
        return out;
    }
    QStringList m_reference;

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<test::TempDir>();
        test::isolateSettings(m_tmp->path() + QStringLiteral("/settings"));
        m_clip = QString::fromStdString(m_tmp->file("clip.mp4"));
        QVERIFY(test::generate(m_clip.toStdString(), test::smallClip(kFrames)).ok());
    }
    void init() { QSettings().clear(); }

    void interpolateProducesOutput() {
        const QString out = m_tmp->path() + QStringLiteral("/plain");
        QueueController c;
        c.setDefaults(defaults(out));
        const QList<qint64> ids = c.addFiles({m_clip});
        QCOMPARE(ids.size(), 1);
        QCOMPARE(only(c).width, 64);
        QCOMPARE(only(c).height, 48);
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
        QVERIFY2(only(c).state == JobState::Succeeded, qPrintable(only(c).errorText));
        QVERIFY(QFileInfo::exists(only(c).outputPath()));
        m_reference = hashes(only(c).outputPath());
        QCOMPARE(m_reference.size(), (kFrames - 1) * 2 + 1);
    }

    void pauseThenResumeIsIdentical() {
        QVERIFY(!m_reference.isEmpty());
        QueueController c;
        c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/paused")));
        useSlowBlend(c, 25);
        c.addFiles({m_clip});
        const qint64 id = only(c).id;
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).hasProgress && only(c).progress.chunksDone >= 1, 60000);
        c.pauseJob(id, true);
        QTRY_COMPARE_WITH_TIMEOUT(only(c).state, JobState::Paused, 10000);
        QVERIFY(!QFileInfo::exists(only(c).outputPath()));
        c.resumeJob(id);
        QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
        QVERIFY2(only(c).state == JobState::Succeeded, qPrintable(only(c).errorText));
        QCOMPARE(hashes(only(c).outputPath()), m_reference);
    }

    // A really full disk (a small tmpfs mounted by the test and filled) pauses the row instead of
    // failing it, saying how much is free and needed; with space freed, Resume finishes the same frames.
    void fullDiskPausesTheRow() {
        QVERIFY(!m_reference.isEmpty());
        const std::string dir = m_tmp->file("fulldisk");
        test::ScratchMount mount(dir, 8 << 20);
        SKIP_WITHOUT_MOUNT(mount);
        mount.fill("filler", 96 << 10);
        QueueController c;
        c.setDefaults(defaults(QString::fromStdString(dir)));
        QSignalSpy lowDisk(&c, &QueueController::lowDiskSpace);
        c.addFiles({m_clip});
        const qint64 id = only(c).id;
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).state != JobState::Queued && only(c).state != JobState::Running, 120000);
        QCOMPARE(only(c).state, JobState::Paused);
        const QString cell = c.model()->data(c.model()->index(0, QueueModel::ColState), Qt::DisplayRole).toString();
        static const QRegularExpression note(QStringLiteral("^Paused – disk full \\(\\d+(\\.\\d)? [KMG]iB free, \\d+(\\.\\d)? [KMG]iB needed\\)$"));
        QVERIFY2(note.match(cell).hasMatch(), qPrintable(cell));
        QCOMPARE(lowDisk.count(), 1);
        QVERIFY2(lowDisk.at(0).at(1).toString().contains(QStringLiteral("The job is paused and can be resumed")), qPrintable(lowDisk.at(0).at(1).toString()));
        QVERIFY(!QFileInfo::exists(only(c).outputPath()));
        QFile::remove(QString::fromStdString(dir + "/filler"));
        c.resumeJob(id);
        QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
        QVERIFY2(only(c).state == JobState::Succeeded, qPrintable(only(c).errorText));
        QCOMPARE(hashes(only(c).outputPath()), m_reference);
    }

    // After the run stops, neither the row nor the status bar keeps "pausing…" / "cancelling…".
    void pauseAndCancelLeaveNoStaleNote() {
        QueueController c;
        c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/stale")));
        useSlowBlend(c, 25);
        c.addFiles({m_clip});
        const qint64 id = only(c).id;
        auto stateCell = [&c] { return c.model()->data(c.model()->index(0, QueueModel::ColState), Qt::DisplayRole).toString(); };
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).hasProgress && only(c).progress.chunksDone >= 1, 60000);
        c.pauseJob(id, false);
        QVERIFY2(stateCell().contains(QStringLiteral("pausing")), qPrintable(stateCell()));
        QTRY_COMPARE_WITH_TIMEOUT(only(c).state, JobState::Paused, 10000);
        QCOMPARE(stateCell(), stateText(JobState::Paused));
        c.resumeJob(id);
        QTRY_COMPARE_WITH_TIMEOUT(only(c).state, JobState::Running, 10000);
        c.cancelJob(id, true);
        QVERIFY2(stateCell().contains(QStringLiteral("cancelling")), qPrintable(stateCell()));
        QTRY_COMPARE_WITH_TIMEOUT(only(c).state, JobState::Cancelled, 10000);
        QCOMPARE(stateCell(), stateText(JobState::Cancelled));
    }

    // Cancelling a paused job (the cancel question pauses it first) is logged, after the pause line.
    void cancelOfAPausedJobIsLogged_data() {
        QTest::addColumn<bool>("keep");
        QTest::newRow("keep chunks") << true;
        QTest::newRow("delete chunks") << false;
    }
    void cancelOfAPausedJobIsLogged() {
        QFETCH(bool, keep);
        QueueController c;
        c.setDefaults(defaults(m_tmp->path() + (keep ? QStringLiteral("/cancel-keep") : QStringLiteral("/cancel-delete"))));
        useSlowBlend(c, 25);
        c.addFiles({m_clip});
        const qint64 id = only(c).id;
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).hasProgress && only(c).progress.chunksDone >= 1, 60000);
        c.pauseJob(id, false);
        QTRY_COMPARE_WITH_TIMEOUT(only(c).state, JobState::Paused, 10000);
        QVERIFY(QDir(only(c).sessionDir()).exists());
        c.cancelJob(id, keep);
        QCOMPARE(only(c).state, JobState::Cancelled);
        const QString last = only(c).log.last();
        QVERIFY2(last == (keep ? QStringLiteral("Cancelled; the finished chunks were kept for a later retry.")
                               : QStringLiteral("Cancelled; the session folder was deleted.")),
                 qPrintable(last));
        QCOMPARE(QDir(only(c).sessionDir()).exists(), keep);
        // A queued job that never ran says so.
        QueueController idle;
        idle.setDefaults(defaults(m_tmp->path() + QStringLiteral("/cancel-queued")));
        idle.addFiles({m_clip});
        idle.cancelJob(only(idle).id, keep);
        QCOMPARE(only(idle).state, JobState::Cancelled);
        QCOMPARE(only(idle).log.last(), QStringLiteral("Cancelled before it started."));
    }

    void quitDuringRenderThenRestartResumes() {
        QVERIFY(!m_reference.isEmpty());
        const AppSettings d = defaults(m_tmp->path() + QStringLiteral("/restart"));
        QString output;
        {
            QueueController first;
            first.setDefaults(d);
            useSlowBlend(first, 25);
            first.addFiles({m_clip});
            output = only(first).outputPath();
            first.startQueue();
            QTRY_VERIFY_WITH_TIMEOUT(only(first).hasProgress && only(first).progress.chunksDone >= 1, 60000);
            QElapsedTimer t;
            t.start();
            first.shutdown();   // what closing the window does
            QVERIFY2(t.elapsed() < 3000, "quit must respond within about a second");
        }
        QVERIFY(!QFileInfo::exists(output));
        QueueController second;
        second.setDefaults(d);
        second.restore();
        QCOMPARE(second.model()->rowCount(), 1);
        QCOMPARE(only(second).state, JobState::Interrupted);
        // The note counts the chunks the session has on disk (40 frames in chunks of 8: 5 chunks).
        auto onDisk = inspectSession(only(second).sessionDir().toStdString());
        QVERIFY(onDisk.ok() && onDisk->exists);
        QVERIFY(onDisk->chunksDone >= 1 && onDisk->chunksDone < 5);
        QCOMPARE(only(second).statusNote, QStringLiteral("%1 of 5 chunks on disk").arg(onDisk->chunksDone));
        QSignalSpy logs(&second, &QueueController::jobLog);
        second.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(second).state == JobState::Succeeded || only(second).state == JobState::Failed, 120000);
        QVERIFY2(only(second).state == JobState::Succeeded, qPrintable(only(second).errorText));
        QVERIFY(only(second).progress.chunksResumed >= 1);
        QCOMPARE(hashes(output), m_reference);
    }

    // The queue file keeps each job's verification depth; one saved by an older build means quick.
    void persistedJobKeepsItsVerifyDepth() {
        QueueJob full;
        full.settings.inputPath = "/in/a.mp4";
        full.settings.verify = VerifyDepth::Full;
        QVERIFY(QueueJob::fromJson(full.toJson()).settings.verify == VerifyDepth::Full);
        QCOMPARE(full.toJson().value(QStringLiteral("verify")).toString(), QStringLiteral("full"));
        QVERIFY(QueueJob::fromJson(QueueJob{}.toJson()).settings.verify == VerifyDepth::Quick);
        QJsonObject older = full.toJson();
        older.remove(QStringLiteral("verify"));
        QVERIFY(QueueJob::fromJson(older).settings.verify == VerifyDepth::Quick);
    }

    // An existing output is never a run-time failure: by default the new job writes "name_2x (2).mkv"
    // (also when the file appears between adding and running); with "replace" it overwrites it.
    void existingOutputIsRenamedOrReplaced() {
        QVERIFY(!m_reference.isEmpty());
        const QString out = m_tmp->path() + QStringLiteral("/exists");
        QVERIFY(QDir().mkpath(out));
        const QString taken = out + QStringLiteral("/clip_2x.mkv");
        auto writeJunk = [](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly) && f.write("an earlier render\n") > 0;
        };
        QVERIFY(writeJunk(taken));
        // Another source with the same name wants the same output: it gets the next free name.
        const QString other = m_tmp->path() + QStringLiteral("/elsewhere/clip.mp4");
        QVERIFY(QDir().mkpath(QFileInfo(other).path()));
        QVERIFY(QFile::exists(other) || QFile::copy(m_clip, other));
        QueueController c;
        c.setDefaults(defaults(out));
        c.addFiles({m_clip, other});
        QCOMPARE(c.model()->rowCount(), 2);
        QCOMPARE(c.model()->jobs().at(0).outputPath(), out + QStringLiteral("/clip_2x (2).mkv"));
        QCOMPARE(c.model()->jobs().at(1).outputPath(), out + QStringLiteral("/clip_2x (3).mkv"));
        // Appears after adding, before running.
        QVERIFY(writeJunk(out + QStringLiteral("/clip_2x (3).mkv")));
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(c.runningJob() == 0 && !c.queueRunning(), 120000);
        for (const QueueJob& j : c.model()->jobs()) QVERIFY2(j.state == JobState::Succeeded, qPrintable(j.errorText));
        QCOMPARE(c.model()->jobs().at(1).outputPath(), out + QStringLiteral("/clip_2x (4).mkv"));
        QCOMPARE(hashes(c.model()->jobs().at(1).outputPath()), m_reference);
        QFile kept(taken);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("an earlier render\n"));

        AppSettings replace = defaults(out);
        replace.overwriteOutput = true;
        QueueController r;
        r.setDefaults(replace);
        r.addFiles({m_clip});
        QCOMPARE(only(r).outputPath(), taken);
        r.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(r).state == JobState::Succeeded || only(r).state == JobState::Failed, 120000);
        QVERIFY2(only(r).state == JobState::Succeeded, qPrintable(only(r).errorText));
        QCOMPARE(hashes(taken), m_reference);
    }

    // Add folder takes the sources only: not an earlier output of a source beside it, not the chunk
    // files inside session folders, not a file a waiting row already has; and it says what it skipped.
    void addFolderSkipsOutputsAndDuplicates() {
        const QString dir = m_tmp->path() + QStringLiteral("/folder");
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/clip720_2x.mp4.tlbvfi")));
        QVERIFY(QFile::copy(m_clip, dir + QStringLiteral("/clip720.mp4")));
        QVERIFY(QFile::copy(m_clip, dir + QStringLiteral("/clip720_2x.mp4")));          // an earlier render
        QVERIFY(QFile::copy(m_clip, dir + QStringLiteral("/clip720_4x (2).mkv")));      // and another one
        QVERIFY(QFile::copy(m_clip, dir + QStringLiteral("/clip720_59.94fps.mp4")));    // a target-rate one
        QVERIFY(QFile::copy(m_clip, dir + QStringLiteral("/clip720_2x.mp4.tlbvfi/chunk_000000.nut")));
        QVERIFY(QFile::copy(m_clip, dir + QStringLiteral("/other.mov")));
        QueueController c;
        AppSettings d = defaults(QString());   // outputs next to the sources
        d.encoder.clear();
        c.setDefaults(d);
        QueueController::AddReport report;
        QList<qint64> ids = c.addFiles({dir}, &report);
        QStringList added;
        for (const QueueJob& j : c.model()->jobs()) added << QFileInfo(j.inputPath()).fileName();
        QCOMPARE(added, (QStringList{QStringLiteral("clip720.mp4"), QStringLiteral("other.mov")}));
        QCOMPARE(ids.size(), 2);
        QStringList outputs;
        for (const QString& f : report.earlierOutputs) outputs << QFileInfo(f).fileName();
        outputs.sort();
        QCOMPARE(outputs, (QStringList{QStringLiteral("clip720_2x.mp4"), QStringLiteral("clip720_4x (2).mkv"),
                                       QStringLiteral("clip720_59.94fps.mp4")}));
        QVERIFY(report.duplicates.isEmpty());
        // Again (the folder and one of its files): nothing new, every file named as already queued.
        ids = c.addFiles({dir, dir + QStringLiteral("/other.mov")}, &report);
        QVERIFY(ids.isEmpty());
        QCOMPARE(c.model()->rowCount(), 2);
        QCOMPARE(report.duplicates.size(), 2);
        // A finished row's source may be queued again (a new render with a free output name).
        c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/folder-out")));
        c.model()->job(c.model()->idAt(0))->state = JobState::Succeeded;
        ids = c.addFiles({dir + QStringLiteral("/clip720.mp4")}, &report);
        QCOMPARE(ids.size(), 1);
        QVERIFY(report.duplicates.isEmpty());
    }

    // "Remove finished" clears the succeeded rows and keeps everything else, also in the saved queue.
    void removeFinishedKeepsTheRest() {
        const QString copy = m_tmp->path() + QStringLiteral("/finished-copy.mp4");
        QVERIFY(QFile::exists(copy) || QFile::copy(m_clip, copy));
        QueueController c;
        c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/finished")));
        c.addFiles({m_clip});
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
        QCOMPARE(only(c).state, JobState::Succeeded);
        c.addFiles({copy});
        const qint64 waiting = c.model()->jobs().last().id;
        QCOMPARE(c.removeFinished(), 1);
        QCOMPARE(c.model()->rowCount(), 1);
        QCOMPARE(only(c).id, waiting);
        QCOMPARE(only(c).state, JobState::Queued);
        QCOMPARE(c.removeFinished(), 0);
        QueueController restored;
        restored.restore();
        QCOMPARE(restored.model()->rowCount(), 1);
        QCOMPARE(only(restored).inputPath(), copy);
    }

    // The frames cell says the same after a restart as before it ("79 / 79", not the source count).
    void framesCellSurvivesRestart() {
        const QString out = m_tmp->path() + QStringLiteral("/frames");
        QString finished, interrupted;
        {
            QueueController c;
            c.setDefaults(defaults(out));
            c.addFiles({m_clip});
            c.startQueue();
            QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
            QCOMPARE(only(c).state, JobState::Succeeded);
            finished = c.model()->data(c.model()->index(0, QueueModel::ColFrames), Qt::DisplayRole).toString();
            QCOMPARE(finished, QStringLiteral("%1 / %1").arg((kFrames - 1) * 2 + 1));
            c.save();
        }
        QueueController d;
        d.restore();
        QCOMPARE(d.model()->data(d.model()->index(0, QueueModel::ColFrames), Qt::DisplayRole).toString(), finished);
        QCOMPARE(only(d).progress.chunksDone, only(d).progress.chunksTotal);
        QVERIFY(only(d).progress.chunksTotal > 1);
    }

    // A job's log is still there after a restart; removing the row removes it.
    void logSurvivesRestart() {
        QStringList before;
        qint64 id = 0;
        {
            QueueController c;
            c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/logs")));
            c.addFiles({m_clip});
            id = only(c).id;
            c.startQueue();
            QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
            before = only(c).log;
            QVERIFY2(before.size() >= 3, qPrintable(before.join(QLatin1Char('\n'))));
            QVERIFY(before.last().startsWith(QStringLiteral("Finished: ")));
        }
        QueueController d;
        d.restore();
        QCOMPARE(only(d).id, id);
        QCOMPARE(only(d).log, before);
        QVERIFY(QFile::exists(jobLogPath(id)));
        d.removeJob(id);
        QVERIFY(!QFile::exists(jobLogPath(id)));
    }

    // A target-rate job from the queue: 30 fps to 50 fps, constant rate, every frame there.
    void targetRateJobRuns() {
        AppSettings d = defaults(m_tmp->path() + QStringLiteral("/rate"));
        d.targetFps = QStringLiteral("50");
        QueueController c;
        c.setDefaults(d);
        c.addFiles({m_clip});
        QCOMPARE(only(c).outputPath(), m_tmp->path() + QStringLiteral("/rate/clip_50fps.mkv"));
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
        QVERIFY2(only(c).state == JobState::Succeeded, qPrintable(only(c).errorText));
        auto info = probeMedia(only(c).settings.outputPath);
        QVERIFY(info.ok());
        QCOMPARE(info->frameRate.num * 1, 50 * info->frameRate.den);
        const QStringList frames = hashes(only(c).outputPath());
        // 40 frames at 30 fps last 4/3 s: about 67 frames at 50 fps.
        QVERIFY2(std::abs(frames.size() - 67) <= 1, qPrintable(QString::number(frames.size())));
        QCOMPARE(c.model()->data(c.model()->index(0, QueueModel::ColFrames), Qt::DisplayRole).toString(),
                 QStringLiteral("%1 / %1").arg(frames.size()));
        QCOMPARE(c.model()->data(c.model()->index(0, QueueModel::ColFps), Qt::DisplayRole).toString(), QStringLiteral("30 → 50"));
    }

    void invalidFileBecomesErrorRow() {
        const QString bad = QString::fromStdString(m_tmp->file("not-a-video.mp4"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is a text file, not a video\n");
        f.close();
        QueueController c;
        c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/mixed")));
        c.addFiles({bad, m_clip});
        QCOMPARE(c.model()->rowCount(), 2);
        const QueueJob& badJob = c.model()->jobs().at(0);
        QCOMPARE(badJob.state, JobState::Failed);
        QVERIFY(badJob.errorCode != ErrorCode::Ok);
        QVERIFY(!badJob.errorText.isEmpty());
        const QString stateCell = c.model()->data(c.model()->index(0, QueueModel::ColState), Qt::DisplayRole).toString();
        QVERIFY2(stateCell.contains(badJob.errorText), qPrintable(stateCell));
        // The app keeps working: the valid file still renders, the failed row stays in the list.
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(c.model()->jobs().at(1).state == JobState::Succeeded ||
                                     c.model()->jobs().at(1).state == JobState::Failed, 120000);
        QCOMPARE(c.model()->jobs().at(1).state, JobState::Succeeded);
        QCOMPARE(c.model()->jobs().at(0).state, JobState::Failed);
        // Retry of a still-invalid file keeps it failed with its error.
        c.retryJob(c.model()->jobs().at(0).id);
        QCOMPARE(c.model()->jobs().at(0).state, JobState::Failed);
        QVERIFY(!c.model()->jobs().at(0).errorText.isEmpty());
    }

    void queueIsSavedAndRestored() {
        QueueController c;
        c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/saved")));
        const QString copy = m_tmp->path() + QStringLiteral("/saved-copy.mp4");
        QVERIFY(QFile::exists(copy) || QFile::copy(m_clip, copy));
        c.addFiles({m_clip, copy});   // the same file twice would be one row
        JobSettings js = c.model()->jobs().at(1).settings;
        js.factor = 4;
        QVERIFY(c.updateJobSettings(c.model()->jobs().at(1).id, js));
        c.moveJob(c.model()->jobs().at(1).id, -1);
        c.save();
        QueueController d;
        d.restore();
        QCOMPARE(d.model()->rowCount(), 2);
        QCOMPARE(d.model()->jobs().at(0).settings.factor, 4);
        QCOMPARE(d.model()->jobs().at(1).settings.factor, 2);
        QCOMPARE(d.model()->jobs().at(0).state, JobState::Queued);
        QCOMPARE(d.model()->data(d.model()->index(0, QueueModel::ColFps), Qt::DisplayRole).toString(),
                 QStringLiteral("30 → 120"));
        QCOMPARE(QueueModel::formatRate(30000.0 / 1001.0), QStringLiteral("29.97"));
        QCOMPARE(QueueModel::formatRate(24000.0 / 1001.0), QStringLiteral("23.976"));
    }

    void progressIsThrottled() {
        QueueController c;
        c.setDefaults(defaults(m_tmp->path() + QStringLiteral("/throttle")));
        c.addFiles({m_clip});
        QSignalSpy progress(&c, &QueueController::jobProgress);
        QElapsedTimer t;
        t.start();
        c.startQueue();
        QTRY_VERIFY_WITH_TIMEOUT(only(c).state == JobState::Succeeded || only(c).state == JobState::Failed, 120000);
        // <= 10 Hz plus one per phase change (6 phases).
        QVERIFY2(progress.count() <= int(t.elapsed() / 100) + 8,
                 qPrintable(QStringLiteral("%1 signals in %2 ms").arg(progress.count()).arg(t.elapsed())));
        // The blend backend runs on the CPU: device memory stays "n/a" (-1) in every update.
        QVERIFY(progress.count() > 0);
        for (const QList<QVariant>& args : progress) {
            const auto p = args.at(1).value<vfi::Progress>();
            QCOMPARE(p.deviceMemUsed, int64_t{-1});
            QCOMPARE(p.deviceMemTotal, int64_t{-1});
        }
    }
};

QTEST_MAIN(TestUiQueue)
#include "test_ui_queue.moc"
