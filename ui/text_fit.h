// Windows whose wrapped labels change text at run time (errors, download status). A top-level
// layout's minimum size ignores height-for-width, so a label that gains lines is squeezed and its
// text drawn over the widgets below it; this keeps the window at least as tall as its layout needs
// for the current width, also after the user resizes it. GUI thread only.
#pragma once

class QWidget;

namespace vfi::ui {

// Installs the guard on `window` (once) and applies it now; call after changing a label's text.
void keepTextUncut(QWidget* window);

}  // namespace vfi::ui
