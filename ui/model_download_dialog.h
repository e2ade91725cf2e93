// The progress window of a model download (first-run dialog and Settings -> Model): what is being
// fetched from where, a bar, bytes / speed / time left, retries with their reason, then the installed
// file with its SHA-256 and any warning, or the error in words. Cancel stops the transfer and keeps
// the .part file, so the next download continues where this one stopped. GUI thread only.
#pragma once

#include <QDialog>

#include "ui/model_download_task.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace vfi::ui {

struct AppSettings;

// Download options for the GUI's settings: their URL ("" = Hugging Face) and model configuration,
// the per-user model folder.
ModelDownloadOptions downloadOptionsFor(const AppSettings& settings);

// "1.4 GiB", "512.0 MiB", "96 KiB"; "24.5 MiB/s"; "about 3 min left".
QString byteSizeText(qint64 bytes);
QString speedText(double bytesPerSecond);
QString etaText(double seconds);
// A failed download in words: errorText(), with the downloader's common English reasons (HTTP
// status, a web page instead of the file, retries given up, bytes kept) in the UI's language.
QString downloadErrorText(const Error& error);

class ModelDownloadDialog : public QDialog {
    Q_OBJECT
public:
    enum class State { Idle, Running, Cancelling, Succeeded, Failed, Cancelled };

    // rememberedSha256: the hash this installation recorded before ("" = none); a new file with
    // another hash gets a warning.
    ModelDownloadDialog(ModelDownloadOptions options, QString rememberedSha256, QWidget* parent = nullptr);

    void start();
    State state() const { return m_state; }
    const DownloadOutcome& outcome() const { return m_outcome; }
    QString installedPath() const;   // "" unless Succeeded
    QString sha256() const;

    // Shows a progress report as if it had arrived (screenshots).
    void showProgress(const DownloadProgress& p);

    QString statusText() const;      // everything the dialog says now, for tests
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* closeButton() const { return m_close; }
    QPushButton* retryButton() const { return m_retry; }

signals:
    void succeeded(const QString& path, const QString& sha256);

protected:
    void reject() override;   // Esc / window close: cancels a running download first

private:
    void finish(const DownloadOutcome& out);

    ModelDownloadOptions m_options;
    QString m_remembered;
    ModelDownloadTask* m_task = nullptr;
    State m_state = State::Idle;
    DownloadOutcome m_outcome;
    QLabel* m_what;
    QProgressBar* m_bar;
    QLabel* m_detail;
    QLabel* m_note;
    QLabel* m_result;
    QPushButton* m_cancel;
    QPushButton* m_retry;
    QPushButton* m_close;
};

}  // namespace vfi::ui
