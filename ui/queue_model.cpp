#include "ui/queue_model.h"

#include <QFileInfo>

#include "ui/app_settings.h"
#include "ui/device_catalog.h"
#include "ui/error_text.h"

namespace vfi::ui {

QueueModel::QueueModel(QObject* parent) : QAbstractTableModel(parent) {}

int QueueModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_jobs.size()); }
int QueueModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColCount; }

QString QueueModel::formatDuration(double seconds) {
    if (seconds < 0) return QStringLiteral("–");
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
                       .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString QueueModel::formatRate(double fps) {
    // 3 decimals where they mean something (29.97, 23.976), none for whole rates (30 → 60).
    QString t = QString::number(fps, 'f', 3);
    while (t.endsWith(QLatin1Char('0'))) t.chop(1);
    if (t.endsWith(QLatin1Char('.'))) t.chop(1);
    return t;
}

static QString pendingText(QueueJob::Pending p) {
    switch (p) {
    case QueueJob::Pending::Pause: return QueueModel::tr("pausing…");
    case QueueJob::Pending::PauseFree: return QueueModel::tr("pausing and freeing GPU memory…");
    case QueueJob::Pending::Cancel: return QueueModel::tr("cancelling…");
    case QueueJob::Pending::None: break;
    }
    return {};
}

static double fraction(const QueueJob& j) {
    if (j.state == JobState::Succeeded) return 1.0;
    if (!j.hasProgress || j.progress.outputFramesTotal <= 0) return -1.0;
    return double(j.progress.outputFramesDone) / double(j.progress.outputFramesTotal);
}

QVariant QueueModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_jobs.size()) return {};
    const QueueJob& j = m_jobs.at(index.row());
    if (role == kJobIdRole) return j.id;
    if (role == kProgressRole) return fraction(j);
    if (role == Qt::ToolTipRole) {
        QString tip = j.inputPath() + QLatin1Char('\n') + tr("Output: %1").arg(j.outputPath()) + QLatin1Char('\n') +
                      tr("Devices: %1").arg(devicesOf(j.settings).join(QStringLiteral(", ")));
        if (!j.errorText.isEmpty()) tip += QLatin1Char('\n') + j.errorText;
        if (j.settings.backend == Backend::Blend) tip += QLatin1Char('\n') + tr("Blend preview mode (not AI interpolation)");
        return tip;
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case ColFile: return QFileInfo(j.inputPath()).fileName();
    case ColResolution: return j.width > 0 ? QStringLiteral("%1×%2").arg(j.width).arg(j.height) : QStringLiteral("–");
    case ColFps: {
        if (j.fpsNum <= 0) return QStringLiteral("–");
        const double f = j.sourceFps();
        return QStringLiteral("%1 → %2").arg(formatRate(f), formatRate(j.outputFps()));
    }
    case ColDevices: return DeviceCatalog::shortText(devicesOf(j.settings));
    case ColFrames: {
        const qint64 total = j.hasProgress && j.progress.sourceFramesTotal > 0 ? j.progress.sourceFramesTotal : j.frames;
        if (j.hasProgress && j.progress.outputFramesTotal > 0)
            return QStringLiteral("%1 / %2").arg(j.progress.outputFramesDone).arg(j.progress.outputFramesTotal);
        return total > 0 ? QString::number(total) : QStringLiteral("–");
    }
    case ColProgress: {
        const double f = fraction(j);
        return f < 0 ? QString() : QStringLiteral("%1 %").arg(f * 100.0, 0, 'f', 1);
    }
    case ColEta:
        return j.state == JobState::Running && j.hasProgress ? formatDuration(j.progress.etaSeconds) : QStringLiteral("–");
    case ColState: {
        QString text = stateText(j.state);
        if (j.attempt > 1) text += tr(" (attempt %1)").arg(j.attempt);
        if (!j.errorText.isEmpty() && j.state == JobState::Failed) text += QStringLiteral(": ") + j.errorText;
        else if (j.pending != QueueJob::Pending::None) text += QStringLiteral(" – ") + pendingText(j.pending);
        else if (!j.statusNote.isEmpty()) text += QStringLiteral(" – ") + j.statusNote;
        return text;
    }
    default: return {};
    }
}

QVariant QueueModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && section == ColFps) return tr("Frame rate: source → output");
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case ColFile: return tr("File");
    case ColResolution: return tr("Resolution");
    case ColFps: return tr("FPS");
    case ColDevices: return tr("Device");
    case ColFrames: return tr("Frames");
    case ColProgress: return tr("Progress");
    case ColEta: return tr("ETA");
    case ColState: return tr("State");
    default: return {};
    }
}

int QueueModel::rowOf(qint64 id) const {
    for (int i = 0; i < m_jobs.size(); ++i)
        if (m_jobs.at(i).id == id) return i;
    return -1;
}

QueueJob* QueueModel::job(qint64 id) {
    const int r = rowOf(id);
    return r < 0 ? nullptr : &m_jobs[r];
}

const QueueJob* QueueModel::job(qint64 id) const {
    const int r = rowOf(id);
    return r < 0 ? nullptr : &m_jobs.at(r);
}

qint64 QueueModel::idAt(int row) const { return row >= 0 && row < m_jobs.size() ? m_jobs.at(row).id : 0; }

qint64 QueueModel::append(QueueJob job) {
    if (job.id <= 0) job.id = m_nextId;
    m_nextId = std::max(m_nextId, job.id + 1);
    beginInsertRows({}, int(m_jobs.size()), int(m_jobs.size()));
    m_jobs.push_back(std::move(job));
    endInsertRows();
    return m_jobs.back().id;
}

void QueueModel::remove(qint64 id) {
    const int r = rowOf(id);
    if (r < 0) return;
    beginRemoveRows({}, r, r);
    m_jobs.removeAt(r);
    endRemoveRows();
}

bool QueueModel::move(qint64 id, int delta) {
    const int r = rowOf(id);
    const int to = r + delta;
    if (r < 0 || to < 0 || to >= m_jobs.size() || delta == 0) return false;
    // beginMoveRows wants the destination index in the pre-move numbering.
    if (!beginMoveRows({}, r, r, {}, delta > 0 ? to + 1 : to)) return false;
    m_jobs.move(r, to);
    endMoveRows();
    return true;
}

void QueueModel::changed(qint64 id) {
    const int r = rowOf(id);
    if (r >= 0) emit dataChanged(index(r, 0), index(r, ColCount - 1));
}

void QueueModel::clear() {
    beginResetModel();
    m_jobs.clear();
    endResetModel();
}

}  // namespace vfi::ui
