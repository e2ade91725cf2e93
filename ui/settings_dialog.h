// Application settings (defaults for new jobs), persisted with QSettings by the caller.
#pragma once

#include <QDialog>

#include "ui/app_settings.h"

class QLineEdit;
class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QLabel;
class QCheckBox;

namespace vfi::ui {

// Fills a factor combo with 2x/4x/8x and the resulting frame rate for sourceFps (0: unknown).
void fillFactorCombo(QComboBox* combo, double sourceFps, int current);
// Encoder and pixel format choices ("" = automatic).
void fillEncoderCombo(QComboBox* combo, const QString& current);
void fillPixFmtCombo(QComboBox* combo, const QString& current);
// What a job does when its output file exists: write "name (2).ext" (data false) or replace it (true).
void fillOutputExistsCombo(QComboBox* combo, bool overwrite);

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const AppSettings& settings, double referenceFps, QWidget* parent = nullptr);
    AppSettings settings() const;
    // Validates and sets the checkpoint path; false (and an error shown) when it is unusable.
    bool setCheckpoint(const QString& path);
    QString checkpointError() const;

private:
    void accept() override;

    AppSettings m_settings;
    QLineEdit* m_checkpoint;
    QLabel* m_checkpointStatus;
    QCheckBox* m_blend;
    QComboBox* m_device;
    QComboBox* m_precision;
    QSpinBox* m_steps;
    QComboBox* m_flowScale;
    QSpinBox* m_memoryBudget;
    QComboBox* m_factor;
    QComboBox* m_encoder;
    QSpinBox* m_quality;
    QComboBox* m_pixFmt;
    QLineEdit* m_outputFolder;
    QLineEdit* m_pattern;
    QComboBox* m_outputExists;
    QSpinBox* m_chunk;
    QDoubleSpinBox* m_scene;
    QDoubleSpinBox* m_minFree;
    QComboBox* m_language;
    QComboBox* m_verify;
};

}  // namespace vfi::ui
