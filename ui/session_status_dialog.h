// Status of a session folder opened in the GUI (File → Open session folder…, or a dropped *.tlbvfi
// folder): the same report as `tlbvfi status` (vfi/session_report.h) — chunks done and missing,
// range locks with host, process, devices and heartbeat, rate and ETA, and the Slurm jobs with their
// states. Reading the session and asking squeue/sacct run on a worker thread; the dialog refreshes
// itself every few seconds while it is open. Modeless; deletes itself when closed.
#pragma once

#include <QDialog>
#include <QString>

#include "vfi/session_report.h"

class QLabel;
class QProgressBar;
class QTableWidget;
class QTimer;

namespace vfi::ui {

class SessionStatusDialog : public QDialog {
    Q_OBJECT
public:
    explicit SessionStatusDialog(const QString& sessionDir, QWidget* parent = nullptr);
    ~SessionStatusDialog() override;

    const QString& sessionDir() const { return m_dir; }
    // Starts a refresh on a worker thread unless one is running; refreshed() follows.
    void refresh();
    // Fills the widgets from a report (GUI thread).
    void showReport(const SessionReport& r);
    void showError(const QString& message);

    // A folder the GUI opens as a session: it holds session.json.
    static bool isSessionFolder(const QString& path);

signals:
    void refreshed();

private:
    QString m_dir;
    bool m_busy = false;
    QLabel* m_summary = nullptr;
    QProgressBar* m_bar = nullptr;
    QLabel* m_missing = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_error = nullptr;
    QTableWidget* m_locks = nullptr;
    QTableWidget* m_jobs = nullptr;
    QTimer* m_timer = nullptr;
};

}  // namespace vfi::ui
