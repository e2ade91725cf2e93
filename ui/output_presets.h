// Named output settings (encoder, quality, speed, pixel format): built-in ones ("4K HEVC 10-bit",
// "Lossless FFV1", ...; only those whose encoder works here) and the user's own, saved in the
// settings (group "presets"). PresetChooser is the row that picks one into an EncodeOptionsEditor
// (Settings, for the defaults; Job settings, for one job), saves the current values under a name and
// deletes a saved one; it shows "Custom" when the values match no preset. GUI thread only.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include "vfi/job_settings.h"

class QComboBox;
class QPushButton;

namespace vfi::ui {

class EncodeOptionsEditor;

struct OutputPreset {
    QString name;
    bool builtIn = false;
    EncodeOptions encode;
};

QList<OutputPreset> builtInPresets();
QList<OutputPreset> userPresets();
void saveUserPreset(const OutputPreset& preset);   // replaces a saved preset of the same name
void removeUserPreset(const QString& name);
bool sameEncode(const EncodeOptions& a, const EncodeOptions& b);

class PresetChooser : public QWidget {
    Q_OBJECT
public:
    PresetChooser(EncodeOptionsEditor* editor, QWidget* parent = nullptr);
    QString current() const;                  // the matching preset's name, "" for custom values
    bool choose(const QString& name);         // applies a preset to the editor
    bool saveCurrentAs(const QString& name);  // false for an empty name or a built-in one
    void removeCurrent();                     // a saved one only
    QComboBox* box() const { return m_box; }
    void refresh();                           // after the editor's values were set from outside

private:
    void reload();

    EncodeOptionsEditor* m_editor;
    QComboBox* m_box;
    QPushButton* m_save;
    QPushButton* m_remove;
    QList<OutputPreset> m_presets;
    bool m_applying = false;
};

}  // namespace vfi::ui
