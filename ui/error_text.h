// Maps core errors (code + arguments, see vfi/result.h) and states to translated text.
// The core's English `message` is only a fallback for codes without a template.
#pragma once

#include <QString>

#include "vfi/job_state.h"
#include "vfi/result.h"

namespace vfi::ui {

QString errorText(const Error& error);
QString errorText(ErrorCode code, const QStringList& args, const QString& englishFallback);
QString stateText(JobState state);
// The short note a row paused by a full disk shows after "Paused – ": "disk full (12 MiB free, 40 MiB
// needed)", from a DiskFull error's args (path, bytes needed, bytes free; needed may be empty).
QString diskFullNote(const QStringList& diskFullArgs);

}  // namespace vfi::ui
