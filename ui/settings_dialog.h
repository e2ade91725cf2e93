// Application settings (defaults for new jobs), persisted with QSettings by the caller. Tabs: Model
// (checkpoint, devices, precision, steps, flow scale, memory budget), Output (preset, frame rate,
// encoding, folder, name), Processing (chunks, scene cuts, disk, verification), General (language).
#pragma once

#include <QDialog>

#include "ui/app_settings.h"

class QLineEdit;
class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QLabel;
class QCheckBox;
class QTabWidget;
class QPushButton;

namespace vfi::ui {

class DeviceList;
class EncodeOptionsEditor;
class FrameRateChooser;
class PresetChooser;
class ModelDownloadDialog;

// Fills a factor combo with 2x/4x/8x and the resulting frame rate for sourceFps (0: unknown).
void fillFactorCombo(QComboBox* combo, double sourceFps, int current);
// What a job does when its output file exists: write "name (2).ext" (data false) or replace it (true).
void fillOutputExistsCombo(QComboBox* combo, bool overwrite);
// Precision choices for the device kind ("cpu" offers fp32 only; CUDA all four).
void fillPrecisionCombo(QComboBox* combo, bool gpu, const QString& current);
// Tooltips shared by Settings and Job settings.
QString stepsToolTip();
QString flowScaleToolTip();
QString sceneThresholdToolTip();
QString chunkLengthToolTip();
QString memoryBudgetToolTip();

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const AppSettings& settings, double referenceFps, QWidget* parent = nullptr);
    AppSettings settings() const;
    // Validates and sets the checkpoint path; false (and an error shown) when it is unusable.
    bool setCheckpoint(const QString& path);
    QString checkpointError() const;
    // Opens the download window (window-modal, returns at once); a success sets the checkpoint to
    // the installed file and shows its SHA-256.
    ModelDownloadDialog* startDownload();
    QString modelInfoText() const;   // the hash line under the checkpoint ("" when none is known)
    QLineEdit* modelUrlEdit() const { return m_modelUrl; }
    QPushButton* downloadButton() const { return m_download; }

    QTabWidget* tabs() const { return m_tabs; }
    DeviceList* deviceList() const { return m_devices; }
    EncodeOptionsEditor* encodeEditor() const { return m_encode; }
    PresetChooser* presetChooser() const { return m_presets; }

private:
    void accept() override;
    QWidget* modelTab(const AppSettings& s);
    QWidget* outputTab(const AppSettings& s, double referenceFps);
    QWidget* processingTab(const AppSettings& s);
    QWidget* generalTab(const AppSettings& s);
    void showModelInfo();

    AppSettings m_settings;
    QTabWidget* m_tabs;
    QLineEdit* m_checkpoint = nullptr;
    QLabel* m_checkpointStatus = nullptr;
    QLabel* m_modelInfo = nullptr;
    QPushButton* m_download = nullptr;
    QLineEdit* m_modelUrl = nullptr;
    QString m_modelSha;          // AppSettings::modelSha256 as it will be saved
    QCheckBox* m_blend = nullptr;
    DeviceList* m_devices = nullptr;
    QComboBox* m_precision = nullptr;
    QSpinBox* m_steps = nullptr;
    QComboBox* m_flowScale = nullptr;
    QSpinBox* m_memoryBudget = nullptr;
    FrameRateChooser* m_rate = nullptr;
    EncodeOptionsEditor* m_encode = nullptr;
    PresetChooser* m_presets = nullptr;
    QLineEdit* m_outputFolder = nullptr;
    QLineEdit* m_pattern = nullptr;
    QComboBox* m_outputExists = nullptr;
    QSpinBox* m_chunk = nullptr;
    QDoubleSpinBox* m_scene = nullptr;
    QDoubleSpinBox* m_minFree = nullptr;
    QComboBox* m_language = nullptr;
    QComboBox* m_verify = nullptr;
};

}  // namespace vfi::ui
