// Loads the application's translation (embedded :/i18n/tlbvfi_<lang>.qm) and Qt's own (qtbase_<lang>
// from the Qt installation, for standard dialogs). Call before creating widgets.
#pragma once

#include <QString>

class QCoreApplication;

namespace vfi::ui {

// language: "en", "ko", or "" for the system locale. Returns the language actually loaded ("en" when
// nothing matched). Replaces translators installed by an earlier call.
QString installTranslations(const QString& language);

}  // namespace vfi::ui
