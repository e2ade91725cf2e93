// The compute devices a job can render on (GUI: Settings -> Devices; CLI: --devices) and the parser
// of a device list. Qt-free; CUDA devices are seen through the model library (LibTorch), which is
// loaded on the first call: where it cannot be loaded, only the CPU is listed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vfi/result.h"

namespace vfi {

struct ComputeDevice {
    std::string id;                  // as JobSettings::devices and --devices take it: "cpu", "cuda:0"
    std::string kind;                // "cpu" | "cuda" | "mps"
    std::string name;                // "NVIDIA H100 80GB HBM3"; CPU: the processor's model name
    int64_t totalMemoryBytes = -1;   // device memory (CPU: physical RAM); -1: unknown
};

// CPU first, then every CUDA device in index order. Thread-safe; the first call may take a second
// (it loads the model library and initialises CUDA); later calls ask again (devices can appear).
std::vector<ComputeDevice> listComputeDevices();

// "cuda:1" -> "cuda", "cpu" -> "cpu"; "" for an empty id.
std::string deviceKindOf(const std::string& id);

// Parses a comma-separated device list ("cuda:0,cuda:1", "cpu,cpu", "all" = every CUDA device).
// Refuses (InvalidArgument) empty entries, unknown names, kinds mixed in one list and a CUDA device
// listed twice; "all" without a CUDA device is DeviceUnavailable. Whether a named cuda:N exists is
// checked when the job starts.
Result<std::vector<std::string>> parseDeviceList(const std::string& text);

}  // namespace vfi
