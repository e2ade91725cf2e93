// Preview dock: live before/after frames of the running job (throttled by the worker bridge) and
// scrubbing through the finished output (final file or the session's chunks) with exact frames.
#pragma once

#include <QWidget>

#include "ui/preview_view.h"

class QSlider;
class QLabel;
class QCheckBox;
class QComboBox;

namespace vfi::ui {

class FrameLoader;

class PreviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit PreviewPanel(QWidget* parent = nullptr);

    // The job whose frames are shown. Scrubbing uses the final output when it exists, otherwise the
    // finished chunk files in sessionDir.
    // rendering: the job is running, so live frames may replace the scrubbed one while "Live" is on;
    // otherwise the view always shows the frame the position names.
    // outputPerSource: output frames per source frame (the factor, or target rate / source rate).
    void setJob(qint64 id, const QString& source, const QString& output, const QString& sessionDir,
                double outputPerSource, bool rendering = false);
    qint64 jobId() const { return m_jobId; }
    void showLive(qint64 id, const QImage& source, const QImage& generated, qint64 generatedIndex);
    void refreshSegments();
    void stepFrames(int delta);
    PreviewView* view() { return m_view; }
    PreviewView::Mode mode() const;
    void setMode(PreviewView::Mode mode);   // the mode box follows
    qint64 outputFrames() const { return m_outputFrames; }
    qint64 currentFrame() const;
    QString positionText() const;   // "12 / 59", "live: frame 12", "no finished chunks"

signals:
    void frameShown(qint64 outputIndex);

private:
    void requestCurrent();

    PreviewView* m_view;
    QSlider* m_slider;
    QLabel* m_position;
    QCheckBox* m_live;
    QComboBox* m_mode;
    FrameLoader* m_loader;
    qint64 m_jobId = 0;
    QString m_source, m_output, m_session;
    double m_outputPerSource = 2;
    bool m_rendering = false;
    qint64 m_outputFrames = 0;
};

}  // namespace vfi::ui
