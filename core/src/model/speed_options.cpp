#include "speed_options.h"

#include <cstdlib>
#include <sstream>

#include "torch_compat.h"

namespace vfi::model {

bool sdpaAvailable() {
#if VFI_TORCH_AT_LEAST(2, 0)
    return true;
#else
    return false;
#endif
}

bool cudaGraphsAvailable() {
#if VFI_TORCH_AT_LEAST(2, 0) && defined(VFI_WITH_CUDA)
    return true;
#else
    return false;
#endif
}

SpeedOptions defaultSpeedOptions(const torch::Device& device) {
    SpeedOptions o;
    if (device.is_cuda()) {
        o.channelsLast = true;
        o.sdpa = sdpaAvailable();
        o.cudaGraphs = cudaGraphsAvailable();
        o.pinned = true;
    }
    return o;
}

Result<SpeedOptions> parseSpeedOptions(const std::string& spec, SpeedOptions base) {
    std::stringstream in(spec);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item.empty()) continue;
        const auto eq = item.find('=');
        const std::string name = item.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
        if (value != "0" && value != "1")
            return makeError(ErrorCode::InvalidArgument,
                             "VFI_MODEL_SPEED: '" + item + "' is not name=0 or name=1", {"VFI_MODEL_SPEED", item});
        const bool on = value == "1";
        if (name == "channels_last") base.channelsLast = on;
        else if (name == "sdpa") base.sdpa = on && sdpaAvailable();
        else if (name == "cuda_graphs") base.cudaGraphs = on && cudaGraphsAvailable();
        else if (name == "pinned") base.pinned = on;
        else
            return makeError(ErrorCode::InvalidArgument,
                             "VFI_MODEL_SPEED: unknown switch '" + name + "' (channels_last, sdpa, cuda_graphs, pinned)",
                             {"VFI_MODEL_SPEED", name});
    }
    return base;
}

std::string describeSpeedOptions(const SpeedOptions& o) {
    return std::string("channels_last=") + (o.channelsLast ? "1" : "0") + ",sdpa=" + (o.sdpa ? "1" : "0") +
           ",cuda_graphs=" + (o.cudaGraphs ? "1" : "0") + ",pinned=" + (o.pinned ? "1" : "0");
}

Result<SpeedOptions> speedOptionsFromEnvironment(const torch::Device& device) {
    SpeedOptions o = defaultSpeedOptions(device);
    const char* env = std::getenv("VFI_MODEL_SPEED");
    if (env == nullptr) return o;
    return parseSpeedOptions(env, o);
}

void toChannelsLast(torch::nn::Module& module) {
    torch::NoGradGuard noGrad;
    for (auto& p : module.parameters()) {
        if (p.dim() == 4) p.set_data(p.data().contiguous(at::MemoryFormat::ChannelsLast));
        else if (p.dim() == 5) p.set_data(p.data().contiguous(at::MemoryFormat::ChannelsLast3d));
    }
}

}  // namespace vfi::model
