#include "ui/model_download_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/app_settings.h"
#include "ui/error_text.h"
#include "ui/text_fit.h"

namespace vfi::ui {

ModelDownloadOptions downloadOptionsFor(const AppSettings& s) {
    ModelDownloadOptions o;
    if (!s.modelUrl.trimmed().isEmpty()) o.url = s.modelUrl.trimmed().toStdString();
    o.configPath = s.modelConfig.toStdString();
    return o;
}

QString byteSizeText(qint64 bytes) {
    const double b = static_cast<double>(bytes);
    if (b >= 1024.0 * 1024 * 1024) return ModelDownloadDialog::tr("%1 GiB").arg(b / (1024.0 * 1024 * 1024), 0, 'f', 2);
    if (b >= 1024.0 * 1024) return ModelDownloadDialog::tr("%1 MiB").arg(b / (1024.0 * 1024), 0, 'f', 1);
    return ModelDownloadDialog::tr("%1 KiB").arg(std::ceil(b / 1024.0), 0, 'f', 0);
}

QString speedText(double bytesPerSecond) {
    if (bytesPerSecond <= 0) return QString();
    return ModelDownloadDialog::tr("%1/s").arg(byteSizeText(static_cast<qint64>(bytesPerSecond)));
}

QString etaText(double seconds) {
    if (seconds < 0 || !std::isfinite(seconds)) return QString();
    const qint64 s = static_cast<qint64>(std::ceil(seconds));
    if (s < 60) return ModelDownloadDialog::tr("about %1 s left").arg(s);
    if (s < 3600) return ModelDownloadDialog::tr("about %1 min left").arg((s + 30) / 60);
    return ModelDownloadDialog::tr("about %1 h %2 min left").arg(s / 3600).arg((s % 3600) / 60);
}

namespace {

// A retry reason of the downloader in the UI's language where it is a common one.
QString reasonText(const QString& r) {
    static const QRegularExpression ended(QStringLiteral("^the connection ended at (\\d+) of (\\d+) bytes$"));
    static const QRegularExpression status(QStringLiteral("^the server answered HTTP (\\d+)$"));
    if (const auto m = ended.match(r); m.hasMatch())
        return ModelDownloadDialog::tr("the connection ended at %1 of %2")
            .arg(byteSizeText(m.captured(1).toLongLong()), byteSizeText(m.captured(2).toLongLong()));
    if (const auto m = status.match(r); m.hasMatch()) return ModelDownloadDialog::tr("the server answered HTTP %1").arg(m.captured(1));
    return r;
}

}  // namespace

QString downloadErrorText(const Error& error) {
    if (error.code != ErrorCode::Network || error.args.size() < 2) return errorText(error);
    // The core's reasons are English; the common ones are said in the UI's language.
    const QString url = QString::fromStdString(error.args[0]);
    QString why = QString::fromStdString(error.args[1]);
    static const QRegularExpression notFound(QStringLiteral("^the server answered HTTP (\\d+) \\(not found\\): check the URL$"));
    static const QRegularExpression html(QStringLiteral("^the server sent an HTML page \\(Content-Type ([^)]*)\\)"));
    static const QRegularExpression gaveUp(
        QStringLiteral("^(.*) \\(gave up after (\\d+) attempts in a row without progress(?:; (.*) kept in (.*), the next download continues from there)?\\)$"));
    if (const auto m = notFound.match(why); m.hasMatch()) {
        why = ModelDownloadDialog::tr("the server answered HTTP %1 (not found): check the URL").arg(m.captured(1));
    } else if (const auto m = html.match(why); m.hasMatch()) {
        why = ModelDownloadDialog::tr("the server sent a web page (%1) instead of the model file: the URL is probably a page, not the "
                                      "file itself").arg(m.captured(1));
    } else if (const auto m = gaveUp.match(why); m.hasMatch()) {
        why = ModelDownloadDialog::tr("%1; gave up after %2 attempts in a row without progress").arg(reasonText(m.captured(1)), m.captured(2));
        if (!m.captured(3).isEmpty())
            why += QStringLiteral(". ") + ModelDownloadDialog::tr("%1 are kept in %2; the next download continues from there")
                                               .arg(m.captured(3), QDir::toNativeSeparators(m.captured(4)));
    } else {
        why = reasonText(why);
    }
    return errorText(ErrorCode::Network, {url, why}, QString::fromStdString(error.message));
}

ModelDownloadDialog::ModelDownloadDialog(ModelDownloadOptions options, QString rememberedSha256, QWidget* parent)
    : QDialog(parent), m_options(std::move(options)), m_remembered(std::move(rememberedSha256)), m_what(new QLabel(this)),
      m_bar(new QProgressBar(this)), m_detail(new QLabel(this)), m_note(new QLabel(this)), m_result(new QLabel(this)) {
    setWindowTitle(tr("Downloading the TLB-VFI model"));
    const QString folder = QDir::toNativeSeparators(
        QString::fromStdString(m_options.targetDir.empty() ? defaultModelDir() : m_options.targetDir));
    const QUrl url(QString::fromStdString(m_options.url));
    m_what->setText(tr("%1 from %2\ninto %3")
                        .arg(QString::fromStdString(m_options.fileName), url.host().isEmpty() ? url.toString() : url.host(), folder));
    m_what->setToolTip(url.toString());
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_bar->setTextVisible(false);
    for (QLabel* l : {m_what, m_detail, m_note, m_result}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_note->setStyleSheet(QStringLiteral("color: #9a6700"));
    m_note->setVisible(false);
    m_result->setVisible(false);
    auto* buttons = new QDialogButtonBox(this);
    m_retry = buttons->addButton(tr("Try again"), QDialogButtonBox::ActionRole);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_retry->setVisible(false);
    m_close->setVisible(false);
    disconnect(buttons, nullptr, this, nullptr);
    connect(m_cancel, &QPushButton::clicked, this, &ModelDownloadDialog::reject);
    connect(m_retry, &QPushButton::clicked, this, &ModelDownloadDialog::start);
    connect(m_close, &QPushButton::clicked, this, [this] {
        if (m_state == State::Succeeded) accept();
        else QDialog::reject();
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_what);
    layout->addWidget(m_bar);
    layout->addWidget(m_detail);
    layout->addWidget(m_note);
    layout->addWidget(m_result);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(560);
    keepTextUncut(this);
}

void ModelDownloadDialog::start() {
    if (m_state == State::Running || m_state == State::Cancelling) return;
    delete m_task;
    m_task = new ModelDownloadTask(m_options, this);
    connect(m_task, &ModelDownloadTask::progressed, this, &ModelDownloadDialog::showProgress);
    connect(m_task, &ModelDownloadTask::finished, this, &ModelDownloadDialog::finish);
    m_state = State::Running;
    m_outcome = {};
    m_bar->setRange(0, 0);   // busy until the size is known
    m_detail->setText(tr("Connecting…"));
    m_note->setVisible(false);
    m_result->setVisible(false);
    m_retry->setVisible(false);
    m_close->setVisible(false);
    m_cancel->setVisible(true);
    m_cancel->setEnabled(true);
    m_cancel->setText(tr("Cancel"));
    keepTextUncut(this);
    m_task->start();
}

void ModelDownloadDialog::showProgress(const DownloadProgress& p) {
    if (m_state != State::Running && m_state != State::Idle) return;
    auto setBar = [this](int64_t done, int64_t total) {
        if (total <= 0) {
            m_bar->setRange(0, 0);
            return;
        }
        m_bar->setRange(0, 1000);
        m_bar->setValue(static_cast<int>(std::clamp<double>(1000.0 * double(done) / double(total), 0, 1000)));
    };
    QString note;
    switch (p.phase) {
    case DownloadPhase::Connecting:
        m_detail->setText(p.attempt > 1 ? tr("Connecting… (attempt %1 of %2)").arg(p.attempt).arg(p.maxAttempts) : tr("Connecting…"));
        if (p.resumedFrom > 0) note = tr("Continuing from %1 already downloaded.").arg(byteSizeText(p.resumedFrom));
        setBar(p.bytesDone, p.bytesTotal);
        break;
    case DownloadPhase::Downloading: {
        QStringList parts;
        parts << (p.bytesTotal > 0 ? tr("%1 of %2").arg(byteSizeText(p.bytesDone), byteSizeText(p.bytesTotal))
                                   : tr("%1 (size not known yet)").arg(byteSizeText(p.bytesDone)));
        if (p.bytesTotal > 0) parts << QStringLiteral("%1 %").arg(100.0 * double(p.bytesDone) / double(p.bytesTotal), 0, 'f', 1);
        if (const QString sp = speedText(p.bytesPerSecond); !sp.isEmpty()) parts << sp;
        if (const QString eta = etaText(p.etaSeconds); !eta.isEmpty()) parts << eta;
        m_detail->setText(parts.join(QStringLiteral(" · ")));
        if (p.resumedFrom > 0) note = tr("Continuing from %1 already downloaded.").arg(byteSizeText(p.resumedFrom));
        setBar(p.bytesDone, p.bytesTotal);
        break;
    }
    case DownloadPhase::Retrying: {
        QString why = reasonText(QString::fromStdString(p.message));
        if (!why.isEmpty()) why[0] = why[0].toUpper();
        note = tr("%1. Trying again in %2 s (attempt %3 of %4).")
                   .arg(why)
                   .arg(std::ceil(p.retryInSeconds), 0, 'f', 0)
                   .arg(p.attempt + 1)
                   .arg(p.maxAttempts);
        break;
    }
    case DownloadPhase::Hashing:
        m_detail->setText(tr("Computing the SHA-256 of the file… %1 of %2").arg(byteSizeText(p.bytesDone), byteSizeText(p.bytesTotal)));
        setBar(p.bytesDone, p.bytesTotal);
        break;
    case DownloadPhase::Verifying:
        m_detail->setText(tr("Checking that the file loads as the TLB-VFI model…"));
        m_bar->setRange(0, 0);
        break;
    case DownloadPhase::Done: break;
    }
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    keepTextUncut(this);
}

void ModelDownloadDialog::finish(const DownloadOutcome& out) {
    m_outcome = out;
    m_cancel->setVisible(false);
    if (!out.ok && out.error.code == ErrorCode::Cancelled) {
        m_state = State::Cancelled;
        QDialog::reject();
        return;
    }
    m_close->setVisible(true);
    m_close->setDefault(true);
    m_result->setVisible(true);
    if (!out.ok) {
        m_state = State::Failed;
        m_bar->setRange(0, 1000);
        m_bar->setValue(0);
        m_detail->setText(tr("The download did not finish."));
        m_note->setVisible(false);
        m_result->setStyleSheet(QStringLiteral("color: #cf222e"));
        m_result->setText(downloadErrorText(out.error));
        m_retry->setVisible(true);
        keepTextUncut(this);
        return;
    }
    m_state = State::Succeeded;
    m_bar->setRange(0, 1000);
    m_bar->setValue(1000);
    const QString sha = QString::fromStdString(out.result.sha256);
    m_detail->setText(out.result.alreadyPresent ? tr("The model was already downloaded; nothing was fetched.")
                                                : tr("Downloaded and checked: %1.").arg(byteSizeText(out.result.bytes)));
    m_result->setStyleSheet(QString());
    m_result->setText(tr("Installed: %1\nSHA-256: %2").arg(QDir::toNativeSeparators(QString::fromStdString(out.result.path)), sha));
    m_result->setMinimumWidth(m_result->fontMetrics().horizontalAdvance(QStringLiteral("SHA-256: ") + sha) + 4);   // 64 digits do not wrap
    QStringList warnings;
    for (const std::string& w : out.result.warnings) warnings << QString::fromStdString(w);
    // The core compares with the record beside the file; the settings remember the hash too, so a
    // file replaced by hand or a deleted record still gets the warning.
    if (!m_remembered.isEmpty() && m_remembered.compare(sha, Qt::CaseInsensitive) != 0 &&
        !warnings.join(QString()).contains(m_remembered, Qt::CaseInsensitive))
        warnings << tr("The SHA-256 differs from the one remembered from an earlier download (%1): the published weights have "
                       "changed, or one of the two files is not the official one.")
                        .arg(m_remembered);
    m_note->setText(warnings.join(QLatin1Char('\n')));
    m_note->setVisible(!warnings.isEmpty());
    keepTextUncut(this);
    emit succeeded(QString::fromStdString(out.result.path), sha);
}

QString ModelDownloadDialog::installedPath() const {
    return m_state == State::Succeeded ? QString::fromStdString(m_outcome.result.path) : QString();
}

QString ModelDownloadDialog::sha256() const {
    return m_state == State::Succeeded ? QString::fromStdString(m_outcome.result.sha256) : QString();
}

QString ModelDownloadDialog::statusText() const {
    QStringList out;
    for (QLabel* l : {m_what, m_detail, m_note, m_result})
        if (!l->isHidden() && !l->text().isEmpty()) out << l->text();
    return out.join(QLatin1Char('\n'));
}

void ModelDownloadDialog::reject() {
    if (m_state == State::Running) {
        m_state = State::Cancelling;
        m_cancel->setEnabled(false);
        m_cancel->setText(tr("Cancelling…"));
        m_task->cancel();
        return;   // finish() closes the window once the worker has stopped
    }
    if (m_state == State::Cancelling) return;
    QDialog::reject();
}

}  // namespace vfi::ui
