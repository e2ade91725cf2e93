#include "ui/model_download_task.h"

#include <QThread>

#include <exception>

namespace vfi::ui {

ModelDownloadTask::ModelDownloadTask(ModelDownloadOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_downloader(std::make_unique<ModelDownloader>(m_options)) {
    qRegisterMetaType<vfi::DownloadProgress>();
    qRegisterMetaType<vfi::ui::DownloadOutcome>();
}

ModelDownloadTask::~ModelDownloadTask() {
    if (!m_thread) return;
    m_downloader->requestCancel();
    m_thread->wait();
    delete m_thread;
}

void ModelDownloadTask::start() {
    if (m_thread) return;
    m_running = true;
    m_lastPost.invalidate();
    m_thread = QThread::create([this] {
        DownloadOutcome out;
        try {
            auto r = m_downloader->run([this](const DownloadProgress& p) { post(p); });
            out.ok = r.ok();
            if (r.ok()) out.result = std::move(r.value());
            else out.error = r.error();
        } catch (const std::exception& e) {
            out.error = Error{ErrorCode::Internal, std::string("model download: ") + e.what(), {e.what()}};
        } catch (...) {
            out.error = Error{ErrorCode::Internal, "model download: unknown exception", {"unknown exception"}};
        }
        // Queued to the GUI thread; dropped by Qt if the task is gone by then.
        QMetaObject::invokeMethod(this, [this, out] {
            m_running = false;
            emit finished(out);
        }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("model-download"));
    m_thread->start();
}

void ModelDownloadTask::cancel() {
    if (m_running) m_downloader->requestCancel();
}

void ModelDownloadTask::post(const DownloadProgress& p) {
    // The core reports at most 10 times a second plus phase changes; this keeps the GUI's share at
    // 10 a second too, whatever the core does, while every phase change still shows.
    const bool phaseChanged = p.phase != m_lastPhase;
    if (!phaseChanged && m_lastPost.isValid() && m_lastPost.elapsed() < 100) return;
    m_lastPhase = p.phase;
    m_lastPost.start();
    QMetaObject::invokeMethod(this, [this, p] { emit progressed(p); }, Qt::QueuedConnection);
}

}  // namespace vfi::ui
