#include "ui/app_version.h"

namespace vfi::ui {
const char* uiVersion() { return VFI_UI_VERSION; }
}  // namespace vfi::ui
