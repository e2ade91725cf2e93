// Runs one job's synchronous JobRunner::run on its own QThread and turns the runner's observer
// callbacks into queued signals carrying typed values (delivered on the GUI thread).
//
// Ownership: QueueController owns the worker; the worker owns its QThread and JobRunner. The run
// never throws across the thread boundary (anything thrown is turned into an Internal error).
// pause()/cancel() are thread-safe and return at once; `finished` follows within about a second.
#pragma once

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <memory>

#include "vfi/job_runner.h"

Q_DECLARE_METATYPE(vfi::Progress)
Q_DECLARE_METATYPE(vfi::JobState)

namespace vfi::ui {

struct JobOutcome {
    ErrorCode code = ErrorCode::Ok;   // Ok: succeeded
    QStringList args;
    QString message;                  // the core's English message (logs)
    QString outputPath;
    qint64 outputFrames = 0;
    QStringList warnings;
};

QImage toQImage(const PreviewImage& image);

class JobWorker : public QObject {
    Q_OBJECT
public:
    JobWorker(qint64 jobId, JobSettings settings, QObject* parent = nullptr);
    ~JobWorker() override;   // waits for the thread (request pause/cancel first)

    qint64 jobId() const { return m_jobId; }
    // Replaces the interpolator the runner would create from the settings (tests, tools).
    void setInterpolator(std::shared_ptr<FrameInterpolator> interpolator) { m_runner.setInterpolator(std::move(interpolator)); }
    void start();
    void pause(bool releaseDevice);
    void cancel();
    bool isRunning() const;
    bool wait(int ms);        // waits for the run to return; true when it did

signals:
    void stateChanged(qint64 jobId, vfi::JobState state);
    void progress(qint64 jobId, const vfi::Progress& progress);
    void logLine(qint64 jobId, int level, const QString& line);
    void preview(qint64 jobId, const QImage& source, const QImage& generated, qint64 generatedIndex);
    void finished(qint64 jobId, const vfi::ui::JobOutcome& outcome);

private:
    class Bridge;
    void runOnThread();

    qint64 m_jobId;
    JobSettings m_settings;
    JobRunner m_runner;
    std::unique_ptr<Bridge> m_bridge;
    QThread* m_thread = nullptr;
};

}  // namespace vfi::ui

Q_DECLARE_METATYPE(vfi::ui::JobOutcome)
