#include "ui/encode_options_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QRegularExpression>
#include <QSpinBox>

#include "vfi/encoders.h"

namespace vfi::ui {
namespace {

// What an empty encoder resolves to for 8-bit sources (encoder_table.h); its terms stand for
// "Automatic" in the quality and preset boxes.
constexpr const char* kAutomaticEncoder = "libx264";

const EncoderInfo* findInfo(const QString& name) {
    static const std::vector<EncoderInfo> all = allEncoders();
    const std::string n = (name.isEmpty() ? QString::fromLatin1(kAutomaticEncoder) : name).toStdString();
    for (const EncoderInfo& e : all)
        if (e.name == n) return &e;
    return nullptr;
}

QString encoderLabel(const QString& name) {
    if (name == QLatin1String("libx264")) return EncodeOptionsEditor::tr("H.264 (x264)");
    if (name == QLatin1String("libx265")) return EncodeOptionsEditor::tr("HEVC (x265)");
    if (name == QLatin1String("h264_nvenc")) return EncodeOptionsEditor::tr("H.264 (NVIDIA NVENC, GPU)");
    if (name == QLatin1String("hevc_nvenc")) return EncodeOptionsEditor::tr("HEVC (NVIDIA NVENC, GPU)");
    if (name == QLatin1String("ffv1")) return EncodeOptionsEditor::tr("FFV1 (lossless, .mkv)");
    if (name == QLatin1String("prores_ks")) return EncodeOptionsEditor::tr("ProRes (.mov)");
    return name;
}

QString pixFmtLabel(const QString& f) {
    if (f == QLatin1String("yuv420p")) return EncodeOptionsEditor::tr("4:2:0, 8-bit (yuv420p)");
    if (f == QLatin1String("yuv422p")) return EncodeOptionsEditor::tr("4:2:2, 8-bit (yuv422p)");
    if (f == QLatin1String("yuv444p")) return EncodeOptionsEditor::tr("4:4:4, 8-bit (yuv444p)");
    if (f == QLatin1String("yuv420p10le") || f == QLatin1String("p010le"))
        return EncodeOptionsEditor::tr("4:2:0, 10-bit (%1)").arg(f);
    if (f == QLatin1String("yuv422p10le")) return EncodeOptionsEditor::tr("4:2:2, 10-bit (yuv422p10le)");
    if (f == QLatin1String("yuv444p10le")) return EncodeOptionsEditor::tr("4:4:4, 10-bit (yuv444p10le)");
    if (f == QLatin1String("gbrp10le")) return EncodeOptionsEditor::tr("RGB, 10-bit (gbrp10le)");
    if (f.startsWith(QLatin1String("gray"))) return EncodeOptionsEditor::tr("Greyscale (%1)").arg(f);
    return f;
}

const char* const kProResProfiles[] = {"Proxy", "LT", "422", "422 HQ", "4444", "4444 XQ"};

// Quality in the encoder's own terms. -1 is "the encoder's default"; FFV1 has no setting at all.
class QualitySpinBox : public QSpinBox {
public:
    explicit QualitySpinBox(QWidget* parent) : QSpinBox(parent) {}

    void setEncoder(const EncoderInfo* info) {
        m_info = info;
        const bool lossless = !info || info->qualityName.empty();
        setEnabled(!lossless);
        setRange(-1, lossless ? -1 : info->qualityMax);
        setToolTip(tooltip());
        updateGeometry();
    }

protected:
    QString textFromValue(int v) const override {
        if (!m_info || m_info->qualityName.empty()) return EncodeOptionsEditor::tr("Lossless (no quality setting)");
        if (v < 0) return EncodeOptionsEditor::tr("Encoder default: %1").arg(describe(m_info->qualityDefault));
        return describe(v);
    }
    int valueFromText(const QString& text) const override {
        static const QRegularExpression number(QStringLiteral("(\\d+)"));
        if (text.startsWith(textFromValue(-1).left(8))) return -1;
        const auto m = number.match(text);
        return m.hasMatch() ? std::clamp(m.captured(1).toInt(), minimum(), maximum()) : -1;
    }
    QValidator::State validate(QString& text, int&) const override {
        return text.contains(QRegularExpression(QStringLiteral("\\d"))) || text == textFromValue(-1) ? QValidator::Acceptable
                                                                                                    : QValidator::Intermediate;
    }

private:
    QString describe(int v) const {
        if (m_info->qualityName == "profile")
            return EncodeOptionsEditor::tr("Profile %1: %2").arg(v).arg(QLatin1String(kProResProfiles[std::clamp(v, 0, 5)]));
        // Lower is better and larger. The encoder table's default is the level where differences stop
        // being visible on normal viewing (x264 CRF 18, x265 CRF 20); ten above it, they show.
        const int d = m_info->qualityDefault;
        QString what;
        if (v < d) what = EncodeOptionsEditor::tr("larger files");
        else if (v == d) what = EncodeOptionsEditor::tr("visually lossless");
        else if (v < d + 10) what = EncodeOptionsEditor::tr("smaller files");
        else what = EncodeOptionsEditor::tr("small files, visible loss");
        const QString name = m_info->qualityName == "crf" ? QStringLiteral("CRF") : QStringLiteral("QP");
        return QStringLiteral("%1 %2 (%3)").arg(name).arg(v).arg(what);
    }
    QString tooltip() const {
        if (!m_info || m_info->qualityName.empty()) return EncodeOptionsEditor::tr("FFV1 is lossless: every frame is kept exactly.");
        if (m_info->qualityName == "profile")
            return EncodeOptionsEditor::tr("ProRes profile: Proxy (0) to 4444 XQ (5); 422 HQ (3) is the usual master.");
        return EncodeOptionsEditor::tr("%1 %2 to %3: lower keeps more detail and makes larger files. %4 is visually "
                                       "lossless; about %5 is where losses start to show.")
            .arg(m_info->qualityName == "crf" ? QStringLiteral("CRF") : QStringLiteral("QP"))
            .arg(m_info->qualityMin).arg(m_info->qualityMax).arg(m_info->qualityDefault).arg(m_info->qualityDefault + 10);
    }

    const EncoderInfo* m_info = nullptr;
};

}  // namespace

EncodeOptionsEditor::EncodeOptionsEditor(QWidget* parent)
    : QObject(parent), m_encoder(new QComboBox(parent)), m_quality(new QualitySpinBox(parent)),
      m_preset(new QComboBox(parent)), m_pixFmt(new QComboBox(parent)) {
    m_encoder->addItem(tr("Automatic (x264, x265 for 10-bit)"), QString());
    for (const EncoderInfo& e : usableEncoders()) {
        const QString name = QString::fromStdString(e.name);
        m_encoder->addItem(encoderLabel(name), name);
    }
    m_encoder->setToolTip(tr("Hardware encoders are listed when this machine can open them."));
    m_preset->setToolTip(tr("Slower presets make smaller files at the same quality; the frames look the same."));
    connect(m_encoder, &QComboBox::currentIndexChanged, this, [this] {
        encoderChanged();
        if (!m_loading) emit changed();
    });
    for (QObject* w : {static_cast<QObject*>(m_preset), static_cast<QObject*>(m_pixFmt)})
        connect(static_cast<QComboBox*>(w), &QComboBox::currentIndexChanged, this, [this] {
            if (!m_loading) emit changed();
        });
    connect(m_quality, &QSpinBox::valueChanged, this, [this] {
        if (!m_loading) emit changed();
    });
    encoderChanged();
}

void EncodeOptionsEditor::addRows(QFormLayout* form) {
    form->addRow(tr("Encoder"), m_encoder);
    form->addRow(tr("Quality"), m_quality);
    form->addRow(tr("Encoder speed"), m_preset);
    form->addRow(tr("Pixel format"), m_pixFmt);
}

void EncodeOptionsEditor::encoderChanged() {
    const QString name = m_encoder->currentData().toString();
    const EncoderInfo* info = findInfo(name);
    const int quality = m_quality->value();
    const QString preset = m_preset->currentData().toString();
    const QString pixFmt = m_pixFmt->currentData().toString();
    const bool was = m_loading;
    m_loading = true;

    static_cast<QualitySpinBox*>(m_quality)->setEncoder(info);
    m_quality->setValue(info && quality <= info->qualityMax && quality >= info->qualityMin ? quality : -1);

    m_preset->clear();
    if (info && !info->presets.empty()) {
        m_preset->addItem(tr("Encoder default (%1)").arg(QString::fromStdString(info->defaultPreset)), QString());
        for (size_t i = 0; i < info->presets.size(); ++i) {
            const QString p = QString::fromStdString(info->presets[i]);
            QString label = p;
            if (i == 0) label = tr("%1 (fastest, largest files)").arg(p);
            else if (i + 1 == info->presets.size()) label = tr("%1 (slowest, smallest files)").arg(p);
            m_preset->addItem(label, p);
        }
    } else {
        m_preset->addItem(tr("None for this encoder"), QString());
    }
    m_preset->setEnabled(m_preset->count() > 1);
    m_preset->setCurrentIndex(std::max(0, m_preset->findData(preset)));

    m_pixFmt->clear();
    m_pixFmt->addItem(tr("Automatic (from the source)"), QString());
    if (info)
        for (const std::string& f : info->pixFmts) m_pixFmt->addItem(pixFmtLabel(QString::fromStdString(f)), QString::fromStdString(f));
    m_pixFmt->setCurrentIndex(std::max(0, m_pixFmt->findData(pixFmt)));
    m_loading = was;
}

void EncodeOptionsEditor::setOptions(const EncodeOptions& o) {
    m_loading = true;
    const QString encoder = QString::fromStdString(o.encoder);
    if (m_encoder->findData(encoder) < 0)   // saved on a machine that has it (e.g. NVENC)
        m_encoder->addItem(tr("%1 (not available here)").arg(encoderLabel(encoder)), encoder);
    m_encoder->setCurrentIndex(std::max(0, m_encoder->findData(encoder)));
    encoderChanged();
    m_quality->setValue(o.quality);
    m_preset->setCurrentIndex(std::max(0, m_preset->findData(QString::fromStdString(o.preset))));
    m_pixFmt->setCurrentIndex(std::max(0, m_pixFmt->findData(QString::fromStdString(o.pixFmt))));
    m_loading = false;
}

EncodeOptions EncodeOptionsEditor::options() const {
    EncodeOptions o;
    o.encoder = m_encoder->currentData().toString().toStdString();
    o.quality = m_quality->value();
    o.preset = m_preset->currentData().toString().toStdString();
    o.pixFmt = m_pixFmt->currentData().toString().toStdString();
    return o;
}

}  // namespace vfi::ui
