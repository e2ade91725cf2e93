// Screenshot mode of tlbvfi-studio (--screenshot DIR): runs the queued files with the current
// defaults and saves PNGs of the main window, the before/after view, the settings dialog (Model and
// Output tabs), the first-run dialog and the model download window (a progress report fed to it, no
// network) into DIR, then quits. Used by scripts/screenshots.sh for docs/screenshots.
#pragma once

#include <QString>

namespace vfi::ui {

class MainWindow;
void takeScreenshots(MainWindow* window, const QString& dir, const QString& suffix);

}  // namespace vfi::ui
