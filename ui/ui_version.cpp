// Placeholder translation unit until the GUI lands (issue 4).
namespace vfi::ui {
const char* uiVersion() { return "0.1.0"; }
}  // namespace vfi::ui
