#include "ui/main_window.h"

#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolBar>
#include <QUrl>

#include <algorithm>

#include "ui/device_catalog.h"
#include "ui/error_text.h"
#include "ui/first_run_dialog.h"
#include "ui/job_settings_dialog.h"
#include "ui/log_panel.h"
#include "ui/meters_panel.h"
#include "ui/player_panel.h"
#include "ui/preview_panel.h"
#include "ui/progress_delegate.h"
#include "ui/session_status_dialog.h"
#include "ui/queue_controller.h"
#include "ui/settings_dialog.h"

namespace vfi::ui {
namespace {

// Takes of one shoot differ at the end of their names ("…_take_01.mp4"): keep both ends.
class MiddleElideDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_controller(new QueueController(this)), m_table(new QTableView(this)) {
    setWindowTitle(tr("TLBVFI Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tlbvfi-studio.svg")));
    setAcceptDrops(true);
    m_controller->setDefaults(AppSettings::load());
    m_controller->restore();

    m_table->setModel(m_controller->model());
    m_table->setItemDelegateForColumn(QueueModel::ColProgress, new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    // The file name has 240 px where there is room and gives way down to a readable 140 px before
    // the state is cut (fitColumns); the state takes what is left, on one line.
    m_table->horizontalHeader()->resizeSection(QueueModel::ColFile, 240);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->installEventFilter(this);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int c) {
        if (!m_fittingColumns) m_userSizedColumns.insert(c);
    });
    // Numbers and their headers are never cut ("FPS (source → target)" was): they take what they need,
    // the file name and the state share the rest.
    {
        QHeaderView* h = m_table->horizontalHeader();
        const int title = h->fontMetrics().horizontalAdvance(m_controller->model()->headerData(
                              QueueModel::ColProgress, Qt::Horizontal, Qt::DisplayRole).toString()) +
                          2 * h->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, h);
        h->resizeSection(QueueModel::ColProgress, std::max(140, title));
    }
    m_table->verticalHeader()->hide();
    m_table->setItemDelegateForColumn(QueueModel::ColFile, new MiddleElideDelegate(m_table));
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    setCentralWidget(m_table);

    createActions();
    createDocks();
    // GPU-only actions appear once the device listing (which loads the model library) is in.
    DeviceCatalog* catalog = DeviceCatalog::instance();
    connect(catalog, &DeviceCatalog::ready, this, &MainWindow::updateActions);
    catalog->prefetch();
    m_modeLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_modeLabel);
    const AppSettings& d = m_controller->defaults();
    showMode(d);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_controller->model(), &QAbstractItemModel::dataChanged, this, &MainWindow::updateActions);
    connect(m_controller->model(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateActions);
    connect(m_controller->model(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateActions);
    connect(m_controller->model(), &QAbstractItemModel::dataChanged, this, &MainWindow::fitColumns);
    connect(m_controller->model(), &QAbstractItemModel::rowsInserted, this, &MainWindow::fitColumns);
    fitColumns();
    connect(m_controller, &QueueController::jobLog, m_log, &LogPanel::append);
    connect(m_controller, &QueueController::jobPreview, m_preview, &PreviewPanel::showLive);
    connect(m_controller, &QueueController::jobProgress, this, [this](qint64 id, const vfi::Progress& p) {
        // Newly finished chunks become scrubbable.
        if (id == m_preview->jobId() && p.chunksDone > 0) {
            static int lastChunks = -1;
            if (p.chunksDone != lastChunks) m_preview->refreshSegments();
            lastChunks = p.chunksDone;
        }
    });
    connect(m_controller, &QueueController::jobStarted, this, [this](qint64 id) {
        if (m_followRunning && selectedJob() != id) followJob(id);
        else if (selectedJob() == id) onSelectionChanged();   // the panels learn that it renders now
        updateActions();
    });
    connect(m_controller, &QueueController::jobFinished, this, [this](qint64 id, vfi::JobState s) {
        const QueueJob* j = m_controller->model()->job(id);
        if (!j) return;
        statusBar()->showMessage(tr("%1: %2").arg(QFileInfo(j->inputPath()).fileName(),
                                                  s == JobState::Failed ? j->errorText : m_controller->model()->data(
                                                      m_controller->model()->index(m_controller->model()->rowOf(id), QueueModel::ColState), Qt::DisplayRole).toString()),
                                 10000);
        if (id == selectedJob()) onSelectionChanged();
    });
    connect(m_controller, &QueueController::lowDiskSpace, this,
            [this](qint64, const QString& msg) { statusBar()->showMessage(msg, 30000); });
    // Size, dock layout and preview mode as the user left them.
    const QSettings saved;
    if (!restoreGeometry(saved.value(QStringLiteral("window/geometry")).toByteArray())) resize(1200, 800);
    if (!restoreState(saved.value(QStringLiteral("window/state")).toByteArray())) {
        // First start: the queue gets 60 % of the width, so its state column shows.
        if (auto* preview = findChild<QDockWidget*>(QStringLiteral("previewDock")))
            resizeDocks({preview}, {width() * 2 / 5}, Qt::Horizontal);
    }
    m_preview->setMode(PreviewView::Mode(saved.value(QStringLiteral("window/previewMode"), int(PreviewView::Mode::Split)).toInt()));
    // A restored queue opens on a job (an unfinished one first): with no row selected the preview,
    // log and meters were empty and the toolbar greyed until the user clicked a row.
    const QList<QueueJob>& jobs = m_controller->model()->jobs();
    if (!jobs.isEmpty()) {
        auto open = std::find_if(jobs.begin(), jobs.end(), [](const QueueJob& j) {
            return j.state == JobState::Interrupted || j.state == JobState::Paused || j.state == JobState::Queued;
        });
        selectJob(open != jobs.end() ? open->id : jobs.first().id);
    }
    updateActions();
}

MainWindow::~MainWindow() { m_controller->shutdown(); }

void MainWindow::createActions() {
    auto make = [this](const QString& text, const QString& icon, auto slot) {
        auto* a = new QAction(text, this);
        if (!icon.isEmpty()) a->setIcon(QIcon(icon));
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    auto sel = [this] { return selectedJob(); };
    m_actAdd = make(tr("&Add files…"), QStringLiteral(":/icons/add.svg"), [this] { openFiles(); });
    m_actAdd->setShortcut(QKeySequence::Open);
    m_actAddFolder = make(tr("Add &folder…"), {}, [this] { openFolder(); });
    m_actOpenSession = make(tr("Open &session folder…"), {}, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a session folder (*.tlbvfi)"));
        if (!dir.isEmpty()) openSessionFolder(dir);
    });
    m_actInterpolate = make(tr("&Interpolate"), QStringLiteral(":/icons/interpolate.svg"), [this] { interpolate(); });
    m_actInterpolate->setShortcut(Qt::CTRL | Qt::Key_Return);
    m_actPause = make(tr("&Pause"), QStringLiteral(":/icons/pause.svg"), [this, sel] { m_controller->pauseJob(sel(), false); });
    m_actPauseFree = make(tr("Pause and free &GPU memory"), {}, [this, sel] { m_controller->pauseJob(sel(), true); });
    m_actResume = make(tr("&Resume"), QStringLiteral(":/icons/resume.svg"), [this, sel] { m_controller->resumeJob(sel()); });
    m_actCancel = make(tr("&Cancel job…"), QStringLiteral(":/icons/cancel.svg"), [this] { cancelSelected(false); });
    m_actPauseAll = make(tr("Pause queue"), {}, [this] { m_controller->pauseAll(false); });
    m_actResumeAll = make(tr("Resume queue"), {}, [this] { m_controller->resumeAll(); });
    m_actCancelAll = make(tr("Cancel all…"), {}, [this] { cancelSelected(true); });
    m_actRetry = make(tr("Re&try"), {}, [this, sel] { m_controller->retryJob(sel()); });
    m_actRemove = make(tr("Re&move from queue"), {}, [this, sel] { m_controller->removeJob(sel()); });
    m_actRemove->setShortcut(QKeySequence::Delete);
    m_actRemoveFinished = make(tr("Remove &finished"), {}, [this] {
        const int n = m_controller->removeFinished();
        statusBar()->showMessage(tr("%n finished row(s) removed", nullptr, n), 5000);
    });
    // Double-click does what the row is for: play a finished output, edit a job that has not run
    // (it did nothing).
    connect(m_table, &QAbstractItemView::doubleClicked, this, [this] {
        if (m_actPlay->isEnabled()) m_actPlay->trigger();
        else if (m_actJobSettings->isEnabled()) m_actJobSettings->trigger();
    });
    m_actUp = make(tr("Move &up"), {}, [this, sel] { const qint64 id = sel(); m_controller->moveJob(id, -1); selectJob(id); });
    m_actDown = make(tr("Move &down"), {}, [this, sel] { const qint64 id = sel(); m_controller->moveJob(id, 1); selectJob(id); });
    m_actOpenFolder = make(tr("Open &output folder"), {}, [this] { openOutputFolder(); });
    m_actJobSettings = make(tr("Job &settings…"), {}, [this] { editJobSettings(); });
    m_actPlay = make(tr("P&lay output"), {}, [this] {
        const QueueJob* j = m_controller->model()->job(selectedJob());
        if (!j) return;
        m_player->setFiles(j->outputPath(), j->inputPath(), j->outputFps());
        // The Playback dock is tabbed behind the before/after view: bring it to the front.
        if (auto* dock = qobject_cast<QDockWidget*>(m_player->parentWidget())) {
            dock->show();
            dock->raise();
        }
        m_player->play();
    });
    m_actSettings = make(tr("&Settings…"), {}, [this] { showSettings(); });
    m_actSettings->setShortcut(QKeySequence::Preferences);

    auto* file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_actAdd, m_actAddFolder, m_actOpenSession});
    file->addSeparator();
    file->addAction(m_actSettings);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto* queue = menuBar()->addMenu(tr("&Queue"));
    queue->addActions({m_actInterpolate, m_actPauseAll, m_actResumeAll, m_actCancelAll});
    queue->addSeparator();
    queue->addAction(m_actRemoveFinished);
    auto* job = menuBar()->addMenu(tr("&Job"));
    job->addActions({m_actPause, m_actPauseFree, m_actResume, m_actCancel, m_actRetry, m_actRemove, m_actUp,
                     m_actDown, m_actJobSettings, m_actOpenFolder, m_actPlay});
    m_table->addActions({m_actPause, m_actPauseFree, m_actResume, m_actCancel, m_actRetry, m_actRemove, m_actUp,
                         m_actDown, m_actJobSettings, m_actOpenFolder, m_actPlay});
    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addActions({m_actAdd, m_actInterpolate, m_actPause, m_actResume, m_actCancel});
    bar->addSeparator();
    bar->addActions({m_actPauseFree, m_actRetry, m_actSettings});
}

void MainWindow::createDocks() {
    m_preview = new PreviewPanel(this);
    m_player = new PlayerPanel(this);
    m_meters = new MetersPanel(m_controller->model(), this);
    m_log = new LogPanel(m_controller->model(), this);
    auto dock = [this](QWidget* w, const QString& title, const char* name, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(QLatin1String(name));
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    auto* preview = dock(m_preview, tr("Before / after"), "previewDock", Qt::RightDockWidgetArea);
    auto* player = dock(m_player, tr("Playback"), "playerDock", Qt::RightDockWidgetArea);
    tabifyDockWidget(preview, player);
    preview->raise();
    dock(m_meters, tr("Meters"), "metersDock", Qt::BottomDockWidgetArea);
    auto* log = dock(m_log, tr("Log"), "logDock", Qt::BottomDockWidgetArea);
    Q_UNUSED(log);
}

void MainWindow::fitColumns() {
    // As wide as header and values need; wider if the user made it so. (QHeaderView::ResizeToContents
    // does not look at rows added after the header was laid out.)
    QHeaderView* h = m_table->horizontalHeader();
    m_fittingColumns = true;
    for (int c : {QueueModel::ColResolution, QueueModel::ColFps, QueueModel::ColDevices, QueueModel::ColFrames, QueueModel::ColEta}) {
        const int before = h->sectionSize(c);
        m_table->resizeColumnToContents(c);
        if (m_userSizedColumns.contains(c) && h->sectionSize(c) < before) h->resizeSection(c, before);
    }
    // The state needs room for its longest text ("Interrupted (resumable)", "Succeeded (attempt 2)"):
    // at the first start's width the fixed 240 px of the file name left it cut on two lines
    // behind a sideways scroll bar.
    if (!m_userSizedColumns.contains(QueueModel::ColFile)) {
        const QueueModel* model = m_controller->model();
        const QFontMetrics fm = m_table->fontMetrics();
        const int pad = 2 * m_table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_table) + 8;
        int state = h->fontMetrics().horizontalAdvance(model->headerData(QueueModel::ColState, Qt::Horizontal, Qt::DisplayRole).toString()) +
                    2 * h->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, h);
        for (JobState st : {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Interrupted})
            state = std::max(state, fm.horizontalAdvance(stateText(st)) + pad);
        for (int r = 0; r < model->rowCount(); ++r)
            state = std::max(state, std::min(fm.horizontalAdvance(model->index(r, QueueModel::ColState).data().toString()) + pad, 320));
        int others = 0;
        for (int c = 0; c < QueueModel::ColCount; ++c)
            if (c != QueueModel::ColFile && c != QueueModel::ColState && !h->isSectionHidden(c)) others += h->sectionSize(c);
        h->resizeSection(QueueModel::ColFile, std::clamp(m_table->viewport()->width() - others - state, 140, 240));
    }
    m_fittingColumns = false;
}

// What new jobs will use; a first start without a model said "TLB-VFI model" as if one were set.
void MainWindow::showMode(const AppSettings& s) {
    if (s.blendFallback) m_modeLabel->setText(tr("Blend preview mode (not AI)"));
    else if (validateCheckpoint(s.checkpointPath).isEmpty()) m_modeLabel->setText(tr("TLB-VFI model"));
    else m_modeLabel->setText(tr("No model chosen yet (Interpolate asks)"));
}

QString MainWindow::modeText() const { return m_modeLabel->text(); }

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table && event->type() == QEvent::Resize) fitColumns();
    return QMainWindow::eventFilter(watched, event);
}

qint64 MainWindow::selectedJob() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_controller->model()->idAt(rows.first().row());
}

void MainWindow::selectJob(qint64 id) {
    const int row = m_controller->model()->rowOf(id);
    if (row >= 0) m_table->selectRow(row);
}

void MainWindow::followJob(qint64 id) {
    m_selectingForFollow = true;
    selectJob(id);
    m_selectingForFollow = false;
}

void MainWindow::onSelectionChanged() {
    const qint64 id = selectedJob();
    if (!m_selectingForFollow) {
        const qint64 running = m_controller->runningJob();
        m_followRunning = running == 0 || id == running;
    }
    const QueueJob* j = m_controller->model()->job(id);
    m_meters->setJob(id);
    m_log->setJob(id);
    if (j)
        m_preview->setJob(id, j->inputPath(), j->outputPath(), j->sessionDir(), j->outputPerSourceFrame(),
                          m_controller->runningJob() == id);
    updateActions();
}

void MainWindow::updateActions() {
    const QueueJob* j = m_controller->model()->job(selectedJob());
    const JobState s = j ? j->state : JobState::Succeeded;
    const bool running = j && m_controller->runningJob() == j->id;
    m_actPause->setEnabled(running);
    // Freeing GPU memory means something only with a GPU in the machine and in the job.
    DeviceCatalog* catalog = DeviceCatalog::instance();
    m_actPauseFree->setVisible(catalog->isReady() && catalog->hasGpu());
    m_actPauseFree->setEnabled(running && devicesOf(j->settings).join(QString()).contains(QLatin1String("cuda")));
    m_actResume->setEnabled(j && (s == JobState::Paused || s == JobState::Interrupted));
    m_actCancel->setEnabled(j && (running || s == JobState::Queued || s == JobState::Paused || s == JobState::Interrupted));
    m_actRetry->setEnabled(j && (s == JobState::Failed || s == JobState::Cancelled || s == JobState::Interrupted));
    m_actRemove->setEnabled(j && !running);
    m_actUp->setEnabled(j != nullptr);
    m_actDown->setEnabled(j != nullptr);
    m_actJobSettings->setEnabled(j && (s == JobState::Queued || s == JobState::Failed || s == JobState::Cancelled));
    m_actOpenFolder->setEnabled(j != nullptr);
    m_actPlay->setEnabled(j && s == JobState::Succeeded);
    m_actInterpolate->setEnabled(m_controller->model()->rowCount() > 0);
    m_actRemoveFinished->setEnabled(std::any_of(m_controller->model()->jobs().begin(), m_controller->model()->jobs().end(),
                                                [](const QueueJob& q) { return q.state == JobState::Succeeded; }));
}

void MainWindow::addFiles(const QStringList& paths) {
    QueueController::AddReport report;
    const QList<qint64> ids = m_controller->addFiles(paths, &report);
    if (!ids.isEmpty() && selectedJob() == 0) selectJob(ids.first());
    QStringList parts{tr("%n file(s) added", nullptr, int(ids.size()))};
    if (!report.duplicates.isEmpty())
        parts << tr("%n already in the queue", nullptr, int(report.duplicates.size()));
    if (!report.earlierOutputs.isEmpty())
        parts << tr("%n skipped as the output of a source beside it", nullptr, int(report.earlierOutputs.size()));
    QStringList skipped;
    for (const QString& f : report.duplicates + report.earlierOutputs) skipped << QFileInfo(f).fileName();
    statusBar()->setToolTip(skipped.isEmpty() ? QString() : tr("Skipped: %1").arg(skipped.join(QStringLiteral(", "))));
    statusBar()->showMessage(parts.join(QStringLiteral("; ")), skipped.isEmpty() ? 5000 : 15000);
}

void MainWindow::openFiles() {
    QStringList patterns;
    for (const QString& e : QueueController::videoExtensions()) patterns << QStringLiteral("*.") + e;
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add videos"), QString(),
        tr("Videos (%1);;All files (*)").arg(patterns.join(QLatin1Char(' '))));
    if (!files.isEmpty()) addFiles(files);
}

void MainWindow::openFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of videos"));
    if (!dir.isEmpty()) addFiles({dir});
}

bool MainWindow::ensureCheckpoint() {
    AppSettings s = m_controller->defaults();
    if (s.blendFallback || validateCheckpoint(s.checkpointPath).isEmpty() || m_nonInteractive) return true;
    FirstRunDialog dlg(s, this);
    if (dlg.exec() != QDialog::Accepted || dlg.choice() == FirstRunDialog::Choice::None) return false;
    if (dlg.choice() == FirstRunDialog::Choice::Blend) s.blendFallback = true;
    else s.checkpointPath = dlg.checkpointPath();
    if (!dlg.checkpointSha256().isEmpty()) s.modelSha256 = dlg.checkpointSha256();
    s.save();
    m_controller->setDefaults(s);
    showMode(s);
    // Queued jobs that have not started yet follow the new choice.
    for (const QueueJob& j : m_controller->model()->jobs()) {
        if (j.state != JobState::Queued) continue;
        JobSettings js = j.settings;
        js.backend = s.backend();
        js.model.checkpointPath = s.checkpointPath.toStdString();
        js.model.configPath = s.modelConfig.toStdString();
        m_controller->updateJobSettings(j.id, js);
    }
    return true;
}

void MainWindow::interpolate() {
    if (!ensureCheckpoint()) return;
    m_followRunning = true;
    m_controller->startQueue();
    if (const qint64 running = m_controller->runningJob()) followJob(running);
    updateActions();
}

void MainWindow::cancelSelected(bool all) {
    const qint64 id = all ? 0 : selectedJob();
    bool keep = true;
    if (!m_nonInteractive) {
        const QueueJob* j = m_controller->model()->job(id);
        const bool rendering = m_controller->runningJob() != 0 && (all || m_controller->runningJob() == id);
        const QString name = j ? QFileInfo(j->inputPath()).fileName() : QString();
        QMessageBox box(QMessageBox::Question, all ? tr("Cancel all jobs") : tr("Cancel job"),
                        all ? tr("Cancel every job in the queue?") : tr("Cancel %1?").arg(name), QMessageBox::NoButton, this);
        box.setInformativeText(
            (rendering ? tr("The render is paused while you decide.") + QLatin1Char(' ') : QString()) +
            tr("Finished chunks can be kept, so that Retry continues where the render stopped."));
        auto* keepButton = box.addButton(tr("Cancel and keep chunks"), QMessageBox::AcceptRole);
        auto* deleteButton = box.addButton(tr("Cancel and delete chunks"), QMessageBox::DestructiveRole);
        auto* back = box.addButton(rendering ? tr("Keep rendering") : tr("Don't cancel"), QMessageBox::RejectRole);
        box.setDefaultButton(keepButton);
        box.setEscapeButton(back);
        if (rendering) m_controller->holdForQuestion();
        box.exec();
        if (box.clickedButton() != keepButton && box.clickedButton() != deleteButton) {
            if (rendering) m_controller->endHold(true);
            return;
        }
        keep = box.clickedButton() == keepButton;
        if (all) m_controller->cancelAll(keep);
        else m_controller->cancelJob(id, keep);
        if (rendering) m_controller->endHold(false);
        // A job in its last step (join, verification) may finish before the pause reaches it.
        if (const QueueJob* after = m_controller->model()->job(id); after && after->state == JobState::Succeeded)
            statusBar()->showMessage(tr("%1 finished before it could be cancelled; its output was kept.").arg(name), 15000);
        return;
    }
    if (all) m_controller->cancelAll(keep);
    else m_controller->cancelJob(id, keep);
}

void MainWindow::editJobSettings() {
    const qint64 id = selectedJob();
    const QueueJob* j = m_controller->model()->job(id);
    if (!j) return;
    JobSettingsDialog dlg(j->settings, j->sourceFps(), this);
    if (dlg.exec() == QDialog::Accepted) m_controller->updateJobSettings(id, dlg.settings());
}

void MainWindow::openOutputFolder() {
    const QueueJob* j = m_controller->model()->job(selectedJob());
    if (j) QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(j->outputPath()).absolutePath()));
}

void MainWindow::showSettings() {
    const QueueJob* j = m_controller->model()->job(selectedJob());
    SettingsDialog dlg(m_controller->defaults(), j ? j->sourceFps() : 0.0, this);
    if (dlg.exec() != QDialog::Accepted) return;
    const AppSettings s = dlg.settings();
    if (s.language != m_controller->defaults().language)
        QMessageBox::information(this, tr("Language"), tr("The language changes the next time TLBVFI Studio starts."));
    s.save();
    m_controller->setDefaults(s);
    showMode(s);
}

void MainWindow::closeEvent(QCloseEvent* e) {
    QSettings saved;
    saved.setValue(QStringLiteral("window/geometry"), saveGeometry());
    saved.setValue(QStringLiteral("window/state"), saveState());
    saved.setValue(QStringLiteral("window/previewMode"), int(m_preview->mode()));
    // The running job pauses at the next pair boundary; the next start lists it as Interrupted.
    m_controller->shutdown();
    e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    QStringList paths;
    bool used = false;
    for (const QUrl& u : e->mimeData()->urls()) {
        if (!u.isLocalFile()) continue;
        // A session folder shows its status; anything else is queued as before.
        if (SessionStatusDialog::isSessionFolder(u.toLocalFile())) {
            openSessionFolder(u.toLocalFile());
            used = true;
        } else {
            paths << u.toLocalFile();
        }
    }
    if (!paths.isEmpty()) addFiles(paths);
    if (used || !paths.isEmpty()) e->acceptProposedAction();
}

void MainWindow::openSessionFolder(const QString& dir) {
    if (!SessionStatusDialog::isSessionFolder(dir)) {
        if (m_nonInteractive) return;
        QMessageBox::warning(this, tr("Open session folder"),
                             tr("%1 is not a session folder: it has no session.json. A session folder is the OUTPUT.tlbvfi "
                                "folder a render writes next to its output.")
                                 .arg(QDir::toNativeSeparators(dir)));
        return;
    }
    auto* dlg = new SessionStatusDialog(dir, this);
    dlg->show();
}

}  // namespace vfi::ui
