// `tlbvfi model-check`: runs one golden-format case directory (case.json + .npy files, see
// shared/golden/README.md) through the C++ model with the recorded noise injected and compares every
// stage with the reference at the case's tolerances.
#pragma once

#include <string>
#include <vector>

#include "vfi/result.h"

namespace vfi {

struct ModelCheckOptions {
    std::string caseDir;
    std::string checkpointPath;   // "" = <caseDir>/../tiny.pth
    std::string configPath;       // "" = <caseDir>/../tiny-config.json if present, else official;
                                  // PATH#SECTION selects a section, otherwise the matching one is used
    int threads = 1;              // the golden data was produced with 1 intra-op thread
};

struct ModelCheckStage {
    std::string name;             // "enc_latent", "xt", "vq_indices", "out", "branch:decoder_prev", ...
    double maxAbsDiff = 0.0;      // for vq_indices: number of differing indices
    double tolerance = 0.0;
    bool pass = false;
    std::string note;
};

struct ModelCheckReport {
    std::string caseName;
    std::string configName;
    std::vector<ModelCheckStage> stages;
    bool allPass = false;
    double seconds = 0.0;
};

// Errors: a missing/invalid case directory, case.json, checkpoint or config (Result error); stage
// mismatches are reported in the report, not as errors.
Result<ModelCheckReport> runModelCheckCase(const ModelCheckOptions& options);

// The file the model library (libvfi_model) was loaded from; "" before it is loaded or when it could
// not be. Shown by model-check so that an installation can be checked.
std::string modelLibraryFile();

}  // namespace vfi
