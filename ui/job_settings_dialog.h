// Edits one queued job's settings (factor, backend, encoder, quality, pixel format, output file,
// what to do when the output exists, chunk length, scene-cut threshold).
#pragma once

#include <QDialog>

#include "vfi/job_settings.h"

class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QLineEdit;

namespace vfi::ui {

class JobSettingsDialog : public QDialog {
    Q_OBJECT
public:
    JobSettingsDialog(const JobSettings& settings, double sourceFps, QWidget* parent = nullptr);
    JobSettings settings() const;

private:
    JobSettings m_settings;
    QComboBox* m_factor;
    QComboBox* m_backend;
    QComboBox* m_encoder;
    QSpinBox* m_quality;
    QComboBox* m_pixFmt;
    QLineEdit* m_output;
    QComboBox* m_outputExists;
    QSpinBox* m_chunk;
    QDoubleSpinBox* m_scene;
};

}  // namespace vfi::ui
