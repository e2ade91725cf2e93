#include "ui/meters_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>

#include "ui/queue_model.h"

namespace vfi::ui {

MetersPanel::MetersPanel(QueueModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_overall(new QProgressBar(this)), m_job(new QProgressBar(this)),
      m_frames(new QLabel(this)), m_fps(new QLabel(this)), m_eta(new QLabel(this)), m_vram(new QLabel(this)),
      m_devices(new QLabel(this)), m_form(nullptr),
      m_ram(new QLabel(this)), m_session(new QLabel(this)), m_projected(new QLabel(this)), m_free(new QLabel(this)),
      m_warning(new QLabel(this)) {
    m_overall->setRange(0, 1000);
    m_job->setRange(0, 1000);
    m_warning->setStyleSheet(QStringLiteral("color: #cf222e; font-weight: bold"));
    m_warning->setWordWrap(true);
    auto* form = new QFormLayout(this);
    m_form = form;
    form->addRow(tr("Queue"), m_overall);
    form->addRow(tr("Job"), m_job);
    form->addRow(tr("Frames"), m_frames);
    form->addRow(tr("Speed"), m_fps);
    form->addRow(tr("Time left"), m_eta);
    form->addRow(tr("GPU memory"), m_vram);
    form->addRow(tr("Devices"), m_devices);
    form->addRow(tr("Process RAM"), m_ram);
    form->addRow(tr("Session on disk"), m_session);
    form->addRow(tr("Projected size"), m_projected);
    form->addRow(tr("Free space"), m_free);
    form->addRow(m_warning);
    connect(model, &QAbstractItemModel::dataChanged, this, &MetersPanel::refresh);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &MetersPanel::refresh);
    refresh();
}

QString MetersPanel::bytes(qint64 b) {
    if (b < 0) return tr("n/a");
    const double kb = 1024.0;
    if (b < kb * kb) return tr("%1 KiB").arg(b / kb, 0, 'f', 0);
    if (b < kb * kb * kb) return tr("%1 MiB").arg(b / (kb * kb), 0, 'f', 1);
    return tr("%1 GiB").arg(b / (kb * kb * kb), 0, 'f', 2);
}

void MetersPanel::setJob(qint64 id) {
    m_jobId = id;
    refresh();
}

void MetersPanel::refresh() {
    qint64 done = 0;
    qint64 total = 0;
    for (const QueueJob& j : m_model->jobs()) {
        if (j.state == JobState::Failed || j.state == JobState::Cancelled) continue;
        const qint64 t = j.outputFramesTotal();
        total += t;
        done += j.state == JobState::Succeeded ? t : (j.hasProgress ? j.progress.outputFramesDone : 0);
    }
    m_overall->setValue(total > 0 ? int(1000.0 * double(done) / double(total)) : 0);
    m_overall->setFormat(tr("%1 of %2 frames").arg(done).arg(total));

    const QueueJob* j = m_model->job(m_jobId);
    const bool have = j && j->hasProgress;
    const bool live = have && !j->progressRestored;   // rates and memory of a run of this session
    const Progress p = have ? j->progress : Progress{};
    const double f = j && j->state == JobState::Succeeded ? 1.0
                     : (p.outputFramesTotal > 0 ? double(p.outputFramesDone) / double(p.outputFramesTotal) : 0.0);
    m_job->setValue(int(f * 1000));
    m_job->setFormat(QStringLiteral("%1 %").arg(f * 100.0, 0, 'f', 1));
    // The source count is that of finished chunks (Progress::sourceFramesDone), so it is said with
    // them: "266 / 575 output frames (96 / 288 source frames)" read as if they disagreed.
    m_frames->setText(have ? tr("%1 / %2 output frames (chunks finished: %5 / %6, with %3 / %4 source frames)")
                                 .arg(p.outputFramesDone).arg(p.outputFramesTotal).arg(p.sourceFramesDone)
                                 .arg(p.sourceFramesTotal).arg(p.chunksDone).arg(p.chunksTotal)
                           : tr("–"));
    m_fps->setText(live ? tr("%1 fps now, %2 fps average").arg(p.currentFps, 0, 'f', 2).arg(p.averageFps, 0, 'f', 2)
                        : tr("–"));
    m_eta->setText(live && j->state == JobState::Running ? QueueModel::formatDuration(p.etaSeconds) : tr("–"));
    m_vram->setText(!live || p.deviceMemTotal < 0 ? tr("n/a")
                                                  : tr("%1 of %2").arg(bytes(p.deviceMemUsed), bytes(p.deviceMemTotal)));
    QStringList perDevice;
    for (const DeviceProgress& d : p.devices) {
        const QString name = d.displayName.empty() ? QString::fromStdString(d.deviceId)
                                                   : tr("%1 (%2)").arg(QString::fromStdString(d.displayName), QString::fromStdString(d.deviceId));
        QString line = d.memTotal > 0 ? tr("%1: %2 of %3, %4 fps").arg(name, bytes(d.memUsed), bytes(d.memTotal)).arg(d.fps, 0, 'f', 2)
                                      : tr("%1: %2 fps").arg(name).arg(d.fps, 0, 'f', 2);
        if (d.failed) line += tr(" – failed");
        perDevice << line;
    }
    m_devices->setText(perDevice.join(QLatin1Char('\n')));
    m_form->setRowVisible(m_devices, live && !perDevice.isEmpty());
    m_ram->setText(live ? bytes(p.rssBytes) : tr("–"));
    m_session->setText(have ? bytes(p.sessionBytes) : tr("–"));
    m_projected->setText(have && p.projectedBytes > 0 ? bytes(p.projectedBytes) : tr("–"));
    m_free->setText(live ? bytes(p.freeDiskBytes) : tr("–"));
    const double threshold = j ? j->settings.minFreeDiskGb * 1024.0 * 1024.0 * 1024.0 : 0;
    if (have && p.freeDiskBytes >= 0 && double(p.freeDiskBytes) < threshold * 1.5)
        m_warning->setText(tr("Low disk space: the job pauses below %1 GiB free.").arg(j->settings.minFreeDiskGb));
    else if (have && p.projectedBytes > 0 && p.freeDiskBytes >= 0 && p.projectedBytes > p.freeDiskBytes)
        m_warning->setText(tr("The projected output is larger than the free space."));
    else
        m_warning->clear();
}

QString MetersPanel::text() const {
    QStringList parts;
    for (const QLabel* l : {m_frames, m_fps, m_eta, m_vram, m_devices, m_ram, m_session, m_projected, m_free, m_warning})
        parts << l->text();
    return parts.join(QLatin1Char('\n'));
}

}  // namespace vfi::ui
