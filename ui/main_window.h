// Main window: wires the queue table, the docks (preview, playback, meters, log) and the actions to
// the QueueController. No job logic lives here.
#pragma once

#include <QMainWindow>
#include <QSet>

class QTableView;
class QAction;
class QLabel;

namespace vfi::ui {

struct AppSettings;
class QueueController;
class PreviewPanel;
class PlayerPanel;
class MetersPanel;
class LogPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QueueController* controller() { return m_controller; }
    QTableView* queueView() { return m_table; }
    PreviewPanel* previewPanel() { return m_preview; }
    PlayerPanel* playerPanel() { return m_player; }
    MetersPanel* metersPanel() { return m_meters; }
    LogPanel* logPanel() { return m_log; }

    void addFiles(const QStringList& paths);
    // Shows the status of a session folder (a render here, on another machine or on a cluster).
    void openSessionFolder(const QString& dir);
    // "Interpolate": asks for a checkpoint first when none is configured (unless blend mode).
    void interpolate();
    qint64 selectedJob() const;
    void selectJob(qint64 id);
    // Tests and scripts: skip modal questions (cancel keeps chunks, first-run dialog not shown).
    void setNonInteractive(bool on) { m_nonInteractive = on; }
    QString modeText() const;   // the status bar's model / blend note

protected:
    void closeEvent(QCloseEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createActions();
    void createDocks();
    void updateActions();
    void fitColumns();
    void onSelectionChanged();
    void followJob(qint64 id);
    void openFiles();
    void openFolder();
    void cancelSelected(bool all);
    void editJobSettings();
    void openOutputFolder();
    void showSettings();
    bool ensureCheckpoint();
    void showMode(const AppSettings& s);

    QueueController* m_controller;
    QTableView* m_table;
    PreviewPanel* m_preview = nullptr;
    PlayerPanel* m_player = nullptr;
    MetersPanel* m_meters = nullptr;
    LogPanel* m_log = nullptr;
    QLabel* m_modeLabel = nullptr;
    bool m_nonInteractive = false;
    // The selection follows the running job until the user picks another row; Interpolate and
    // picking the running row turn following on again.
    bool m_followRunning = true;
    bool m_selectingForFollow = false;
    bool m_fittingColumns = false;
    QSet<int> m_userSizedColumns;
    QAction* m_actAdd = nullptr;
    QAction* m_actAddFolder = nullptr;
    QAction* m_actOpenSession = nullptr;
    QAction* m_actInterpolate = nullptr;
    QAction* m_actPause = nullptr;
    QAction* m_actPauseFree = nullptr;
    QAction* m_actResume = nullptr;
    QAction* m_actCancel = nullptr;
    QAction* m_actPauseAll = nullptr;
    QAction* m_actResumeAll = nullptr;
    QAction* m_actCancelAll = nullptr;
    QAction* m_actRetry = nullptr;
    QAction* m_actRemove = nullptr;
    QAction* m_actRemoveFinished = nullptr;
    QAction* m_actUp = nullptr;
    QAction* m_actDown = nullptr;
    QAction* m_actOpenFolder = nullptr;
    QAction* m_actJobSettings = nullptr;
    QAction* m_actPlay = nullptr;
    QAction* m_actSettings = nullptr;
};

}  // namespace vfi::ui
