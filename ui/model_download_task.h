// Runs vfi::ModelDownloader on a worker thread for the GUI. The downloader's blocking run() happens
// on a QThread; its progress reaches the GUI thread as queued signals, at most 10 a second (phase
// changes always pass), and the outcome as one queued signal. Nothing the downloader does can throw
// into the GUI: an exception on the worker becomes an Internal error. GUI thread only, apart from
// what runs on the worker; destroying a running task cancels it and waits for the worker (about a
// second, see ModelDownloader::requestCancel).
#pragma once

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>

#include <atomic>
#include <memory>

#include "vfi/model_download.h"

class QThread;

namespace vfi::ui {

struct DownloadOutcome {
    bool ok = false;
    ModelDownloadResult result;   // ok
    Error error;                  // !ok (ErrorCode::Cancelled after cancel())
};

class ModelDownloadTask : public QObject {
    Q_OBJECT
public:
    explicit ModelDownloadTask(ModelDownloadOptions options, QObject* parent = nullptr);
    ~ModelDownloadTask() override;

    void start();          // once
    void cancel();         // the worker stops within about a second; finished() follows
    bool running() const { return m_running; }
    const ModelDownloadOptions& options() const { return m_options; }

signals:
    void progressed(const vfi::DownloadProgress& progress);
    void finished(const vfi::ui::DownloadOutcome& outcome);

private:
    void post(const DownloadProgress& p);   // worker thread

    ModelDownloadOptions m_options;
    std::unique_ptr<ModelDownloader> m_downloader;
    QThread* m_thread = nullptr;
    bool m_running = false;
    // Worker-thread throttle state.
    QElapsedTimer m_lastPost;
    DownloadPhase m_lastPhase = DownloadPhase::Done;
};

}  // namespace vfi::ui

Q_DECLARE_METATYPE(vfi::DownloadProgress)
Q_DECLARE_METATYPE(vfi::ui::DownloadOutcome)
