// vfi::createTlbvfiInterpolator (frame_interpolator.h): the JSON config (ModelOptions::configPath,
// "PATH" or "PATH#SECTION") is parsed here because vfi_model builds with LibTorch alone. The model
// itself is in libvfi_model, loaded on first use (pipeline/model_library_loader.h).
#include "pipeline/model_config_json.h"
#include "pipeline/model_library_loader.h"
#include "vfi/frame_interpolator.h"

namespace vfi {

Result<std::unique_ptr<FrameInterpolator>> createTlbvfiInterpolator(const ModelOptions& options) {
    VFI_ASSIGN_OR_RETURN(const model::LibraryApi* library, pipeline::modelLibrary());
    std::vector<model::ConfigCandidate> candidates;
    if (!options.configPath.empty()) {
        VFI_TRY(library->validateModelOptions(options));
        VFI_ASSIGN_OR_RETURN(auto sections, pipeline::loadModelConfigFile(options.configPath));
        for (auto& s : sections) candidates.push_back({s.name, std::move(s.config)});
    }
    return library->createTlbvfiInterpolator(options, std::move(candidates));
}

}  // namespace vfi
