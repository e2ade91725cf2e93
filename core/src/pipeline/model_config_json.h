// TLB-VFI configuration from JSON (the format of shared/golden/tiny-config.json): a bare section
// {"vqgan":{...},"bb":{...},"unet":{...}} or a file of named sections ({"official":{...},"tiny":{...}}).
// Kept out of vfi_model, which builds with LibTorch alone. Missing fields keep the official values;
// fields the C++ model hard-codes (dims 3, objective BB, ...) are accepted only with the official value.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/model_config.h"
#include "vfi/result.h"

namespace vfi::pipeline {

struct NamedModelConfig {
    std::string name;             // section name; "" for a bare section
    model::TlbvfiConfig config;
};

// All sections of a JSON text, in file order. `source` names the file in messages.
// Errors: ErrorCode::InvalidArgument naming the file and the field ("tiny.vqgan.ddconfig.ch: expected
// a positive integer").
Result<std::vector<NamedModelConfig>> parseModelConfigSections(const std::string& text, const std::string& source);

// Reads `path`; "PATH#SECTION" selects one section. Without a section every section is returned
// (the interpolator then uses the first whose shapes match the checkpoint).
// Errors: ErrorCode::InputNotFound / Io for the file, InvalidArgument for content or unknown section.
Result<std::vector<NamedModelConfig>> loadModelConfigFile(const std::string& pathWithSection);

// Exactly one section (the named one, or the only one): what model-check and benchmarks need.
Result<model::TlbvfiConfig> loadModelConfig(const std::string& pathWithSection);

}  // namespace vfi::pipeline
