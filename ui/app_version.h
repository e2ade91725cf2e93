#pragma once

namespace vfi::ui {
const char* uiVersion();   // the project version (CMake PROJECT_VERSION)
}  // namespace vfi::ui
