// Owns the queue (model + persistence) and runs its jobs one at a time, each on a JobWorker thread.
// The queue is saved to QSettings (group "queue") on every state change, so a crash leaves the
// last state on disk; jobs found active at start come back as Interrupted (resumable from their
// session manifest). GUI thread only.
#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

#include "ui/app_settings.h"
#include "ui/job_worker.h"
#include "ui/queue_model.h"

namespace vfi::ui {

class QueueController : public QObject {
    Q_OBJECT
public:
    explicit QueueController(QObject* parent = nullptr);
    ~QueueController() override;   // shutdown()

    QueueModel* model() { return &m_model; }
    AppSettings& defaults() { return m_defaults; }
    void setDefaults(const AppSettings& s) { m_defaults = s; }

    struct AddReport {
        QStringList duplicates;       // already in a row that has not finished
        QStringList earlierOutputs;   // found in a folder: the output of a source beside it
    };
    // Probes each file (folders are expanded to the video files inside); unreadable files become
    // Failed rows with their error. Returns the ids added.
    QList<qint64> addFiles(const QStringList& paths, AddReport* report = nullptr);
    void startQueue();                        // "Interpolate": run queued + interrupted jobs in order
    bool queueRunning() const { return m_queueRunning; }
    qint64 runningJob() const;                // 0 when idle

    void pauseJob(qint64 id, bool releaseDevice);
    void resumeJob(qint64 id);
    void cancelJob(qint64 id, bool keepChunks);
    void retryJob(qint64 id);
    void removeJob(qint64 id);
    int removeFinished();                     // removes the Succeeded rows; returns how many
    void moveJob(qint64 id, int delta);
    bool updateJobSettings(qint64 id, const JobSettings& settings);   // only while Queued

    // While the cancel question is open the running job pauses (at the next pair boundary) and no
    // other job starts, so the answer still applies to what the user saw. endHold(true): the held job
    // resumes (also when its pause is still on the way); endHold(false) after the cancel.
    void holdForQuestion();
    void endHold(bool resumeHeldJob);

    void pauseAll(bool releaseDevice);
    void resumeAll();
    void cancelAll(bool keepChunks);

    void save() const;
    void restore();
    // Pauses the running job (its session stays resumable) and waits up to timeoutMs for it. The
    // saved queue keeps the job as active, so the next start lists it as Interrupted.
    void shutdown(int timeoutMs = 5000);

    static QStringList videoExtensions();
    // `wanted`, or when it is taken (the file or its session folder exists, or another row writes
    // it) the first free "name (2).ext", "name (3).ext", ... Rows with overwrite set keep theirs.
    QString freeOutputPath(const QString& wanted, qint64 exceptJob = 0) const;

    // Tests and tools: interpolator for each run instead of the one the settings select.
    using InterpolatorFactory = std::function<std::shared_ptr<FrameInterpolator>(const JobSettings&)>;
    void setInterpolatorFactory(InterpolatorFactory f) { m_interpolatorFactory = std::move(f); }

signals:
    void jobProgress(qint64 id, const vfi::Progress& progress);
    void jobPreview(qint64 id, const QImage& source, const QImage& generated, qint64 generatedIndex);
    void jobLog(qint64 id, const QString& line);
    void jobStarted(qint64 id);
    void jobFinished(qint64 id, vfi::JobState state);
    void queueIdle();
    void lowDiskSpace(qint64 id, const QString& message);

private:
    void scheduleNext();
    void startJob(qint64 id);
    void appendLog(qint64 id, const QString& line);
    void setState(QueueJob& job, JobState state);
    void onStateChanged(qint64 id, vfi::JobState state);
    void onProgress(qint64 id, const vfi::Progress& p);
    void onLog(qint64 id, int level, const QString& line);
    void onFinished(qint64 id, const vfi::ui::JobOutcome& outcome);
    void refreshSessionNote(QueueJob& job);

    QueueModel m_model;
    AppSettings m_defaults;
    QPointer<JobWorker> m_worker;
    QHash<qint64, bool> m_discardChunks;      // cancel without keeping chunks
    bool m_queueRunning = false;
    bool m_held = false;                      // holdForQuestion .. endHold
    qint64 m_heldJob = 0;
    bool m_shuttingDown = false;
    InterpolatorFactory m_interpolatorFactory;
};

}  // namespace vfi::ui
