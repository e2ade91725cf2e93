#include "model_library.h"

namespace {

// Plain functions rather than the overload set: a function pointer to createTlbvfiInterpolator must
// name one signature.
vfi::Status validate(const vfi::ModelOptions& options) { return vfi::model::validateModelOptions(options); }

vfi::Result<std::unique_ptr<vfi::FrameInterpolator>> create(const vfi::ModelOptions& options,
                                                            std::vector<vfi::model::ConfigCandidate> candidates) {
    return vfi::model::createTlbvfiInterpolator(options, std::move(candidates));
}

vfi::Result<vfi::ModelCheckReport> check(const vfi::model::GoldenCase& golden, const std::vector<vfi::model::ConfigCandidate>& candidates,
                                         const std::string& checkpointPath, int threads) {
    return vfi::model::checkGoldenCase(golden, candidates, checkpointPath, threads);
}

}  // namespace

VFI_MODEL_ENTRY const vfi::model::LibraryApi* vfi_model_library_api() {
    static const vfi::model::LibraryApi api{vfi::model::kLibraryApiVersion, &validate, &create, &check};
    return &api;
}
