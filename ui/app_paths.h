// Files the GUI keeps besides its settings (which hold the queue), in a folder named after the
// QSettings file, so a run with its own settings location (tests, XDG_CONFIG_HOME) has its own: one
// log per job (logs/job-<id>.log). GUI thread only.
#pragma once

#include <QString>

namespace vfi::ui {

QString appStateDir();              // "<settings file without extension>/", created on first use
QString jobLogPath(qint64 jobId);

}  // namespace vfi::ui
