#include "ui/first_run_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/app_settings.h"
#include "ui/text_fit.h"

namespace vfi::ui {

FirstRunDialog::FirstRunDialog(QWidget* parent) : QDialog(parent), m_error(new QLabel(this)) {
    setWindowTitle(tr("Model checkpoint needed"));
    auto* text = new QLabel(this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setOpenExternalLinks(true);
    text->setText(tr("<p>TLBVFI Studio generates the in-between frames with the TLB-VFI diffusion model. Its "
                     "trained weights are the file <b>vimeo_unet.pth</b> (about 3.6 GB), published by the "
                     "authors on Hugging Face in the repository <b>ucfzl/TLBVFI</b> "
                     "(<a href=\"https://huggingface.co/ucfzl/TLBVFI\">huggingface.co/ucfzl/TLBVFI</a>).</p>"
                     "<p>Download it once, then choose the file here. You can change it later in the settings.</p>"
                     "<p>Without the model you can still try the app with the <b>blend preview mode</b>: it "
                     "averages neighbouring frames. It is fast but it is <b>not AI interpolation</b> and "
                     "moving objects will look doubled.</p>"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #cf222e"));
    auto* buttons = new QDialogButtonBox(this);
    auto* choose = buttons->addButton(tr("Choose vimeo_unet.pth…"), QDialogButtonBox::AcceptRole);
    auto* blend = buttons->addButton(tr("Use blend preview (not AI)"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    disconnect(buttons, nullptr, this, nullptr);
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Choose the TLB-VFI checkpoint"), QString(),
                                                       tr("PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)"));
        if (!f.isEmpty() && chooseCheckpoint(f)) accept();
    });
    connect(blend, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Blend;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(520);
    keepTextUncut(this);
}

bool FirstRunDialog::chooseCheckpoint(const QString& path) {
    const QString err = validateCheckpoint(path);
    m_error->setText(err);
    keepTextUncut(this);
    if (!err.isEmpty()) return false;
    m_choice = Choice::Checkpoint;
    m_path = path;
    return true;
}

}  // namespace vfi::ui
