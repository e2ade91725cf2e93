#include "ui/job_settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/app_settings.h"
#include "ui/device_list.h"
#include "ui/encode_options_editor.h"
#include "ui/frame_rate_chooser.h"
#include "ui/output_presets.h"
#include "ui/settings_dialog.h"

namespace vfi::ui {

JobSettingsDialog::JobSettingsDialog(const JobSettings& s, double sourceFps, QWidget* parent)
    : QDialog(parent), m_settings(s), m_rate(new FrameRateChooser(sourceFps, this)), m_backend(new QComboBox(this)),
      m_devices(new DeviceList(this)), m_encode(new EncodeOptionsEditor(this)), m_presets(new PresetChooser(m_encode, this)),
      m_output(new QLineEdit(QString::fromStdString(s.outputPath), this)), m_outputExists(new QComboBox(this)),
      m_chunk(new QSpinBox(this)), m_scene(new QDoubleSpinBox(this)) {
    setWindowTitle(tr("Job settings"));
    m_rate->setValue(s.factor, s.targetFps ? frameRateText(*s.targetFps) : QString());
    m_backend->addItem(tr("TLB-VFI (AI model)"), int(Backend::Tlbvfi));
    m_backend->addItem(tr("Blend preview (not AI)"), int(Backend::Blend));
    m_backend->setCurrentIndex(s.backend == Backend::Blend ? 1 : 0);
    m_devices->setChecked(devicesOf(s));
    m_encode->setOptions(s.encode);
    m_presets->refresh();
    fillOutputExistsCombo(m_outputExists, s.overwrite);
    m_chunk->setRange(0, 100000);
    m_chunk->setSpecialValueText(tr("Automatic (about 2 s)"));
    m_chunk->setValue(s.chunkFrames);
    m_chunk->setToolTip(chunkLengthToolTip());
    m_scene->setRange(0, 1);
    m_scene->setSingleStep(0.05);
    m_scene->setSpecialValueText(tr("Off"));
    m_scene->setValue(s.sceneThreshold);
    m_scene->setToolTip(sceneThresholdToolTip());
    auto* browse = new QPushButton(tr("Choose…"), this);
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(m_output, 1);
    outRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Frame rate"), m_rate);
    form->addRow(tr("Interpolation"), m_backend);
    form->addRow(tr("Devices"), m_devices);
    form->addRow(tr("Preset"), m_presets);
    m_encode->addRows(form);
    form->addRow(tr("Output file"), outRow);
    form->addRow(tr("If the output exists"), m_outputExists);
    form->addRow(tr("Chunk length"), m_chunk);
    form->addRow(tr("Scene-cut threshold"), m_scene);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // A container the chosen encoder can write (FFV1: .mkv, ProRes: .mov/.mkv).
    connect(m_encode, &EncodeOptionsEditor::changed, this, [this] {
        const QFileInfo out(m_output->text());
        if (out.fileName().isEmpty()) return;
        const QString ext = containerFor(QString::fromStdString(m_encode->options().encoder), out.suffix().toLower());
        if (ext != out.suffix().toLower()) m_output->setText(QDir(out.path()).filePath(out.completeBaseName() + QLatin1Char('.') + ext));
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Output file"), m_output->text(),
                                                       tr("Video (*.mp4 *.mkv *.mov)"));
        if (!f.isEmpty()) m_output->setText(f);
    });
}

void JobSettingsDialog::accept() {
    if (!m_rate->isValid()) {
        QMessageBox::warning(this, windowTitle(), tr("The target frame rate must be above the source's rate and at most 8× it."));
        return;
    }
    QDialog::accept();
}

JobSettings JobSettingsDialog::settings() const {
    JobSettings s = m_settings;
    s.factor = m_rate->factor();
    s.targetFps = parseFrameRate(m_rate->targetFps().toStdString());
    s.backend = m_backend->currentData().toInt() == int(Backend::Blend) ? Backend::Blend : Backend::Tlbvfi;
    setDevices(s, m_devices->checked());
    s.encode = m_encode->options();
    s.outputPath = m_output->text().toStdString();
    s.overwrite = m_outputExists->currentData().toBool();
    s.chunkFrames = m_chunk->value();
    s.sceneThreshold = m_scene->value();
    return s;
}

}  // namespace vfi::ui
