#include "ui/output_presets.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSettings>

#include "ui/encode_options_editor.h"
#include "vfi/encoders.h"

namespace vfi::ui {
namespace {

const QString kUserKey = QStringLiteral("presets/user");

EncodeOptions encode(const char* encoder, int quality, const char* preset, const char* pixFmt) {
    EncodeOptions o;
    o.encoder = encoder;
    o.quality = quality;
    o.preset = preset;
    o.pixFmt = pixFmt;
    return o;
}

bool usable(const std::string& encoder) {
    for (const EncoderInfo& e : usableEncoders())
        if (e.name == encoder) return true;
    return encoder.empty();
}

}  // namespace

// -1 and "" stand for the encoder's default quality and preset: spelled out, so that "CRF 18" and
// "x264's default" are one choice.
static EncodeOptions normalized(EncodeOptions o) {
    for (const EncoderInfo& e : allEncoders()) {
        if (e.name != o.encoder) continue;
        if (o.quality < 0) o.quality = e.qualityDefault;
        if (o.preset.empty()) o.preset = e.defaultPreset;
    }
    return o;
}

bool sameEncode(const EncodeOptions& a, const EncodeOptions& b) {
    const EncodeOptions x = normalized(a), y = normalized(b);
    return x.encoder == y.encoder && x.quality == y.quality && x.preset == y.preset && x.pixFmt == y.pixFmt;
}

QList<OutputPreset> builtInPresets() {
    const QList<OutputPreset> all = {
        {PresetChooser::tr("H.264, visually lossless"), true, encode("libx264", 18, "", "")},
        {PresetChooser::tr("4K HEVC 10-bit"), true, encode("libx265", 20, "slow", "yuv420p10le")},
        {PresetChooser::tr("Lossless FFV1"), true, encode("ffv1", -1, "", "")},
        {PresetChooser::tr("ProRes 422 HQ (editing)"), true, encode("prores_ks", 3, "", "yuv422p10le")},
        {PresetChooser::tr("HEVC 10-bit on the GPU (NVENC)"), true, encode("hevc_nvenc", 22, "", "p010le")},
    };
    QList<OutputPreset> out;
    for (const OutputPreset& p : all)
        if (usable(p.encode.encoder)) out << p;
    return out;
}

QList<OutputPreset> userPresets() {
    QList<OutputPreset> out;
    const QJsonArray arr = QJsonDocument::fromJson(QSettings().value(kUserKey).toString().toUtf8()).array();
    for (const QJsonValue& v : arr) {
        const QJsonObject o = v.toObject();
        OutputPreset p;
        p.name = o.value(QStringLiteral("name")).toString();
        p.encode.encoder = o.value(QStringLiteral("encoder")).toString().toStdString();
        p.encode.quality = o.value(QStringLiteral("quality")).toInt(-1);
        p.encode.preset = o.value(QStringLiteral("preset")).toString().toStdString();
        p.encode.pixFmt = o.value(QStringLiteral("pixFmt")).toString().toStdString();
        if (!p.name.isEmpty()) out << p;
    }
    return out;
}

static void saveAll(const QList<OutputPreset>& presets) {
    QJsonArray arr;
    for (const OutputPreset& p : presets) {
        QJsonObject o;
        o[QStringLiteral("name")] = p.name;
        o[QStringLiteral("encoder")] = QString::fromStdString(p.encode.encoder);
        o[QStringLiteral("quality")] = p.encode.quality;
        o[QStringLiteral("preset")] = QString::fromStdString(p.encode.preset);
        o[QStringLiteral("pixFmt")] = QString::fromStdString(p.encode.pixFmt);
        arr.append(o);
    }
    QSettings s;
    s.setValue(kUserKey, QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact)));
    s.sync();
}

void saveUserPreset(const OutputPreset& preset) {
    QList<OutputPreset> all = userPresets();
    bool replaced = false;
    for (OutputPreset& p : all)
        if (p.name == preset.name) {
            p = preset;
            replaced = true;
        }
    if (!replaced) all << preset;
    saveAll(all);
}

void removeUserPreset(const QString& name) {
    QList<OutputPreset> all = userPresets();
    all.erase(std::remove_if(all.begin(), all.end(), [&](const OutputPreset& p) { return p.name == name; }), all.end());
    saveAll(all);
}

PresetChooser::PresetChooser(EncodeOptionsEditor* editor, QWidget* parent)
    : QWidget(parent), m_editor(editor), m_box(new QComboBox(this)), m_save(new QPushButton(tr("Save as…"), this)),
      m_remove(new QPushButton(tr("Delete"), this)) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_box, 1);
    row->addWidget(m_save);
    row->addWidget(m_remove);
    m_box->setToolTip(tr("Saved output settings: encoder, quality, speed and pixel format."));
    m_remove->setToolTip(tr("Delete this saved preset"));
    connect(m_box, &QComboBox::activated, this, [this] {
        if (!m_box->currentData().toString().isEmpty()) choose(m_box->currentData().toString());
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save preset"), tr("Name of the preset:"), QLineEdit::Normal,
                                                   current(), &ok);
        if (ok) saveCurrentAs(name.trimmed());
    });
    connect(m_remove, &QPushButton::clicked, this, &PresetChooser::removeCurrent);
    connect(editor, &EncodeOptionsEditor::changed, this, &PresetChooser::refresh);
    reload();
}

void PresetChooser::reload() {
    m_presets = builtInPresets() + userPresets();
    m_box->clear();
    m_box->addItem(tr("Custom"), QString());
    for (const OutputPreset& p : m_presets) m_box->addItem(p.builtIn ? p.name : tr("%1 (saved)").arg(p.name), p.name);
    refresh();
}

void PresetChooser::refresh() {
    if (m_applying) return;
    const EncodeOptions now = m_editor->options();
    QString match;
    for (const OutputPreset& p : m_presets)
        if (sameEncode(p.encode, now)) {
            match = p.name;
            break;
        }
    m_box->setCurrentIndex(std::max(0, m_box->findData(match)));
    bool builtIn = true;
    for (const OutputPreset& p : m_presets)
        if (p.name == match) builtIn = p.builtIn;
    m_remove->setEnabled(!match.isEmpty() && !builtIn);
}

QString PresetChooser::current() const { return m_box->currentData().toString(); }

bool PresetChooser::choose(const QString& name) {
    for (const OutputPreset& p : m_presets) {
        if (p.name != name) continue;
        m_applying = true;
        m_editor->setOptions(p.encode);
        m_applying = false;
        refresh();
        return true;
    }
    return false;
}

bool PresetChooser::saveCurrentAs(const QString& name) {
    if (name.isEmpty()) return false;
    for (const OutputPreset& p : builtInPresets())
        if (p.name == name) return false;
    saveUserPreset({name, false, m_editor->options()});
    reload();
    return true;
}

void PresetChooser::removeCurrent() {
    const QString name = current();
    for (const OutputPreset& p : m_presets)
        if (p.name == name && !p.builtIn) {
            removeUserPreset(name);
            reload();
            return;
        }
}

}  // namespace vfi::ui
