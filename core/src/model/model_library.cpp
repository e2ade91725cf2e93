#include "model_library.h"

VFI_MODEL_ENTRY const vfi::model::LibraryApi* vfi_model_library_api() {
    using namespace vfi::model;
    static const LibraryApi api{kLibraryApiVersion, &validateModelOptions, &createTlbvfiInterpolator, &checkGoldenCase};
    return &api;
}
