#include "ui/first_run_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/model_download_dialog.h"
#include "ui/text_fit.h"

namespace vfi::ui {

FirstRunDialog::FirstRunDialog(const AppSettings& settings, QWidget* parent)
    : QDialog(parent), m_settings(settings), m_error(new QLabel(this)) {
    setWindowTitle(tr("Model checkpoint needed"));
    auto* text = new QLabel(this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setOpenExternalLinks(true);
    text->setText(tr("<p>TLBVFI Studio generates the in-between frames with the TLB-VFI diffusion model. Its "
                     "trained weights are the file <b>vimeo_unet.pth</b> (about 3.6 GB), published by the "
                     "authors on Hugging Face in the repository <b>ucfzl/TLBVFI</b> "
                     "(<a href=\"https://huggingface.co/ucfzl/TLBVFI\">huggingface.co/ucfzl/TLBVFI</a>).</p>"
                     "<p>Download it here (it is stored in your user data folder and checked before it is used), or "
                     "choose a copy you already have. You can change it later in the settings.</p>"
                     "<p>Without the model you can still try the app with the <b>blend preview mode</b>: it "
                     "averages neighbouring frames. It is fast but it is <b>not AI interpolation</b> and "
                     "moving objects will look doubled.</p>"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #cf222e"));
    m_download = new QPushButton(tr("Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)"), this);
    m_download->setDefault(true);
    auto* buttons = new QDialogButtonBox(this);
    auto* choose = buttons->addButton(tr("Choose vimeo_unet.pth…"), QDialogButtonBox::AcceptRole);
    auto* blend = buttons->addButton(tr("Use blend preview (not AI)"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_download);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    disconnect(buttons, nullptr, this, nullptr);
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Choose the TLB-VFI checkpoint"), QString(),
                                                       tr("PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)"));
        if (!f.isEmpty() && chooseCheckpoint(f)) accept();
    });
    connect(m_download, &QPushButton::clicked, this, [this] { startDownload(); });
    connect(blend, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Blend;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(520);
    keepTextUncut(this);
}

ModelDownloadDialog* FirstRunDialog::startDownload() {
    auto* dlg = new ModelDownloadDialog(downloadOptionsFor(m_settings), m_settings.modelSha256, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &ModelDownloadDialog::succeeded, this, [this](const QString& path, const QString& sha) {
        m_error->clear();
        m_choice = Choice::Checkpoint;
        m_path = path;
        m_sha = sha;
    });
    // Closing the download window after a success (it shows the hash) finishes the first run.
    connect(dlg, &QDialog::accepted, this, [this] {
        if (m_choice == Choice::Checkpoint) accept();
    });
    dlg->open();
    dlg->start();
    return dlg;
}

bool FirstRunDialog::chooseCheckpoint(const QString& path) {
    const QString err = validateCheckpoint(path);
    m_error->setText(err);
    keepTextUncut(this);
    if (!err.isEmpty()) return false;
    m_choice = Choice::Checkpoint;
    m_path = path;
    const auto record = readModelRecord(path.toStdString());
    m_sha = record ? QString::fromStdString(record->sha256) : QString();
    return true;
}

}  // namespace vfi::ui
