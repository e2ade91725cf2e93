// Per-job log: the engine's and FFmpeg's messages for the selected job (kept by the controller).
#pragma once

#include <QPlainTextEdit>

namespace vfi::ui {

class QueueModel;

class LogPanel : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit LogPanel(QueueModel* model, QWidget* parent = nullptr);
    void setJob(qint64 id);
    void append(qint64 id, const QString& line);

private:
    QueueModel* m_model;
    qint64 m_jobId = 0;
};

}  // namespace vfi::ui
