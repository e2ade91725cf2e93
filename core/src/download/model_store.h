// Internal side of the model store (vfi/model_download.h has the public part): writing the record
// that sits next to an installed model.
#pragma once

#include <string>

#include "vfi/model_download.h"

namespace vfi::download {

// Writes `<modelPath>.json` atomically.
Status writeModelRecord(const std::string& modelPath, const ModelRecord& record);
// The current time, UTC, ISO 8601 ("2026-05-01T12:00:00Z").
std::string utcNow();

}  // namespace vfi::download
