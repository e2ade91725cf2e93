// Hyper-parameters of TLB-VFI. Defaults are the official configuration
// (configs/Template-LBBDM-video.yaml); the reduced-width test model differs only in `ch`.
// Plain struct: JSON parsing lives outside the LibTorch-only model library (pipeline/model_config_json).
#pragma once

#include <cstdint>
#include <vector>

namespace vfi::model {

struct VqganConfig {
    int embedDim = 3;
    int nEmbed = 8192;
    int zChannels = 3;
    int inChannels = 3;
    int outCh = 3;
    int ch = 64;                                 // 8 in the golden tiny model
    std::vector<int> chMult = {1, 2, 2, 2, 4};
    int numResBlocks = 1;
    std::vector<int> attnResolutions = {16};
    int resolution = 256;
};

struct BrownianBridgeConfig {
    int numTimesteps = 1000;
    int sampleSteps = 10;                        // >= 3 (2 divides by zero in the reference)
    double eta = 1.0;
    double maxVar = 1.0;
};

struct UnetConfig {
    int inChannels = 6;
    int modelChannels = 32;
    int outChannels = 3;
    int numResBlocks = 1;
    std::vector<int> attentionResolutions = {8, 4, 2};
    std::vector<int> channelMult = {1, 1, 1};
    int numHeads = 1;
};

struct TlbvfiConfig {
    VqganConfig vqgan;
    BrownianBridgeConfig bb;
    UnetConfig unet;
};

}  // namespace vfi::model
