// Shown when no usable checkpoint is configured: explains vimeo_unet.pth and where it is published,
// lets the user choose the file (validated), or use the clearly labelled blend preview mode.
#pragma once

#include <QDialog>

class QLabel;

namespace vfi::ui {

class FirstRunDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { None, Checkpoint, Blend };
    explicit FirstRunDialog(QWidget* parent = nullptr);
    Choice choice() const { return m_choice; }
    QString checkpointPath() const { return m_path; }
    bool chooseCheckpoint(const QString& path);   // validates; shows the error when unusable

private:
    Choice m_choice = Choice::None;
    QString m_path;
    QLabel* m_error;
};

}  // namespace vfi::ui
