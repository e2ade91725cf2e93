#include "ui/job_worker.h"

#include <QElapsedTimer>
#include <QMutex>

#include <exception>

namespace vfi::ui {

QImage toQImage(const PreviewImage& image) {
    if (image.width <= 0 || image.height <= 0 ||
        image.rgb.size() < size_t(image.width) * size_t(image.height) * 3)
        return {};
    QImage view(image.rgb.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888);
    return view.copy();   // deep copy: the PreviewImage buffer does not outlive the callback
}

// Observer called on the runner's threads. Throttles progress to <= 10 Hz (state changes and phase
// changes always pass) and previews to <= 2 Hz, so the GUI event queue cannot be flooded.
class JobWorker::Bridge : public JobObserver {
public:
    explicit Bridge(JobWorker* w) : m_worker(w) { m_progressClock.start(); m_previewClock.start(); }

    void onStateChanged(JobState s) override { emit m_worker->stateChanged(m_worker->m_jobId, s); }

    void onProgress(const Progress& p) override {
        QMutexLocker lock(&m_mutex);
        const bool phaseChanged = p.phase != m_lastPhase;
        if (!phaseChanged && m_sent && m_progressClock.elapsed() < 100) return;
        m_lastPhase = p.phase;
        m_sent = true;
        m_progressClock.restart();
        lock.unlock();
        emit m_worker->progress(m_worker->m_jobId, p);
    }

    void onLog(LogLevel level, const std::string& line) override {
        emit m_worker->logLine(m_worker->m_jobId, int(level), QString::fromStdString(line));
    }

    void onPreview(const PreviewPair& pair) override {
        {
            QMutexLocker lock(&m_mutex);
            if (m_previewSent && m_previewClock.elapsed() < 500) return;
            m_previewSent = true;
            m_previewClock.restart();
        }
        emit m_worker->preview(m_worker->m_jobId, toQImage(pair.source), toQImage(pair.generated),
                               pair.generated.frameIndex);
    }

private:
    JobWorker* m_worker;
    QMutex m_mutex;
    QElapsedTimer m_progressClock;
    QElapsedTimer m_previewClock;
    JobPhase m_lastPhase = JobPhase::Probing;
    bool m_sent = false;
    bool m_previewSent = false;
};

JobWorker::JobWorker(qint64 jobId, JobSettings settings, QObject* parent)
    : QObject(parent), m_jobId(jobId), m_settings(std::move(settings)), m_bridge(std::make_unique<Bridge>(this)) {
    static const bool registered = [] {
        qRegisterMetaType<vfi::Progress>();
        qRegisterMetaType<vfi::JobState>();
        qRegisterMetaType<vfi::ui::JobOutcome>();
        return true;
    }();
    (void)registered;
}

JobWorker::~JobWorker() {
    if (m_thread) {
        m_runner.requestCancel();
        m_thread->wait();
        delete m_thread;
    }
}

void JobWorker::start() {
    if (m_thread) return;
    m_thread = QThread::create([this] { runOnThread(); });
    m_thread->setObjectName(QStringLiteral("vfi-job-%1").arg(m_jobId));
    m_thread->start(QThread::LowPriority);
}

void JobWorker::runOnThread() {
    JobOutcome outcome;
    try {
        auto result = m_runner.run(m_settings, m_bridge.get());
        if (result) {
            outcome.outputPath = QString::fromStdString(result->outputPath);
            outcome.outputFrames = result->outputFrames;
            for (const auto& w : result->warnings) outcome.warnings << QString::fromStdString(w);
        } else {
            const Error& e = result.error();
            outcome.code = e.code;
            outcome.message = QString::fromStdString(e.message);
            for (const auto& a : e.args) outcome.args << QString::fromStdString(a);
        }
    } catch (const std::exception& e) {
        outcome.code = ErrorCode::Internal;
        outcome.message = QString::fromUtf8(e.what());
        outcome.args = QStringList{outcome.message};
    } catch (...) {
        outcome.code = ErrorCode::Internal;
        outcome.message = QStringLiteral("unknown exception");
        outcome.args = QStringList{outcome.message};
    }
    emit finished(m_jobId, outcome);
}

void JobWorker::pause(bool releaseDevice) { m_runner.requestPause(releaseDevice); }
void JobWorker::cancel() { m_runner.requestCancel(); }
bool JobWorker::isRunning() const { return m_thread && m_thread->isRunning(); }
bool JobWorker::wait(int ms) { return !m_thread || m_thread->wait(QDeadlineTimer(ms)); }

}  // namespace vfi::ui
