#include "ui/settings_dialog.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/text_fit.h"

namespace vfi::ui {

void fillFactorCombo(QComboBox* combo, double sourceFps, int current) {
    combo->clear();
    for (int f : {2, 4, 8}) {
        const QString label = sourceFps > 0
            ? QCoreApplication::translate("vfi::ui", "%1× (%2 → %3 fps)").arg(f).arg(sourceFps, 0, 'f', 3).arg(sourceFps * f, 0, 'f', 3)
            : QCoreApplication::translate("vfi::ui", "%1× (e.g. 30 → %2 fps)").arg(f).arg(30 * f);
        combo->addItem(label, f);
    }
    combo->setCurrentIndex(std::max(0, combo->findData(current)));
}

void fillEncoderCombo(QComboBox* combo, const QString& current) {
    combo->clear();
    combo->addItem(QCoreApplication::translate("vfi::ui", "Automatic (x264, x265 for 10-bit)"), QString());
    for (const char* e : {"libx264", "libx265", "h264_nvenc", "hevc_nvenc", "ffv1", "prores_ks"})
        combo->addItem(QString::fromLatin1(e), QString::fromLatin1(e));
    combo->setCurrentIndex(std::max(0, combo->findData(current)));
}

void fillPixFmtCombo(QComboBox* combo, const QString& current) {
    combo->clear();
    combo->addItem(QCoreApplication::translate("vfi::ui", "Automatic (from the source)"), QString());
    for (const char* p : {"yuv420p", "yuv420p10le", "yuv422p", "yuv422p10le", "yuv444p", "yuv444p10le"})
        combo->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    combo->setCurrentIndex(std::max(0, combo->findData(current)));
}

void fillOutputExistsCombo(QComboBox* combo, bool overwrite) {
    combo->clear();
    combo->addItem(QCoreApplication::translate("vfi::ui", "Write a new file, e.g. \"clip_2x (2).mp4\""), false);
    combo->addItem(QCoreApplication::translate("vfi::ui", "Replace the existing file"), true);
    combo->setCurrentIndex(overwrite ? 1 : 0);
}

SettingsDialog::SettingsDialog(const AppSettings& s, double referenceFps, QWidget* parent)
    : QDialog(parent), m_settings(s), m_checkpoint(new QLineEdit(s.checkpointPath, this)),
      m_checkpointStatus(new QLabel(this)), m_blend(new QCheckBox(tr("Use the blend preview mode (not AI)"), this)),
      m_device(new QComboBox(this)), m_precision(new QComboBox(this)), m_steps(new QSpinBox(this)),
      m_flowScale(new QComboBox(this)), m_memoryBudget(new QSpinBox(this)), m_factor(new QComboBox(this)), m_encoder(new QComboBox(this)),
      m_quality(new QSpinBox(this)), m_pixFmt(new QComboBox(this)), m_outputFolder(new QLineEdit(s.outputFolder, this)),
      m_pattern(new QLineEdit(s.namePattern, this)), m_outputExists(new QComboBox(this)), m_chunk(new QSpinBox(this)), m_scene(new QDoubleSpinBox(this)),
      m_minFree(new QDoubleSpinBox(this)), m_language(new QComboBox(this)), m_verify(new QComboBox(this)) {
    setWindowTitle(tr("Settings"));
    m_checkpointStatus->setWordWrap(true);
    m_blend->setChecked(s.blendFallback);
    m_device->setEditable(true);
    m_device->addItems({QStringLiteral("cpu"), QStringLiteral("cuda:0"), QStringLiteral("cuda:1"), QStringLiteral("mps")});
    m_device->setCurrentText(s.device);
    m_precision->addItems({QStringLiteral("fp32"), QStringLiteral("tf32"), QStringLiteral("fp16"), QStringLiteral("bf16")});
    m_precision->setCurrentText(s.precision);
    m_precision->setToolTip(tr("tf32, fp16 and bf16 need a CUDA device"));
    m_steps->setRange(3, 200);
    m_steps->setValue(s.steps);
    for (double v : {0.25, 0.5, 1.0}) m_flowScale->addItem(QString::number(v), v);
    m_flowScale->setCurrentIndex(std::max(0, m_flowScale->findData(s.flowScale)));
    m_memoryBudget->setRange(0, 1024 * 1024);
    m_memoryBudget->setSingleStep(1024);
    m_memoryBudget->setSpecialValueText(tr("Automatic (free memory)"));
    m_memoryBudget->setSuffix(tr(" MiB"));
    m_memoryBudget->setValue(s.memoryBudgetMb);
    m_memoryBudget->setToolTip(tr("Large frames are processed in exact tiles to stay within this budget; "
                                  "the result does not change"));
    fillFactorCombo(m_factor, referenceFps, s.factor);
    fillEncoderCombo(m_encoder, s.encoder);
    m_quality->setRange(-1, 63);
    m_quality->setSpecialValueText(tr("Encoder default"));
    m_quality->setValue(s.quality);
    m_quality->setToolTip(tr("CRF for x264/x265, CQ for NVENC, profile for ProRes; FFV1 is lossless"));
    fillPixFmtCombo(m_pixFmt, s.pixFmt);
    m_outputFolder->setPlaceholderText(tr("Next to the source file"));
    m_pattern->setToolTip(tr("{name}: source name without extension, {factor}: 2/4/8, {ext}: container"));
    fillOutputExistsCombo(m_outputExists, s.overwriteOutput);
    m_chunk->setRange(0, 100000);
    m_chunk->setSpecialValueText(tr("Automatic (about 2 s)"));
    m_chunk->setValue(s.chunkFrames);
    m_chunk->setSuffix(tr(" source frames"));
    m_scene->setRange(0, 1);
    m_scene->setSingleStep(0.05);
    m_scene->setValue(s.sceneThreshold);
    m_scene->setSpecialValueText(tr("Off"));
    m_minFree->setRange(0, 1000);
    m_minFree->setValue(s.minFreeDiskGb);
    m_minFree->setSuffix(tr(" GiB"));
    m_verify->addItem(tr("Quick (packets and first frame)"), static_cast<int>(VerifyDepth::Quick));
    m_verify->addItem(tr("Full (decode every frame)"), static_cast<int>(VerifyDepth::Full));
    m_verify->setCurrentIndex(std::max(0, m_verify->findData(static_cast<int>(s.verify))));
    m_verify->setToolTip(tr("How each finished chunk and the joined video are checked. Full decodes every frame again and takes longer."));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(s.language)));

    auto* browseCk = new QPushButton(tr("Choose…"), this);
    auto* browseOut = new QPushButton(tr("Choose…"), this);
    auto* ckRow = new QHBoxLayout;
    ckRow->addWidget(m_checkpoint, 1);
    ckRow->addWidget(browseCk);
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(m_outputFolder, 1);
    outRow->addWidget(browseOut);

    auto* form = new QFormLayout;
    form->addRow(tr("Model checkpoint (vimeo_unet.pth)"), ckRow);
    form->addRow(QString(), m_checkpointStatus);
    form->addRow(QString(), m_blend);
    form->addRow(tr("Device"), m_device);
    form->addRow(tr("Precision"), m_precision);
    form->addRow(tr("Sample steps"), m_steps);
    form->addRow(tr("Flow scale"), m_flowScale);
    form->addRow(tr("Memory budget"), m_memoryBudget);
    form->addRow(tr("Frame rate factor"), m_factor);
    form->addRow(tr("Encoder"), m_encoder);
    form->addRow(tr("Quality"), m_quality);
    form->addRow(tr("Pixel format"), m_pixFmt);
    form->addRow(tr("Output folder"), outRow);
    form->addRow(tr("File name pattern"), m_pattern);
    form->addRow(tr("If the output exists"), m_outputExists);
    form->addRow(tr("Chunk length"), m_chunk);
    form->addRow(tr("Scene-cut threshold"), m_scene);
    form->addRow(tr("Pause below free space"), m_minFree);
    form->addRow(tr("Verification"), m_verify);
    form->addRow(tr("Language (after restart)"), m_language);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browseCk, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Choose the TLB-VFI checkpoint"), m_checkpoint->text(),
                                                       tr("PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)"));
        if (!f.isEmpty()) setCheckpoint(f);
    });
    connect(browseOut, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Output folder"), m_outputFolder->text());
        if (!d.isEmpty()) m_outputFolder->setText(d);
    });
    connect(m_checkpoint, &QLineEdit::editingFinished, this, [this] { setCheckpoint(m_checkpoint->text()); });
    if (!s.checkpointPath.isEmpty()) setCheckpoint(s.checkpointPath);
}

bool SettingsDialog::setCheckpoint(const QString& path) {
    m_checkpoint->setText(path);
    const QString err = validateCheckpoint(path);
    m_checkpointStatus->setStyleSheet(err.isEmpty() ? QStringLiteral("color: #2da44e") : QStringLiteral("color: #cf222e"));
    m_checkpointStatus->setText(err.isEmpty() ? tr("Checkpoint looks valid.") : err);
    keepTextUncut(this);
    return err.isEmpty();
}

QString SettingsDialog::checkpointError() const {
    return m_checkpointStatus->styleSheet().contains(QStringLiteral("cf222e")) ? m_checkpointStatus->text() : QString();
}

AppSettings SettingsDialog::settings() const {
    AppSettings s = m_settings;
    s.checkpointPath = m_checkpoint->text();
    s.blendFallback = m_blend->isChecked();
    s.device = m_device->currentText();
    s.precision = m_precision->currentText();
    s.steps = m_steps->value();
    s.flowScale = m_flowScale->currentData().toDouble();
    s.memoryBudgetMb = m_memoryBudget->value();
    s.factor = m_factor->currentData().toInt();
    s.encoder = m_encoder->currentData().toString();
    s.quality = m_quality->value();
    s.pixFmt = m_pixFmt->currentData().toString();
    s.outputFolder = m_outputFolder->text();
    s.namePattern = m_pattern->text();
    s.overwriteOutput = m_outputExists->currentData().toBool();
    s.chunkFrames = m_chunk->value();
    s.sceneThreshold = m_scene->value();
    s.minFreeDiskGb = m_minFree->value();
    s.language = m_language->currentData().toString();
    s.verify = static_cast<VerifyDepth>(m_verify->currentData().toInt());
    return s;
}

void SettingsDialog::accept() {
    if (!m_blend->isChecked() && !m_checkpoint->text().isEmpty() && !setCheckpoint(m_checkpoint->text())) {
        QMessageBox::warning(this, tr("Settings"), m_checkpointStatus->text());
        return;
    }
    QDialog::accept();
}

}  // namespace vfi::ui
