#include "ui/log_panel.h"

#include "ui/queue_model.h"

namespace vfi::ui {

LogPanel::LogPanel(QueueModel* model, QWidget* parent) : QPlainTextEdit(parent), m_model(model) {
    setReadOnly(true);
    setMaximumBlockCount(5000);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setPlaceholderText(tr("Select a job to see its log."));
}

void LogPanel::setJob(qint64 id) {
    m_jobId = id;
    const QueueJob* j = m_model->job(id);
    setPlainText(j ? j->log.join(QLatin1Char('\n')) : QString());
    // A selected job without messages yet is not "no job selected".
    setPlaceholderText(j ? tr("No messages yet: the log fills in when the job runs.") : tr("Select a job to see its log."));
}

void LogPanel::append(qint64 id, const QString& line) {
    if (id == m_jobId) appendPlainText(line);
}

}  // namespace vfi::ui
