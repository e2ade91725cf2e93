// Decodes exact frames for scrubbing with vfi::FrameReader on its own thread (decoding a 4K frame
// after a seek can take a while; the GUI must not wait). Requests are "latest wins": a newer
// request makes queued older ones return without decoding.
// Output frames come from a list of segments (the final output, or the session's finished chunk
// files in order), addressed by one global output frame index.
#pragma once

#include <QImage>
#include <QObject>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <map>
#include <memory>

namespace vfi { class FrameReader; }

namespace vfi::ui {

class FrameLoaderCore;

class FrameLoader : public QObject {
    Q_OBJECT
public:
    explicit FrameLoader(QObject* parent = nullptr);
    ~FrameLoader() override;

    // Opens the source and the output segments; `segmentsReady` reports the output frame total.
    // outputPerSource: output frames per source frame (the factor, or a target rate over the source's).
    void setFiles(const QString& source, const QStringList& outputSegments, double outputPerSource);
    // Loads the source frame output frame outputIndex comes from (outputIndex / outputPerSource,
    // rounded down) and output frame outputIndex, scaled to fit maxSize.
    void request(qint64 outputIndex, QSize maxSize);

signals:
    void segmentsReady(qint64 outputFrames);
    void loaded(qint64 outputIndex, const QImage& before, const QImage& after, const QString& error);

private:
    QThread m_thread;
    FrameLoaderCore* m_core;
    std::shared_ptr<std::atomic<qint64>> m_latest;
};

// Lives on the loader thread.
class FrameLoaderCore : public QObject {
    Q_OBJECT
public:
    explicit FrameLoaderCore(std::shared_ptr<std::atomic<qint64>> latest);
    ~FrameLoaderCore() override;
public slots:
    void open(const QString& source, const QStringList& segments, double outputPerSource);
    void load(qint64 serial, qint64 outputIndex, QSize maxSize);
signals:
    void segmentsReady(qint64 outputFrames);
    void loaded(qint64 outputIndex, const QImage& before, const QImage& after, const QString& error);
private:
    std::shared_ptr<std::atomic<qint64>> m_latest;
    std::unique_ptr<FrameReader> m_source;
    std::vector<std::unique_ptr<FrameReader>> m_segments;
    std::vector<qint64> m_segmentStart;
    double m_outputPerSource = 2;
};

}  // namespace vfi::ui
