#include "ui/queue_job.h"

#include <QJsonArray>

#include <cmath>

#include "vfi/job_runner.h"

namespace vfi::ui {
namespace {
QString s(const std::string& v) { return QString::fromStdString(v); }
std::string s(const QJsonValue& v) { return v.toString().toStdString(); }
}  // namespace

QString QueueJob::sessionDir() const {
    if (!settings.sessionDir.empty()) return s(settings.sessionDir);
    return s(defaultSessionDir(settings.outputPath));
}

double QueueJob::outputFps() const {
    return settings.targetFps ? settings.targetFps->toDouble() : sourceFps() * settings.factor;
}

double QueueJob::outputPerSourceFrame() const {
    return settings.targetFps && sourceFps() > 0 ? settings.targetFps->toDouble() / sourceFps() : double(settings.factor);
}

qint64 QueueJob::outputFramesTotal() const {
    if (hasProgress && progress.outputFramesTotal > 0) return progress.outputFramesTotal;
    if (frames <= 0) return 0;
    // Factor jobs: (N-1)·factor + 1. Target-rate jobs: the source's duration at the new rate.
    if (settings.targetFps && sourceFps() > 0) return qint64(std::llround(double(frames) * outputPerSourceFrame()));
    return (frames - 1) * settings.factor + 1;
}

QJsonObject QueueJob::toJson() const {
    const JobSettings& j = settings;
    QJsonObject o;
    o[QStringLiteral("id")] = id;
    o[QStringLiteral("input")] = s(j.inputPath);
    o[QStringLiteral("output")] = s(j.outputPath);
    o[QStringLiteral("session")] = s(j.sessionDir);
    o[QStringLiteral("factor")] = j.factor;
    if (j.targetFps) o[QStringLiteral("targetFps")] = QStringLiteral("%1/%2").arg(j.targetFps->num).arg(j.targetFps->den);
    o[QStringLiteral("backend")] = QString::fromLatin1(backendName(j.backend));
    o[QStringLiteral("checkpoint")] = s(j.model.checkpointPath);
    o[QStringLiteral("device")] = s(j.model.device);
    QJsonArray devices;
    for (const std::string& d : j.devices) devices.append(s(d));
    o[QStringLiteral("devices")] = devices;
    o[QStringLiteral("precision")] = s(j.model.precision);
    o[QStringLiteral("steps")] = j.model.steps;
    o[QStringLiteral("flowScale")] = j.model.flowScale;
    o[QStringLiteral("memoryBudgetMb")] = static_cast<double>(j.model.memoryBudgetMb);
    o[QStringLiteral("encoder")] = s(j.encode.encoder);
    o[QStringLiteral("quality")] = j.encode.quality;
    o[QStringLiteral("preset")] = s(j.encode.preset);
    o[QStringLiteral("pixFmt")] = s(j.encode.pixFmt);
    o[QStringLiteral("chunkFrames")] = j.chunkFrames;
    o[QStringLiteral("sceneThreshold")] = j.sceneThreshold;
    o[QStringLiteral("seed")] = QString::number(j.seed);
    o[QStringLiteral("keepChunks")] = j.keepChunks;
    o[QStringLiteral("overwrite")] = j.overwrite;
    o[QStringLiteral("minFreeDiskGb")] = j.minFreeDiskGb;
    o[QStringLiteral("verify")] = QString::fromLatin1(verifyDepthName(j.verify));
    o[QStringLiteral("state")] = QString::fromLatin1(jobStateName(state));
    o[QStringLiteral("attempt")] = attempt;
    o[QStringLiteral("width")] = width;
    o[QStringLiteral("height")] = height;
    o[QStringLiteral("fpsNum")] = fpsNum;
    o[QStringLiteral("fpsDen")] = fpsDen;
    o[QStringLiteral("frames")] = frames;
    o[QStringLiteral("errorCode")] = static_cast<int>(errorCode);
    o[QStringLiteral("errorText")] = errorText;
    if (hasProgress) {
        const Progress& p = progress;
        QJsonObject po;
        po[QStringLiteral("sourceFramesTotal")] = qint64(p.sourceFramesTotal);
        po[QStringLiteral("sourceFramesDone")] = qint64(p.sourceFramesDone);
        po[QStringLiteral("outputFramesTotal")] = qint64(p.outputFramesTotal);
        po[QStringLiteral("outputFramesDone")] = qint64(p.outputFramesDone);
        po[QStringLiteral("chunksTotal")] = p.chunksTotal;
        po[QStringLiteral("chunksDone")] = p.chunksDone;
        po[QStringLiteral("sessionBytes")] = qint64(p.sessionBytes);
        po[QStringLiteral("projectedBytes")] = qint64(p.projectedBytes);
        o[QStringLiteral("progress")] = po;
    }
    return o;
}

QueueJob QueueJob::fromJson(const QJsonObject& o) {
    QueueJob q;
    JobSettings& j = q.settings;
    q.id = o.value(QStringLiteral("id")).toInteger();
    j.inputPath = s(o.value(QStringLiteral("input")));
    j.outputPath = s(o.value(QStringLiteral("output")));
    j.sessionDir = s(o.value(QStringLiteral("session")));
    j.factor = o.value(QStringLiteral("factor")).toInt(2);
    j.targetFps = parseFrameRate(s(o.value(QStringLiteral("targetFps"))));
    j.backend = parseBackend(s(o.value(QStringLiteral("backend")))).value_or(Backend::Tlbvfi);
    j.model.checkpointPath = s(o.value(QStringLiteral("checkpoint")));
    j.model.device = s(o.value(QStringLiteral("device")));
    for (const QJsonValue& d : o.value(QStringLiteral("devices")).toArray()) j.devices.push_back(s(d));
    j.model.precision = s(o.value(QStringLiteral("precision")));
    j.model.steps = o.value(QStringLiteral("steps")).toInt(10);
    j.model.flowScale = o.value(QStringLiteral("flowScale")).toDouble(0.5);
    j.model.memoryBudgetMb = static_cast<int64_t>(o.value(QStringLiteral("memoryBudgetMb")).toDouble(0));
    j.encode.encoder = s(o.value(QStringLiteral("encoder")));
    j.encode.quality = o.value(QStringLiteral("quality")).toInt(-1);
    j.encode.preset = s(o.value(QStringLiteral("preset")));
    j.encode.pixFmt = s(o.value(QStringLiteral("pixFmt")));
    j.chunkFrames = o.value(QStringLiteral("chunkFrames")).toInt(0);
    j.sceneThreshold = o.value(QStringLiteral("sceneThreshold")).toDouble(0.35);
    j.seed = o.value(QStringLiteral("seed")).toString().toULongLong();
    j.keepChunks = o.value(QStringLiteral("keepChunks")).toBool();
    j.overwrite = o.value(QStringLiteral("overwrite")).toBool();
    j.minFreeDiskGb = o.value(QStringLiteral("minFreeDiskGb")).toDouble(2.0);
    j.verify = parseVerifyDepth(s(o.value(QStringLiteral("verify")))).value_or(VerifyDepth::Quick);
    q.state = parseJobState(s(o.value(QStringLiteral("state")))).value_or(JobState::Queued);
    q.attempt = o.value(QStringLiteral("attempt")).toInt(1);
    q.width = o.value(QStringLiteral("width")).toInt();
    q.height = o.value(QStringLiteral("height")).toInt();
    q.fpsNum = o.value(QStringLiteral("fpsNum")).toInt();
    q.fpsDen = o.value(QStringLiteral("fpsDen")).toInt(1);
    q.frames = o.value(QStringLiteral("frames")).toInteger();
    q.errorCode = static_cast<ErrorCode>(o.value(QStringLiteral("errorCode")).toInt());
    q.errorText = o.value(QStringLiteral("errorText")).toString();
    if (o.contains(QStringLiteral("progress"))) {
        const QJsonObject po = o.value(QStringLiteral("progress")).toObject();
        Progress& p = q.progress;
        p.phase = q.state == JobState::Succeeded ? JobPhase::Done : JobPhase::Rendering;
        p.sourceFramesTotal = po.value(QStringLiteral("sourceFramesTotal")).toInteger();
        p.sourceFramesDone = po.value(QStringLiteral("sourceFramesDone")).toInteger();
        p.outputFramesTotal = po.value(QStringLiteral("outputFramesTotal")).toInteger();
        p.outputFramesDone = po.value(QStringLiteral("outputFramesDone")).toInteger();
        p.chunksTotal = po.value(QStringLiteral("chunksTotal")).toInt();
        p.chunksDone = po.value(QStringLiteral("chunksDone")).toInt();
        p.sessionBytes = po.value(QStringLiteral("sessionBytes")).toInteger();
        p.projectedBytes = po.value(QStringLiteral("projectedBytes")).toInteger();
        p.rssBytes = -1;
        q.hasProgress = true;
        q.progressRestored = true;
    }
    return q;
}

}  // namespace vfi::ui
