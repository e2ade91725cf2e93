// Shown when no usable checkpoint is configured: explains vimeo_unet.pth and where it is published,
// downloads it (ModelDownloadDialog, into the per-user model folder), lets the user choose a copy
// they have (validated), or use the clearly labelled blend preview mode.
#pragma once

#include <QDialog>

#include "ui/app_settings.h"

class QLabel;
class QPushButton;

namespace vfi::ui {

class ModelDownloadDialog;

class FirstRunDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { None, Checkpoint, Blend };
    // settings: the download URL, model configuration and remembered hash (AppSettings::model*).
    explicit FirstRunDialog(const AppSettings& settings = AppSettings(), QWidget* parent = nullptr);
    Choice choice() const { return m_choice; }
    QString checkpointPath() const { return m_path; }
    QString checkpointSha256() const { return m_sha; }   // set after a download
    bool chooseCheckpoint(const QString& path);   // validates; shows the error when unusable

    QPushButton* downloadButton() const { return m_download; }
    // Opens the download window (window-modal, returns at once); a success closes this dialog
    // with the installed file once the user has seen its hash.
    ModelDownloadDialog* startDownload();

private:
    AppSettings m_settings;
    Choice m_choice = Choice::None;
    QString m_path;
    QString m_sha;
    QLabel* m_error;
    QPushButton* m_download = nullptr;
};

}  // namespace vfi::ui
