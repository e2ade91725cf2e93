// vfi::createTlbvfiInterpolator (frame_interpolator.h): the JSON config (ModelOptions::configPath,
// "PATH" or "PATH#SECTION") is parsed here because vfi_model builds with LibTorch alone.
#include "model/tlbvfi_interpolator.h"
#include "pipeline/model_config_json.h"
#include "vfi/frame_interpolator.h"

namespace vfi {

Result<std::unique_ptr<FrameInterpolator>> createTlbvfiInterpolator(const ModelOptions& options) {
    std::vector<model::ConfigCandidate> candidates;
    if (!options.configPath.empty()) {
        VFI_TRY(model::validateModelOptions(options));
        VFI_ASSIGN_OR_RETURN(auto sections, pipeline::loadModelConfigFile(options.configPath));
        for (auto& s : sections) candidates.push_back({s.name, std::move(s.config)});
    }
    return model::createTlbvfiInterpolator(options, std::move(candidates));
}

}  // namespace vfi
