// Edits one queued job's settings: frame rate (factor or target rate), backend, devices, output preset and encoding,
// output file and what to do when it exists, chunk length, scene-cut threshold.
#pragma once

#include <QDialog>

#include "vfi/job_settings.h"

class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QLineEdit;

namespace vfi::ui {

class DeviceList;
class EncodeOptionsEditor;
class FrameRateChooser;
class PresetChooser;

class JobSettingsDialog : public QDialog {
    Q_OBJECT
public:
    JobSettingsDialog(const JobSettings& settings, double sourceFps, QWidget* parent = nullptr);
    JobSettings settings() const;
    EncodeOptionsEditor* encodeEditor() const { return m_encode; }
    PresetChooser* presetChooser() const { return m_presets; }
    DeviceList* deviceList() const { return m_devices; }
    FrameRateChooser* frameRate() const { return m_rate; }

private:
    void accept() override;

    JobSettings m_settings;
    FrameRateChooser* m_rate;
    QComboBox* m_backend;
    DeviceList* m_devices;
    EncodeOptionsEditor* m_encode;
    PresetChooser* m_presets;
    QLineEdit* m_output;
    QComboBox* m_outputExists;
    QSpinBox* m_chunk;
    QDoubleSpinBox* m_scene;
};

}  // namespace vfi::ui
