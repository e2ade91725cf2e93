#include "ui/frame_rate_chooser.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "ui/queue_model.h"
#include "ui/settings_dialog.h"
#include "vfi/job_settings.h"

namespace vfi::ui {

FrameRateChooser::FrameRateChooser(double sourceFps, QWidget* parent)
    : QWidget(parent), m_sourceFps(sourceFps), m_mode(new QComboBox(this)), m_factor(new QComboBox(this)),
      m_rate(new QComboBox(this)), m_note(new QLabel(this)) {
    m_mode->addItem(tr("Multiply by"), false);
    m_mode->addItem(tr("Target rate"), true);
    fillFactorCombo(m_factor, sourceFps, 2);
    m_rate->setEditable(true);
    for (const char* r : {"48", "50", "59.94", "60", "100", "119.88", "120", "144"}) m_rate->addItem(QString::fromLatin1(r));
    m_rate->setCurrentText(QStringLiteral("60"));
    m_rate->lineEdit()->setPlaceholderText(tr("e.g. 60, 59.94 or 60000/1001"));
    m_rate->setToolTip(tr("Frames per second of the output, e.g. 23.976 → 60. The model makes midpoints: the smallest "
                          "2×, 4× or 8× that reaches the rate is rendered, only the frames shown are generated, and "
                          "each output frame shows the nearest one (at most half a step of that grid off: 5.2 ms "
                          "for 23.976 → 60)."));
    m_note->setWordWrap(true);
    m_note->setVisible(false);
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_mode);
    row->addWidget(m_factor, 1);
    row->addWidget(m_rate, 1);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->addLayout(row);
    column->addWidget(m_note);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        update();
        emit changed();
    });
    connect(m_factor, &QComboBox::currentIndexChanged, this, &FrameRateChooser::changed);
    connect(m_rate, &QComboBox::currentTextChanged, this, [this] {
        update();
        emit changed();
    });
    update();
}

void FrameRateChooser::setValue(int factor, const QString& targetFps) {
    m_factor->setCurrentIndex(std::max(0, m_factor->findData(factor)));
    if (!targetFps.isEmpty()) m_rate->setCurrentText(targetFps);
    m_mode->setCurrentIndex(targetFps.isEmpty() ? 0 : 1);
    update();
}

int FrameRateChooser::factor() const { return m_factor->currentData().toInt(); }

QString FrameRateChooser::targetFps() const { return m_mode->currentData().toBool() ? m_rate->currentText().trimmed() : QString(); }

bool FrameRateChooser::isValid() const {
    if (!m_mode->currentData().toBool()) return true;
    const auto rate = parseFrameRate(targetFps().toStdString());
    if (!rate) return false;
    return m_sourceFps <= 0 || (rate->toDouble() > m_sourceFps * 1.0001 && rate->toDouble() <= m_sourceFps * 8.0001);
}

void FrameRateChooser::update() {
    const bool target = m_mode->currentData().toBool();
    m_factor->setVisible(!target);
    m_rate->setVisible(target);
    QString note;
    if (target) {
        const auto rate = parseFrameRate(targetFps().toStdString());
        if (!rate)
            note = tr("Not a frame rate: write e.g. 60, 59.94 or 60000/1001.");
        else if (m_sourceFps > 0 && !isValid())
            note = tr("Must be above the source's %1 fps and at most 8× it (%2 fps).")
                       .arg(QueueModel::formatRate(m_sourceFps), QueueModel::formatRate(m_sourceFps * 8));
        else if (m_sourceFps > 0)
            note = tr("%1 → %2 fps (%3× the source)").arg(QueueModel::formatRate(m_sourceFps), QueueModel::formatRate(rate->toDouble()))
                       .arg(rate->toDouble() / m_sourceFps, 0, 'f', 2);
    }
    m_note->setStyleSheet(isValid() ? QString() : QStringLiteral("color: #cf222e"));
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

}  // namespace vfi::ui
