#include "ui/frame_loader.h"

#include <cmath>

#include "ui/error_text.h"
#include "ui/job_worker.h"
#include "vfi/frame_reader.h"

namespace vfi::ui {

FrameLoader::FrameLoader(QObject* parent)
    : QObject(parent), m_latest(std::make_shared<std::atomic<qint64>>(0)) {
    m_core = new FrameLoaderCore(m_latest);
    m_core->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_core, &QObject::deleteLater);
    connect(m_core, &FrameLoaderCore::segmentsReady, this, &FrameLoader::segmentsReady);
    connect(m_core, &FrameLoaderCore::loaded, this, &FrameLoader::loaded);
    m_thread.setObjectName(QStringLiteral("vfi-frame-loader"));
    m_thread.start(QThread::LowPriority);
}

FrameLoader::~FrameLoader() {
    m_latest->store(-1);
    m_thread.quit();
    m_thread.wait();
}

void FrameLoader::setFiles(const QString& source, const QStringList& outputSegments, double outputPerSource) {
    QMetaObject::invokeMethod(m_core, "open", Qt::QueuedConnection, Q_ARG(QString, source),
                              Q_ARG(QStringList, outputSegments), Q_ARG(double, outputPerSource));
}

void FrameLoader::request(qint64 outputIndex, QSize maxSize) {
    const qint64 serial = m_latest->fetch_add(1) + 1;
    QMetaObject::invokeMethod(m_core, "load", Qt::QueuedConnection, Q_ARG(qint64, serial),
                              Q_ARG(qint64, outputIndex), Q_ARG(QSize, maxSize));
}

FrameLoaderCore::FrameLoaderCore(std::shared_ptr<std::atomic<qint64>> latest) : m_latest(std::move(latest)) {}
FrameLoaderCore::~FrameLoaderCore() = default;

void FrameLoaderCore::open(const QString& source, const QStringList& segments, double outputPerSource) {
    m_outputPerSource = outputPerSource >= 1 ? outputPerSource : 2;
    m_source.reset();
    m_segments.clear();
    m_segmentStart.clear();
    if (auto r = FrameReader::open(source.toStdString())) m_source = std::make_unique<FrameReader>(std::move(r).value());
    qint64 total = 0;
    for (const QString& s : segments) {
        auto r = FrameReader::open(s.toStdString());
        if (!r) break;   // a gap: later segments cannot be addressed by a global index
        m_segmentStart.push_back(total);
        total += r->frameCount();
        m_segments.push_back(std::make_unique<FrameReader>(std::move(r).value()));
    }
    emit segmentsReady(total);
}

void FrameLoaderCore::load(qint64 serial, qint64 outputIndex, QSize maxSize) {
    if (serial != m_latest->load()) return;   // superseded
    QImage before;
    QImage after;
    QString error;
    if (m_source) {
        // Source frame i is output frame i * factor; generated frames show the earlier source frame.
        // (The small margin keeps exact multiples of a fractional ratio on their own frame.)
        const auto sourceIndex = static_cast<int64_t>(std::floor(double(outputIndex) / m_outputPerSource + 1e-9));
        auto img = m_source->frameAt(sourceIndex, maxSize.width(), maxSize.height());
        if (img) before = toQImage(*img);
        else error = errorText(img.error());
    }
    for (size_t k = m_segments.size(); k-- > 0;) {
        if (outputIndex < m_segmentStart[k]) continue;
        auto img = m_segments[k]->frameAt(outputIndex - m_segmentStart[k], maxSize.width(), maxSize.height());
        if (img) after = toQImage(*img);
        else error = errorText(img.error());
        break;
    }
    emit loaded(outputIndex, before, after, error);
}

}  // namespace vfi::ui
