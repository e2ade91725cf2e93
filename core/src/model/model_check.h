// Core of `tlbvfi model-check` (LibTorch only). The case description is parsed on the pipeline side
// (nlohmann-json) into GoldenCase; this runs the model and compares the stages.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tlbvfi_interpolator.h"
#include "vfi/model_check.h"

namespace vfi::model {

struct GoldenCase {
    std::string dir;
    std::string name;
    double scale = 0.5;
    int sampleSteps = 10;
    std::vector<int64_t> timesteps;
    std::map<std::string, double> atol;      // per tensor; 0 = exact
    std::map<std::string, bool> branches;    // encoder_fullres_input_min_lt_0, ... (when recorded)
    double nearTieGap = 1e-4;                // an index flip at a vq_gap below this is not a port error
};

Result<ModelCheckReport> checkGoldenCase(const GoldenCase& golden, const std::vector<ConfigCandidate>& candidates,
                                         const std::string& checkpointPath, int threads);

}  // namespace vfi::model
