// The output encoding rows of Settings and Job settings: encoder (only those that work here,
// vfi::usableEncoders), quality in the encoder's own terms and range ("CRF 18 (visually lossless)",
// "QP 22", ProRes profile names, none for FFV1), speed preset and pixel format (the encoder's).
// Changing the encoder keeps what still applies and resets the rest to the encoder's default.
#pragma once

#include <QObject>

#include "vfi/job_settings.h"

class QComboBox;
class QFormLayout;
class QSpinBox;
class QWidget;

namespace vfi::ui {

class EncodeOptionsEditor : public QObject {
    Q_OBJECT
public:
    explicit EncodeOptionsEditor(QWidget* parent);
    void addRows(QFormLayout* form);
    void setOptions(const EncodeOptions& options);
    EncodeOptions options() const;

    QComboBox* encoderBox() const { return m_encoder; }
    QSpinBox* qualityBox() const { return m_quality; }
    QComboBox* presetBox() const { return m_preset; }
    QComboBox* pixFmtBox() const { return m_pixFmt; }

signals:
    void changed();

private:
    void encoderChanged();

    QComboBox* m_encoder;
    QSpinBox* m_quality;
    QComboBox* m_preset;
    QComboBox* m_pixFmt;
    bool m_loading = false;
};

}  // namespace vfi::ui
