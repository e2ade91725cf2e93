#include "ui/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
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
#include <QTabWidget>
#include <QVBoxLayout>

#include "ui/device_list.h"
#include "ui/encode_options_editor.h"
#include "ui/frame_rate_chooser.h"
#include "ui/model_download_dialog.h"
#include "ui/output_presets.h"
#include "ui/queue_model.h"
#include "ui/text_fit.h"

namespace vfi::ui {

void fillFactorCombo(QComboBox* combo, double sourceFps, int current) {
    combo->clear();
    for (int f : {2, 4, 8}) {
        const QString label = sourceFps > 0
            ? QCoreApplication::translate("vfi::ui", "%1× (%2 → %3 fps)").arg(f).arg(QueueModel::formatRate(sourceFps), QueueModel::formatRate(sourceFps * f))
            : QCoreApplication::translate("vfi::ui", "%1× (e.g. 30 → %2 fps)").arg(f).arg(30 * f);
        combo->addItem(label, f);
    }
    combo->setCurrentIndex(std::max(0, combo->findData(current)));
}

void fillOutputExistsCombo(QComboBox* combo, bool overwrite) {
    combo->clear();
    combo->addItem(QCoreApplication::translate("vfi::ui", "Write a new file, e.g. \"clip_2x (2).mp4\""), false);
    combo->addItem(QCoreApplication::translate("vfi::ui", "Replace the existing file"), true);
    combo->setCurrentIndex(overwrite ? 1 : 0);
}

void fillPrecisionCombo(QComboBox* combo, bool gpu, const QString& current) {
    combo->clear();
    combo->addItem(QCoreApplication::translate("vfi::ui", "fp32 (exact)"), QStringLiteral("fp32"));
    if (gpu) {
        combo->addItem(QCoreApplication::translate("vfi::ui", "tf32 (faster matrix products)"), QStringLiteral("tf32"));
        combo->addItem(QCoreApplication::translate("vfi::ui", "fp16 (about twice as fast, half the memory)"), QStringLiteral("fp16"));
        combo->addItem(QStringLiteral("bf16"), QStringLiteral("bf16"));
    }
    combo->setToolTip(QCoreApplication::translate("vfi::ui", "tf32, fp16 and bf16 need a CUDA device"));
    combo->setCurrentIndex(std::max(0, combo->findData(current)));
}

QString stepsToolTip() {
    return QCoreApplication::translate("vfi::ui", "Denoising steps of the diffusion model per generated frame. The authors use 10; "
                                                  "the time per frame grows in proportion to the steps.");
}
QString flowScaleToolTip() {
    return QCoreApplication::translate("vfi::ui", "Size at which motion is estimated, relative to the frame. 0.5 is the default; "
                                                  "the authors use 0.25 for very large motion and 1.0 for small, fast details "
                                                  "(much more memory at 4K).");
}
QString sceneThresholdToolTip() {
    return QCoreApplication::translate("vfi::ui", "How different two frames must be to count as a scene cut (0 to 1; Off disables it). "
                                                  "At a cut no frames are invented between the two shots: the earlier frame is "
                                                  "repeated. Lower values find more cuts.");
}
QString chunkLengthToolTip() {
    return QCoreApplication::translate("vfi::ui", "Source frames per chunk file (automatic: about 2 s of video). Finished chunks "
                                                  "survive a pause, a crash or a restart; shorter chunks lose less work, longer "
                                                  "ones add less overhead.");
}
QString memoryBudgetToolTip() {
    return QCoreApplication::translate("vfi::ui", "Large frames are processed in exact tiles to stay within this budget; the "
                                                  "result does not change. Lower it when 4K frames do not fit.");
}

// A tab's form, kept at the top of its page (the tallest tab sets the dialog's height).
static QFormLayout* formOf(QWidget* page) {
    auto* column = new QVBoxLayout(page);
    auto* form = new QFormLayout;
    column->addLayout(form);
    column->addStretch(1);
    return form;
}

SettingsDialog::SettingsDialog(const AppSettings& s, double referenceFps, QWidget* parent)
    : QDialog(parent), m_settings(s), m_tabs(new QTabWidget(this)), m_modelSha(s.modelSha256) {
    setWindowTitle(tr("Settings"));
    m_tabs->addTab(modelTab(s), tr("Model"));
    m_tabs->addTab(outputTab(s, referenceFps), tr("Output"));
    m_tabs->addTab(processingTab(s), tr("Processing"));
    m_tabs->addTab(generalTab(s), tr("General"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (!s.checkpointPath.isEmpty()) setCheckpoint(s.checkpointPath);
    setMinimumWidth(560);
}

QWidget* SettingsDialog::modelTab(const AppSettings& s) {
    auto* page = new QWidget(this);
    m_checkpoint = new QLineEdit(s.checkpointPath, page);
    m_checkpointStatus = new QLabel(page);
    m_checkpointStatus->setWordWrap(true);
    m_checkpointStatus->setVisible(false);   // until there is something to say
    m_modelInfo = new QLabel(page);
    m_modelInfo->setWordWrap(true);
    m_modelInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelInfo->setVisible(false);
    m_download = new QPushButton(tr("Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)"), page);
    m_modelUrl = new QLineEdit(s.modelUrl, page);
    m_modelUrl->setPlaceholderText(QString::fromLatin1(kDefaultModelUrl));
    m_modelUrl->setToolTip(tr("Where the download button fetches vimeo_unet.pth (empty: the authors' Hugging Face repository). "
                              "The file is stored in your user data folder and used only after it loads as the model."));
    m_blend = new QCheckBox(tr("Use the blend preview mode (not AI)"), page);
    m_blend->setChecked(s.blendFallback);
    m_devices = new DeviceList(page);
    m_devices->setChecked(s.devices);
    m_precision = new QComboBox(page);
    fillPrecisionCombo(m_precision, m_devices->gpuChecked(), s.precision);
    m_steps = new QSpinBox(page);
    m_steps->setRange(3, 200);
    m_steps->setValue(s.steps);
    m_steps->setToolTip(stepsToolTip());
    m_flowScale = new QComboBox(page);
    for (double v : {0.25, 0.5, 1.0}) m_flowScale->addItem(QString::number(v), v);
    m_flowScale->setCurrentIndex(std::max(0, m_flowScale->findData(s.flowScale)));
    m_flowScale->setToolTip(flowScaleToolTip());
    m_memoryBudget = new QSpinBox(page);
    m_memoryBudget->setRange(0, 1024 * 1024);
    m_memoryBudget->setSingleStep(1024);
    m_memoryBudget->setSpecialValueText(tr("Automatic (free memory)"));
    m_memoryBudget->setSuffix(tr(" MiB"));
    m_memoryBudget->setValue(s.memoryBudgetMb);
    m_memoryBudget->setToolTip(memoryBudgetToolTip());

    auto* browse = new QPushButton(tr("Choose…"), page);
    auto* ckRow = new QHBoxLayout;
    ckRow->addWidget(m_checkpoint, 1);
    ckRow->addWidget(browse);
    auto* form = formOf(page);
    form->addRow(tr("Model checkpoint (vimeo_unet.pth)"), ckRow);
    form->addRow(QString(), m_checkpointStatus);
    form->addRow(m_modelInfo);   // the whole row: the hash needs the width
    form->addRow(m_download);   // the whole row: the button's text is long, in Korean too
    form->addRow(tr("Download from"), m_modelUrl);
    form->addRow(QString(), m_blend);
    form->addRow(tr("Devices"), m_devices);
    form->addRow(tr("Precision"), m_precision);
    form->addRow(tr("Sample steps"), m_steps);
    form->addRow(tr("Flow scale"), m_flowScale);
    form->addRow(tr("Memory budget"), m_memoryBudget);
    for (QWidget* w : {static_cast<QWidget*>(m_steps), static_cast<QWidget*>(m_flowScale), static_cast<QWidget*>(m_memoryBudget)})
        if (auto* label = qobject_cast<QLabel*>(form->labelForField(w))) label->setToolTip(w->toolTip());

    connect(m_devices, &DeviceList::selectionChanged, this,
            [this] { fillPrecisionCombo(m_precision, m_devices->gpuChecked(), m_precision->currentData().toString()); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Choose the TLB-VFI checkpoint"), m_checkpoint->text(),
                                                       tr("PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)"));
        if (!f.isEmpty()) setCheckpoint(f);
    });
    connect(m_download, &QPushButton::clicked, this, [this] { startDownload(); });
    connect(m_checkpoint, &QLineEdit::editingFinished, this, [this] { setCheckpoint(m_checkpoint->text()); });
    return page;
}

QWidget* SettingsDialog::outputTab(const AppSettings& s, double referenceFps) {
    auto* page = new QWidget(this);
    m_rate = new FrameRateChooser(referenceFps, page);
    m_rate->setValue(s.factor, s.targetFps);
    m_encode = new EncodeOptionsEditor(page);
    m_encode->setOptions(s.encode());
    m_presets = new PresetChooser(m_encode, page);
    m_outputFolder = new QLineEdit(s.outputFolder, page);
    m_outputFolder->setPlaceholderText(tr("Next to the source file"));
    m_pattern = new QLineEdit(s.namePattern, page);
    m_pattern->setToolTip(tr("{name}: source name without extension, {factor}: 2/4/8, {rate}: output frame rate, "
                             "{ext}: container. With a target rate, \"{factor}x\" reads \"{rate}fps\"."));
    m_outputExists = new QComboBox(page);
    fillOutputExistsCombo(m_outputExists, s.overwriteOutput);
    auto* browse = new QPushButton(tr("Choose…"), page);
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(m_outputFolder, 1);
    outRow->addWidget(browse);
    auto* form = formOf(page);
    form->addRow(tr("Preset"), m_presets);
    form->addRow(tr("Frame rate"), m_rate);
    m_encode->addRows(form);
    form->addRow(tr("Output folder"), outRow);
    form->addRow(tr("File name pattern"), m_pattern);
    form->addRow(tr("If the output exists"), m_outputExists);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Output folder"), m_outputFolder->text());
        if (!d.isEmpty()) m_outputFolder->setText(d);
    });
    return page;
}

QWidget* SettingsDialog::processingTab(const AppSettings& s) {
    auto* page = new QWidget(this);
    m_chunk = new QSpinBox(page);
    m_chunk->setRange(0, 100000);
    m_chunk->setSpecialValueText(tr("Automatic (about 2 s)"));
    m_chunk->setValue(s.chunkFrames);
    m_chunk->setSuffix(tr(" source frames"));
    m_chunk->setToolTip(chunkLengthToolTip());
    m_scene = new QDoubleSpinBox(page);
    m_scene->setRange(0, 1);
    m_scene->setSingleStep(0.05);
    m_scene->setValue(s.sceneThreshold);
    m_scene->setSpecialValueText(tr("Off"));
    m_scene->setToolTip(sceneThresholdToolTip());
    m_minFree = new QDoubleSpinBox(page);
    m_minFree->setRange(0, 1000);
    m_minFree->setValue(s.minFreeDiskGb);
    m_minFree->setSuffix(tr(" GiB"));
    m_verify = new QComboBox(page);
    m_verify->addItem(tr("Quick (packets and first frame)"), static_cast<int>(VerifyDepth::Quick));
    m_verify->addItem(tr("Full (decode every frame)"), static_cast<int>(VerifyDepth::Full));
    m_verify->setCurrentIndex(std::max(0, m_verify->findData(static_cast<int>(s.verify))));
    m_verify->setToolTip(tr("How each finished chunk and the joined video are checked. Full decodes every frame again and takes longer."));
    auto* form = formOf(page);
    form->addRow(tr("Chunk length"), m_chunk);
    form->addRow(tr("Scene-cut threshold"), m_scene);
    form->addRow(tr("Pause below free space"), m_minFree);
    form->addRow(tr("Verification"), m_verify);
    for (QWidget* w : {static_cast<QWidget*>(m_chunk), static_cast<QWidget*>(m_scene), static_cast<QWidget*>(m_verify)})
        if (auto* label = qobject_cast<QLabel*>(form->labelForField(w))) label->setToolTip(w->toolTip());
    return page;
}

QWidget* SettingsDialog::generalTab(const AppSettings& s) {
    auto* page = new QWidget(this);
    m_language = new QComboBox(page);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(s.language)));
    auto* form = formOf(page);
    form->addRow(tr("Language (after restart)"), m_language);
    return page;
}

bool SettingsDialog::setCheckpoint(const QString& path) {
    m_checkpoint->setText(path);
    const QString err = validateCheckpoint(path);
    m_checkpointStatus->setStyleSheet(err.isEmpty() ? QStringLiteral("color: #2da44e") : QStringLiteral("color: #cf222e"));
    m_checkpointStatus->setText(err.isEmpty() ? tr("Checkpoint looks valid.") : err);
    m_checkpointStatus->setVisible(true);
    showModelInfo();
    keepTextUncut(this);
    return err.isEmpty();
}

// The hash of a downloaded model, from the record the downloader keeps beside it.
void SettingsDialog::showModelInfo() {
    const auto record = readModelRecord(m_checkpoint->text().toStdString());
    if (!record) {
        m_modelInfo->clear();
        m_modelInfo->setVisible(false);
        return;
    }
    const QString sha = QString::fromStdString(record->sha256);
    // The hash on a line of its own, and never narrower than it: 64 digits do not wrap.
    QString text = tr("Downloaded from %1 (%2). SHA-256:").arg(QString::fromStdString(record->url), QString::fromStdString(record->installedAt)) +
                   QLatin1Char('\n') + sha;
    m_modelInfo->setMinimumWidth(m_modelInfo->fontMetrics().horizontalAdvance(sha) + 4);
    if (!m_modelSha.isEmpty() && m_modelSha.compare(sha, Qt::CaseInsensitive) != 0)
        text += QLatin1Char('\n') + tr("This differs from the SHA-256 remembered from an earlier download (%1).").arg(m_modelSha);
    m_modelInfo->setText(text);
    m_modelInfo->setVisible(true);
}

QString SettingsDialog::modelInfoText() const { return m_modelInfo->isHidden() ? QString() : m_modelInfo->text(); }

ModelDownloadDialog* SettingsDialog::startDownload() {
    AppSettings s = m_settings;
    s.modelUrl = m_modelUrl->text().trimmed();
    auto* dlg = new ModelDownloadDialog(downloadOptionsFor(s), m_modelSha, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &ModelDownloadDialog::succeeded, this, [this](const QString& path, const QString& sha) {
        m_blend->setChecked(false);
        setCheckpoint(path);
        m_modelSha = sha;   // remembered from now on (after the warning, if it differed, was shown)
        showModelInfo();
        keepTextUncut(this);
    });
    dlg->open();
    dlg->start();
    return dlg;
}

QString SettingsDialog::checkpointError() const {
    return m_checkpointStatus->styleSheet().contains(QStringLiteral("cf222e")) ? m_checkpointStatus->text() : QString();
}

AppSettings SettingsDialog::settings() const {
    AppSettings s = m_settings;
    s.checkpointPath = m_checkpoint->text();
    s.blendFallback = m_blend->isChecked();
    s.modelUrl = m_modelUrl->text().trimmed();
    s.modelSha256 = m_modelSha;
    s.devices = m_devices->checked();
    s.precision = m_precision->currentData().toString();
    s.steps = m_steps->value();
    s.flowScale = m_flowScale->currentData().toDouble();
    s.memoryBudgetMb = m_memoryBudget->value();
    s.factor = m_rate->factor();
    s.targetFps = m_rate->targetFps();
    s.setEncode(m_encode->options());
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
    if (!m_rate->isValid()) {
        m_tabs->setCurrentIndex(1);
        QMessageBox::warning(this, tr("Settings"), tr("The target frame rate is not a frame rate: write e.g. 60, 59.94 or 60000/1001."));
        return;
    }
    if (!m_blend->isChecked() && !m_checkpoint->text().isEmpty() && !setCheckpoint(m_checkpoint->text())) {
        m_tabs->setCurrentIndex(0);
        QMessageBox::warning(this, tr("Settings"), m_checkpointStatus->text());
        return;
    }
    QDialog::accept();
}

}  // namespace vfi::ui
