#include "ui/session_status_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace vfi::ui {

namespace {

QString durationText(double seconds) {
    const qint64 s = qRound64(seconds);
    return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QTableWidget* makeTable(const QStringList& headers, const QString& name, QWidget* parent) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

void setRow(QTableWidget* t, int row, const QStringList& cells) {
    for (int c = 0; c < cells.size(); ++c) t->setItem(row, c, new QTableWidgetItem(cells[c]));
}

}  // namespace

bool SessionStatusDialog::isSessionFolder(const QString& path) {
    const QFileInfo dir(path);
    return dir.isDir() && QFileInfo::exists(dir.filePath() + QStringLiteral("/session.json"));
}

SessionStatusDialog::SessionStatusDialog(const QString& sessionDir, QWidget* parent) : QDialog(parent), m_dir(sessionDir) {
    setObjectName(QStringLiteral("sessionStatusDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Session %1").arg(QFileInfo(sessionDir).fileName()));
    auto* layout = new QVBoxLayout(this);
    auto* path = new QLabel(QDir::toNativeSeparators(sessionDir), this);
    path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(path);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("sessionError"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    m_bar = new QProgressBar(this);
    layout->addWidget(m_bar);
    auto* form = new QFormLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("sessionSummary"));
    m_missing = new QLabel(this);
    m_missing->setObjectName(QStringLiteral("sessionMissing"));
    m_missing->setWordWrap(true);
    m_rate = new QLabel(this);
    m_rate->setObjectName(QStringLiteral("sessionRate"));
    m_rate->setWordWrap(true);
    form->addRow(tr("Chunks"), m_summary);
    form->addRow(tr("Missing"), m_missing);
    form->addRow(tr("Rate"), m_rate);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Range locks (renders working on this session)"), this));
    m_locks = makeTable({tr("Chunks"), tr("Host"), tr("Process"), tr("Devices"), tr("Heartbeat"), tr("State")}, QStringLiteral("sessionLocks"), this);
    layout->addWidget(m_locks);
    layout->addWidget(new QLabel(tr("Slurm jobs"), this));
    m_jobs = makeTable({tr("Job"), tr("Kind"), tr("State")}, QStringLiteral("sessionJobs"), this);
    layout->addWidget(m_jobs);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* refreshButton = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    connect(refreshButton, &QPushButton::clicked, this, &SessionStatusDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(640, 480);

    m_timer = new QTimer(this);
    m_timer->setInterval(5000);
    connect(m_timer, &QTimer::timeout, this, &SessionStatusDialog::refresh);
    m_timer->start();
    refresh();
}

SessionStatusDialog::~SessionStatusDialog() = default;

void SessionStatusDialog::refresh() {
    if (m_busy) return;
    m_busy = true;
    const std::string dir = m_dir.toStdString();
    QPointer<SessionStatusDialog> self(this);
    // The worker owns copies only; its result reaches the dialog, if it still exists, as a queued call.
    QThread* worker = QThread::create([dir, self] {
        auto report = std::make_shared<Result<SessionReport>>(readSessionReport(dir));
        if (report->ok()) querySlurmStates(report->value().slurmJobs);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, report] {
            if (!self) return;
            self->m_busy = false;
            if (report->ok()) self->showReport(report->value());
            else self->showError(QString::fromStdString(report->error().message));
            emit self->refreshed();
        }, Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void SessionStatusDialog::showError(const QString& message) {
    m_error->setText(tr("This folder cannot be read as a session: %1").arg(message));
    m_error->show();
}

void SessionStatusDialog::showReport(const SessionReport& r) {
    m_error->hide();
    m_bar->setRange(0, std::max(1, r.chunksTotal));
    m_bar->setValue(r.chunksDone);
    QString summary = tr("%1 of %2 chunks done, %3 of %4 output frames")
                          .arg(r.chunksDone)
                          .arg(r.chunksTotal)
                          .arg(r.outputFramesDone)
                          .arg(r.outputFramesTotal);
    if (r.complete()) summary += QLatin1Char('\n') + tr("Complete: every chunk is rendered and the session can be joined.");
    m_summary->setText(summary);

    QStringList missing;
    for (const auto& m : r.missing)
        missing << tr("chunks %1–%2 (source frames %3–%4)").arg(m.firstChunk).arg(m.lastChunk).arg(m.sourceBegin).arg(m.sourceEnd - 1);
    m_missing->setText(missing.isEmpty() ? tr("none") : missing.join(QStringLiteral("; ")));

    QString rate;
    if (r.outputFramesPerSecond > 0) {
        rate = tr("%1 output frames/s").arg(r.outputFramesPerSecond, 0, 'f', r.outputFramesPerSecond >= 10 ? 1 : 2);
        if (r.etaSeconds >= 0) rate += QStringLiteral(", ") + tr("about %1 left").arg(durationText(r.etaSeconds));
    } else if (!r.complete()) {
        rate = tr("not known yet (fewer than two chunks finished within an hour)");
    }
    if (!r.complete() && r.liveLocks() == 0) rate += (rate.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Nothing is rendering this session now.");
    m_rate->setText(rate);

    m_locks->setRowCount(static_cast<int>(r.locks.size()));
    for (int i = 0; i < static_cast<int>(r.locks.size()); ++i) {
        const SessionLockInfo& l = r.locks[static_cast<size_t>(i)];
        setRow(m_locks, i,
               {QStringLiteral("%1–%2").arg(l.firstChunk).arg(l.lastChunk), QString::fromStdString(l.host), QString::number(l.pid),
                QString::fromStdString(l.devices), tr("%1 s ago").arg(qRound64(l.heartbeatAgeSeconds)), l.live ? tr("live") : tr("stale")});
    }
    m_jobs->setRowCount(static_cast<int>(r.slurmJobs.size()));
    for (int i = 0; i < static_cast<int>(r.slurmJobs.size()); ++i) {
        const SlurmJobRecord& j = r.slurmJobs[static_cast<size_t>(i)];
        setRow(m_jobs, i,
               {QString::fromStdString(j.id), j.kind == "render" ? tr("render array") : tr("join"),
                j.state.empty() ? tr("unknown") : QString::fromStdString(j.state)});
    }
}

}  // namespace vfi::ui
