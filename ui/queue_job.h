// One row of the queue: the job's settings, what the probe found, its state and last progress.
// Plain data owned by QueueModel; GUI thread only.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "vfi/job_settings.h"
#include "vfi/job_state.h"
#include "vfi/progress.h"
#include "vfi/result.h"

namespace vfi::ui {

struct QueueJob {
    qint64 id = 0;
    JobSettings settings;
    JobState state = JobState::Queued;
    int attempt = 1;
    // From probeMedia; width == 0 when the probe failed.
    int width = 0;
    int height = 0;
    int fpsNum = 0;
    int fpsDen = 1;
    qint64 frames = 0;                   // estimate until the runner's index pass reports N
    Progress progress;
    bool hasProgress = false;
    // The progress came from the saved queue (frames, chunks, bytes of the last run), not from a run
    // of this session: rates, memory and time left are not known.
    bool progressRestored = false;
    ErrorCode errorCode = ErrorCode::Ok;
    QString errorText;                   // translated, kept on failed rows
    QString statusNote;                  // e.g. "3 of 10 chunks on disk" for interrupted rows
    QStringList log;                     // engine + FFmpeg messages of this job (capped)
    bool resumeRequested = false;        // Paused job waiting for the runner to become free
    // A pause or cancel asked of the running job and not yet answered by the runner; shown after the
    // state ("Running – pausing…") and cleared when the run returns.
    enum class Pending { None, Pause, PauseFree, Cancel };
    Pending pending = Pending::None;

    double sourceFps() const { return fpsDen ? static_cast<double>(fpsNum) / fpsDen : 0.0; }
    double outputFps() const;            // the target rate, or the source's times the factor
    // Output frames, as the runner reports them or estimated from the source (before it has).
    qint64 outputFramesTotal() const;
    // Output frames per source frame, for mapping an output frame to the source frame it comes from.
    double outputPerSourceFrame() const;
    QString inputPath() const { return QString::fromStdString(settings.inputPath); }
    QString outputPath() const { return QString::fromStdString(settings.outputPath); }
    QString sessionDir() const;          // settings.sessionDir or the core's default

    QJsonObject toJson() const;
    static QueueJob fromJson(const QJsonObject& o);
};

}  // namespace vfi::ui
