// Meters of the selected job and the whole queue: progress, frames, fps, ETA (paused time
// excluded: the runner's ETA counts running time only), VRAM, process RAM, session size, projected
// size, free disk space with a warning below the job's threshold.
#pragma once

#include <QWidget>

#include "vfi/progress.h"

class QFormLayout;
class QLabel;
class QProgressBar;

namespace vfi::ui {

class QueueModel;

class MetersPanel : public QWidget {
    Q_OBJECT
public:
    explicit MetersPanel(QueueModel* model, QWidget* parent = nullptr);
    void setJob(qint64 id);
    qint64 jobId() const { return m_jobId; }
    void refresh();
    static QString bytes(qint64 b);
    QString text() const;   // all meter values as text (tests, accessibility)

private:
    QueueModel* m_model;
    qint64 m_jobId = 0;
    QProgressBar* m_overall;
    QProgressBar* m_job;
    QLabel* m_frames;
    QLabel* m_fps;
    QLabel* m_eta;
    QLabel* m_vram;
    QLabel* m_devices;     // one line per device of the job (name, memory, fps)
    QFormLayout* m_form;
    QLabel* m_ram;
    QLabel* m_session;
    QLabel* m_projected;
    QLabel* m_free;
    QLabel* m_warning;
};

}  // namespace vfi::ui
