// The entry point of the model library (libvfi_model), which the engine loads at run time, the first
// time a job asks for the TLB-VFI backend or a model check (pipeline/model_library_loader.h).
// Linking LibTorch into every executable cost each process ~0.7 s of CPU at start-up (LibTorch
// registers its operators in static initialisers), blend jobs, `info`, `verify` and the GUI included.
// Torch-free on purpose: the engine includes it without LibTorch's headers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model_check.h"
#include "tlbvfi_interpolator.h"
#include "vfi/compute_devices.h"

namespace vfi::model {

// Bumped whenever LibraryApi or a type it passes changes; the loader refuses any other version (a
// library left over from another build would otherwise be called with the wrong layout).
inline constexpr int kLibraryApiVersion = 3;

struct LibraryApi {
    int version = kLibraryApiVersion;
    Status (*validateModelOptions)(const ModelOptions& options) = nullptr;
    Result<std::unique_ptr<FrameInterpolator>> (*createTlbvfiInterpolator)(const ModelOptions& options,
                                                                         std::vector<ConfigCandidate> candidates) = nullptr;
    Result<ModelCheckReport> (*checkGoldenCase)(const GoldenCase& golden, const std::vector<ConfigCandidate>& candidates,
                                                const std::string& checkpointPath, int threads) = nullptr;
    // Every CUDA (and MPS) device LibTorch sees, with name and memory (model_process.h).
    std::vector<ComputeDevice> (*listDevices)() = nullptr;
    // A job's process-wide LibTorch settings, once per job before its workers load (model_process.h).
    Status (*configureProcess)(const ModelOptions& options, int intraOpThreadsPerWorker) = nullptr;
};

// The exported symbol's name, for dlsym/GetProcAddress.
inline constexpr const char* kLibraryEntryName = "vfi_model_library_api";

}  // namespace vfi::model

#if defined(_WIN32)
#define VFI_MODEL_ENTRY extern "C" __declspec(dllexport)
#else
#define VFI_MODEL_ENTRY extern "C" __attribute__((visibility("default")))
#endif

// Defined in model_library.cpp: the library's API table (never null).
VFI_MODEL_ENTRY const vfi::model::LibraryApi* vfi_model_library_api();
