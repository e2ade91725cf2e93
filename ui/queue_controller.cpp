#include "ui/queue_controller.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>

#include <utility>

#include "ui/app_paths.h"
#include "ui/error_text.h"
#include "vfi/job_runner.h"
#include "vfi/media_info.h"

namespace vfi::ui {
namespace {
constexpr int kMaxLogLines = 5000;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
}  // namespace

QueueController::QueueController(QObject* parent) : QObject(parent) {}

QueueController::~QueueController() { shutdown(); }

QStringList QueueController::videoExtensions() {
    return {QStringLiteral("mp4"), QStringLiteral("mkv"), QStringLiteral("mov"), QStringLiteral("webm"),
            QStringLiteral("avi"), QStringLiteral("m4v"), QStringLiteral("ts"), QStringLiteral("mts"),
            QStringLiteral("m2ts"), QStringLiteral("mpg"), QStringLiteral("mpeg"), QStringLiteral("nut"),
            QStringLiteral("y4m"), QStringLiteral("wmv"), QStringLiteral("flv")};
}

namespace {

// "clip_2x (2)" -> "clip_2x": numbered names are the same output for the checks below.
QString withoutNumber(const QString& baseName) {
    static const QRegularExpression numbered(QStringLiteral("^(.*) \\(\\d+\\)$"));
    const auto m = numbered.match(baseName);
    return m.hasMatch() ? m.captured(1) : baseName;
}

// What `source` renders to under `pattern`, with any factor or target rate ("clip_2x",
// "clip_59.94fps"), as a pattern for base names (without extension and number): a file of the same
// folder that matches is an earlier output, not a source.
QRegularExpression outputNamesOf(const QString& source, const QString& pattern) {
    QString p = pattern.isEmpty() ? QStringLiteral("{name}_{factor}x.{ext}") : pattern;
    if (p.endsWith(QLatin1String(".{ext}"))) p.chop(6);
    QString rx = QRegularExpression::escape(p);
    auto placeholder = [&](const char* name, const QString& with) {
        rx.replace(QRegularExpression::escape(QString::fromLatin1(name)), with);
    };
    placeholder("{name}", QRegularExpression::escape(QFileInfo(source).completeBaseName()));
    placeholder("{factor}x", QStringLiteral("(?:[248]x|[0-9./]+fps)"));
    placeholder("{factor}", QStringLiteral("[248]"));
    placeholder("{rate}", QStringLiteral("[0-9./x]+"));
    placeholder("{ext}", QStringLiteral("[a-z0-9]+"));
    return QRegularExpression(QStringLiteral("^") + rx + QStringLiteral("$"));
}

}  // namespace

QList<qint64> QueueController::addFiles(const QStringList& paths, AddReport* report) {
    AddReport local;
    AddReport& rep = report ? *report : local;
    rep = {};
    QStringList files;
    for (const QString& p : paths) {
        const QFileInfo fi(p);
        if (!fi.isDir()) {
            files << fi.absoluteFilePath();
            continue;
        }
        QStringList found;
        QStringList filters;
        for (const QString& e : videoExtensions()) filters << QStringLiteral("*.") + e;
        QDirIterator it(fi.absoluteFilePath(), filters, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            // Chunk files of a session folder ("<output>.tlbvfi/chunk_000000.nut") are not sources.
            if (!QFileInfo(f).absolutePath().endsWith(QLatin1String(".tlbvfi"))) found << f;
        }
        found.sort();
        // A file named like the output of a source beside it, or like a row's output, is an output.
        QSet<QString> rowOutputs;
        for (const QueueJob& j : m_model.jobs())
            rowOutputs.insert(QFileInfo(j.outputPath()).absolutePath() + QLatin1Char('/') +
                              withoutNumber(QFileInfo(j.outputPath()).completeBaseName()));
        QList<std::pair<QString, QRegularExpression>> outputNames;   // folder, names of a source's outputs
        for (const QString& f : found) outputNames.append({QFileInfo(f).absolutePath(), outputNamesOf(f, m_defaults.namePattern)});
        for (const QString& f : found) {
            const QFileInfo ffi(f);
            const QString base = withoutNumber(ffi.completeBaseName());
            bool output = rowOutputs.contains(ffi.absolutePath() + QLatin1Char('/') + base);
            for (const auto& [dir, names] : outputNames) {
                if (output) break;
                output = dir == ffi.absolutePath() && names.match(base).hasMatch();
            }
            if (output) rep.earlierOutputs << f;
            else files << f;
        }
    }
    // A file that waits in a row (or twice in this call) is there already; a finished row's source may
    // be rendered again.
    QSet<QString> waiting;
    for (const QueueJob& j : m_model.jobs())
        if (!isTerminal(j.state)) waiting.insert(j.inputPath());
    QStringList unique;
    for (const QString& f : files) {
        if (waiting.contains(f)) rep.duplicates << f;
        else {
            waiting.insert(f);
            unique << f;
        }
    }
    files = unique;
    rep.duplicates.removeDuplicates();
    QList<qint64> ids;
    for (const QString& f : files) {
        QueueJob job;
        job.settings = m_defaults.jobFor(f);
        if (!job.settings.overwrite) job.settings.outputPath = freeOutputPath(job.outputPath()).toStdString();
        auto info = probeMedia(f.toStdString());
        if (info) {
            job.width = info->width;
            job.height = info->height;
            job.fpsNum = info->frameRate.num;
            job.fpsDen = info->frameRate.den;
            job.frames = info->estimatedFrames;
        } else {
            // Not a transition of the state machine: the row never became a job that could run.
            job.state = JobState::Failed;
            job.errorCode = info.error().code;
            job.errorText = errorText(info.error());
        }
        const qint64 id = m_model.append(std::move(job));
        QFile::remove(jobLogPath(id));   // a row of an earlier session may have had this id
        if (!info) appendLog(id, QString::fromStdString(info.error().message));
        ids << id;
    }
    save();
    return ids;
}

QString QueueController::freeOutputPath(const QString& wanted, qint64 exceptJob) const {
    auto taken = [&](const QString& path) {
        if (QFileInfo::exists(path) || QFileInfo::exists(QString::fromStdString(defaultSessionDir(path.toStdString()))))
            return true;
        for (const QueueJob& j : m_model.jobs())
            if (j.id != exceptJob && j.outputPath() == path) return true;
        return false;
    };
    if (!taken(wanted)) return wanted;
    const QFileInfo fi(wanted);
    const QString dir = fi.absolutePath();
    // "name (3)" taken again counts on from "name", not "name (3) (2)".
    const QString base = withoutNumber(fi.completeBaseName());
    for (int n = 2;; ++n) {
        const QString candidate = QDir(dir).filePath(QStringLiteral("%1 (%2).%3").arg(base).arg(n).arg(fi.suffix()));
        if (!taken(candidate)) return candidate;
    }
}

qint64 QueueController::runningJob() const { return m_worker ? m_worker->jobId() : 0; }

void QueueController::startQueue() {
    m_queueRunning = true;
    scheduleNext();
}

void QueueController::scheduleNext() {
    if (m_worker || m_shuttingDown || m_held) return;
    for (const QueueJob& j : m_model.jobs()) {
        if (j.state == JobState::Paused && j.resumeRequested) return startJob(j.id);
    }
    if (m_queueRunning) {
        for (const QueueJob& j : m_model.jobs()) {
            if (j.state == JobState::Queued || j.state == JobState::Interrupted) return startJob(j.id);
        }
    }
    m_queueRunning = false;
    emit queueIdle();
}

void QueueController::startJob(qint64 id) {
    QueueJob* job = m_model.job(id);
    if (!job) return;
    job->resumeRequested = false;
    job->errorCode = ErrorCode::Ok;
    job->errorText.clear();
    job->statusNote.clear();
    // The configured output folder may not exist yet (first use, removable drive remounted).
    QDir().mkpath(QFileInfo(job->outputPath()).absolutePath());
    if (!job->settings.overwrite && QFileInfo::exists(job->outputPath())) {
        // Written since the row was added. Finished chunks of this job stay where they are.
        if (job->settings.sessionDir.empty() && QFileInfo::exists(job->sessionDir()))
            job->settings.sessionDir = job->sessionDir().toStdString();
        const QString renamed = freeOutputPath(job->outputPath(), id);
        appendLog(id, tr("%1 exists; this job writes %2 instead.").arg(job->outputPath(), renamed));
        job->settings.outputPath = renamed.toStdString();
    }
    setState(*job, JobState::Running);
    appendLog(id, tr("Starting attempt %1: %2 → %3").arg(job->attempt).arg(job->inputPath(), job->outputPath()));
    auto* worker = new JobWorker(id, job->settings, this);
    connect(worker, &JobWorker::stateChanged, this, &QueueController::onStateChanged);
    connect(worker, &JobWorker::progress, this, &QueueController::onProgress);
    connect(worker, &JobWorker::logLine, this, &QueueController::onLog);
    connect(worker, &JobWorker::preview, this, &QueueController::jobPreview);
    connect(worker, &JobWorker::finished, this, &QueueController::onFinished);
    if (m_interpolatorFactory) worker->setInterpolator(m_interpolatorFactory(job->settings));
    m_worker = worker;
    worker->start();
    emit jobStarted(id);
}

void QueueController::setState(QueueJob& job, JobState state) {
    if (job.state == state) return;
    job.state = state;
    m_model.changed(job.id);
    save();
}

void QueueController::appendLog(qint64 id, const QString& line) {
    QueueJob* job = m_model.job(id);
    if (!job) return;
    job->log << line;
    // Kept on disk too, so a restart shows what happened before it (the session folder is deleted
    // after a successful join, so the log lives with the app's files).
    QFile file(jobLogPath(id));
    if (file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) file.write(line.toUtf8() + '\n');
    if (job->log.size() > kMaxLogLines) job->log.erase(job->log.begin(), job->log.begin() + (job->log.size() - kMaxLogLines));
    emit jobLog(id, line);
}

void QueueController::onStateChanged(qint64 id, vfi::JobState state) {
    QueueJob* job = m_model.job(id);
    // Terminal states and Paused are decided by the run's result (onFinished).
    if (!job || state == JobState::Succeeded || state == JobState::Failed || state == JobState::Cancelled) return;
    setState(*job, state);
}

void QueueController::onProgress(qint64 id, const vfi::Progress& p) {
    QueueJob* job = m_model.job(id);
    if (!job) return;
    job->progress = p;
    job->hasProgress = true;
    job->progressRestored = false;
    if (p.sourceFramesTotal > 0) job->frames = p.sourceFramesTotal;
    m_model.changed(id);
    emit jobProgress(id, p);
    // UI-side guard in addition to the runner's: pause before the volume fills up.
    const double threshold = job->settings.minFreeDiskGb * kGiB;
    if (p.freeDiskBytes >= 0 && threshold > 0 && double(p.freeDiskBytes) < threshold && m_worker &&
        m_worker->jobId() == id && job->state == JobState::Running) {
        const QString msg = tr("Free disk space is below %1 GiB; the job was paused.").arg(job->settings.minFreeDiskGb);
        job->statusNote = msg;
        m_worker->pause(false);
        emit lowDiskSpace(id, msg);
    }
}

void QueueController::onLog(qint64 id, int level, const QString& line) {
    static const char* const kLevels[] = {"debug", "info", "warning", "error"};
    appendLog(id, QStringLiteral("[%1] %2").arg(QLatin1String(kLevels[qBound(0, level, 3)]), line));
}

void QueueController::onFinished(qint64 id, const vfi::ui::JobOutcome& outcome) {
    if (m_worker && m_worker->jobId() == id) {
        m_worker->wait(5000);
        m_worker->deleteLater();
        m_worker = nullptr;
    }
    QueueJob* job = m_model.job(id);
    if (job) {
        // A cancel asked after a pause (the cancel question holds the job first) is still a cancel.
        const bool cancelAsked = job->pending == QueueJob::Pending::Cancel;
        job->pending = QueueJob::Pending::None;
        for (const QString& w : outcome.warnings) appendLog(id, tr("Warning: %1").arg(w));
        switch (outcome.code == ErrorCode::Paused && cancelAsked ? ErrorCode::Cancelled : outcome.code) {
        case ErrorCode::Ok:
            job->statusNote.clear();
            if (job->hasProgress) job->progress.outputFramesDone = job->progress.outputFramesTotal;
            setState(*job, JobState::Succeeded);
            appendLog(id, tr("Finished: %1 (%2 frames)").arg(outcome.outputPath).arg(outcome.outputFrames));
            break;
        case ErrorCode::Paused:
            setState(*job, m_shuttingDown ? JobState::Interrupted : JobState::Paused);
            appendLog(id, tr("Paused; the session can be resumed."));
            break;
        case ErrorCode::DiskFull: {
            // A resumable stop, not a failure: the row says "Paused – disk full (… free, … needed)",
            // the log and the status bar the whole sentence.
            const QString text = errorText(outcome.code, outcome.args, outcome.message);
            job->statusNote = diskFullNote(outcome.args);
            setState(*job, JobState::Paused);
            m_queueRunning = false;
            appendLog(id, text);
            emit lowDiskSpace(id, text);
            break;
        }
        case ErrorCode::Cancelled:
            setState(*job, JobState::Cancelled);
            if (m_discardChunks.take(id)) {
                QDir(job->sessionDir()).removeRecursively();
                appendLog(id, tr("Cancelled; the session folder was deleted."));
            } else {
                appendLog(id, tr("Cancelled; the finished chunks were kept for a later retry."));
            }
            break;
        default:
            job->errorCode = outcome.code;
            job->errorText = errorText(outcome.code, outcome.args, outcome.message);
            appendLog(id, tr("Error: %1").arg(job->errorText));
            setState(*job, JobState::Failed);
            break;
        }
        m_model.changed(id);
        save();
        emit jobFinished(id, job->state);
    }
    if (!m_shuttingDown) scheduleNext();
}

void QueueController::pauseJob(qint64 id, bool releaseDevice) {
    QueueJob* job = m_model.job(id);
    if (!job) return;
    if (m_worker && m_worker->jobId() == id) {
        job->pending = releaseDevice ? QueueJob::Pending::PauseFree : QueueJob::Pending::Pause;
        m_model.changed(id);
        m_worker->pause(releaseDevice);
    } else if (job->state == JobState::Paused && job->resumeRequested) {
        job->resumeRequested = false;
        job->statusNote.clear();   // "waiting for the running job"
        m_model.changed(id);
    }
}

void QueueController::resumeJob(qint64 id) {
    QueueJob* job = m_model.job(id);
    if (!job) return;
    if (job->state == JobState::Paused) {
        job->resumeRequested = true;
        job->statusNote = m_worker ? tr("waiting for the running job") : QString();
        m_model.changed(id);
        scheduleNext();
    } else if (job->state == JobState::Interrupted && !m_worker) {
        startJob(id);
    }
}

void QueueController::cancelJob(qint64 id, bool keepChunks) {
    QueueJob* job = m_model.job(id);
    if (!job) return;
    if (m_worker && m_worker->jobId() == id) {
        if (!keepChunks) m_discardChunks.insert(id, true);
        job->pending = QueueJob::Pending::Cancel;
        m_model.changed(id);
        m_worker->cancel();
        return;
    }
    if (job->state == JobState::Queued || job->state == JobState::Paused || job->state == JobState::Interrupted) {
        // A job that has a session (paused, interrupted, or held by the cancel question) says what
        // became of it; its log ended with "Paused; the session can be resumed." before.
        const bool hadSession = job->state != JobState::Queued || QDir(job->sessionDir()).exists();
        if (!keepChunks) QDir(job->sessionDir()).removeRecursively();
        job->statusNote.clear();
        setState(*job, JobState::Cancelled);
        if (hadSession)
            appendLog(id, keepChunks ? tr("Cancelled; the finished chunks were kept for a later retry.")
                                     : tr("Cancelled; the session folder was deleted."));
        else
            appendLog(id, tr("Cancelled before it started."));
        emit jobFinished(id, JobState::Cancelled);
    }
}

void QueueController::retryJob(qint64 id) {
    QueueJob* job = m_model.job(id);
    if (!job || !(job->state == JobState::Failed || job->state == JobState::Cancelled ||
                  job->state == JobState::Interrupted))
        return;
    if (job->width == 0) {   // the probe failed when the file was added: try again
        auto info = probeMedia(job->settings.inputPath);
        if (info) {
            job->width = info->width;
            job->height = info->height;
            job->fpsNum = info->frameRate.num;
            job->fpsDen = info->frameRate.den;
            job->frames = info->estimatedFrames;
        } else {
            job->errorText = errorText(info.error());
            m_model.changed(id);
            return;
        }
    }
    ++job->attempt;
    job->errorCode = ErrorCode::Ok;
    job->errorText.clear();
    job->statusNote.clear();
    job->hasProgress = false;
    setState(*job, JobState::Queued);
    appendLog(id, tr("Retry: attempt %1 queued.").arg(job->attempt));
    m_queueRunning = true;
    scheduleNext();
}

void QueueController::removeJob(qint64 id) {
    if (m_worker && m_worker->jobId() == id) return;   // cancel it first
    m_model.remove(id);
    QFile::remove(jobLogPath(id));
    save();
}

int QueueController::removeFinished() {
    QList<qint64> done;
    for (const QueueJob& j : m_model.jobs())
        if (j.state == JobState::Succeeded) done << j.id;
    for (qint64 id : done) {
        m_model.remove(id);
        QFile::remove(jobLogPath(id));
    }
    if (!done.isEmpty()) save();
    return int(done.size());
}

void QueueController::moveJob(qint64 id, int delta) {
    if (m_model.move(id, delta)) save();
}

bool QueueController::updateJobSettings(qint64 id, const JobSettings& settings) {
    QueueJob* job = m_model.job(id);
    if (!job || !(job->state == JobState::Queued || job->state == JobState::Failed ||
                  job->state == JobState::Cancelled))
        return false;
    job->settings = settings;
    m_model.changed(id);
    save();
    return true;
}

void QueueController::holdForQuestion() {
    m_held = true;
    if (m_worker) {
        m_heldJob = m_worker->jobId();
        pauseJob(m_heldJob, false);
    }
}

void QueueController::endHold(bool resumeHeldJob) {
    m_held = false;
    const qint64 id = std::exchange(m_heldJob, 0);
    QueueJob* job = m_model.job(id);
    if (resumeHeldJob && job && (job->state == JobState::Paused || job->pending == QueueJob::Pending::Pause)) {
        job->resumeRequested = true;
        m_model.changed(id);
    }
    scheduleNext();
}

void QueueController::pauseAll(bool releaseDevice) {
    m_queueRunning = false;
    if (m_worker) pauseJob(m_worker->jobId(), releaseDevice);
}

void QueueController::resumeAll() {
    for (const QueueJob& j : m_model.jobs())
        if (j.state == JobState::Paused) m_model.job(j.id)->resumeRequested = true;
    startQueue();
}

void QueueController::cancelAll(bool keepChunks) {
    m_queueRunning = false;
    QList<qint64> ids;
    for (const QueueJob& j : m_model.jobs()) ids << j.id;
    for (qint64 id : ids) cancelJob(id, keepChunks);
}

void QueueController::refreshSessionNote(QueueJob& job) {
    auto status = inspectSession(job.sessionDir().toStdString());
    if (status && status->exists)
        job.statusNote = tr("%1 of %2 chunks on disk").arg(status->chunksDone).arg(status->chunksTotal);
    else
        job.statusNote = tr("no session on disk yet");
}

void QueueController::save() const {
    QJsonArray arr;
    for (const QueueJob& j : m_model.jobs()) arr.append(j.toJson());
    QSettings s;
    s.setValue(QStringLiteral("queue/jobs"), QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact)));
    s.sync();
}

void QueueController::restore() {
    QSettings s;
    const QJsonArray arr = QJsonDocument::fromJson(s.value(QStringLiteral("queue/jobs")).toString().toUtf8()).array();
    m_model.clear();
    for (const QJsonValue& v : arr) {
        QueueJob job = QueueJob::fromJson(v.toObject());
        // Found unfinished at start: the session manifest says what is left; the run resumes it.
        if (isActive(job.state)) job.state = JobState::Interrupted;
        if (job.state == JobState::Interrupted) refreshSessionNote(job);
        QFile log(jobLogPath(job.id));
        if (log.open(QIODevice::ReadOnly | QIODevice::Text)) {
            job.log = QString::fromUtf8(log.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            if (job.log.size() > kMaxLogLines) job.log = job.log.mid(job.log.size() - kMaxLogLines);
        }
        m_model.append(std::move(job));
    }
}

void QueueController::shutdown(int timeoutMs) {
    if (m_shuttingDown) return;
    m_shuttingDown = true;
    if (m_worker) {
        const qint64 id = m_worker->jobId();
        m_worker->pause(false);
        if (!m_worker->wait(timeoutMs)) m_worker->cancel();
        m_worker->wait(-1);
        // The finished signal is still queued; record the state now (the run is resumable).
        if (QueueJob* job = m_model.job(id); job && isActive(job->state)) job->state = JobState::Interrupted;
        delete m_worker.data();
        m_worker = nullptr;
    }
    save();
}

}  // namespace vfi::ui
