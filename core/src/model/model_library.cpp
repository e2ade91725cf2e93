#include "model_library.h"

#include "model_process.h"

VFI_MODEL_ENTRY const vfi::model::LibraryApi* vfi_model_library_api() {
    using namespace vfi::model;
    static const LibraryApi api{kLibraryApiVersion, &validateModelOptions, &createTlbvfiInterpolator, &checkGoldenCase,
                                &listDevices,       &configureProcess};
    return &api;
}
