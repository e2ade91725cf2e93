// vfi::runModelCheckCase (vfi/model_check.h): reads case.json and the model config (nlohmann-json,
// outside the LibTorch-only model library) and runs model::checkGoldenCase.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "model/model_check.h"
#include "pipeline/model_config_json.h"
#include "pipeline/model_library_loader.h"
#include "vfi/model_check.h"

namespace vfi {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<model::GoldenCase> readCase(const std::string& dir) {
    const fs::path file = fs::path(dir) / "case.json";
    if (!fs::is_directory(dir)) return makeError(ErrorCode::InputNotFound, "Case directory " + dir + " does not exist.", {dir});
    if (!fs::exists(file))
        return makeError(ErrorCode::InputNotFound, "Case directory " + dir + " has no case.json.", {file.string()});
    json j;
    try {
        std::ifstream in(file);
        j = json::parse(in);
        model::GoldenCase g;
        g.dir = dir;
        g.name = j.value("name", fs::path(dir).filename().string());
        g.scale = j.at("scale").get<double>();
        g.sampleSteps = j.at("sample_step").get<int>();
        if (j.contains("timesteps")) g.timesteps = j["timesteps"].get<std::vector<int64_t>>();
        if (j.contains("recommended_tolerances"))
            for (const auto& [name, tol] : j["recommended_tolerances"].items()) {
                if (tol.value("exact", false)) g.atol[name] = 0.0;
                else if (tol.contains("atol")) g.atol[name] = tol["atol"].get<double>();
            }
        if (j.contains("branches"))
            for (const auto& [name, v] : j["branches"].items())
                if (v.is_boolean()) g.branches[name] = v.get<bool>();
        return g;
    } catch (const json::exception& e) {
        return makeError(ErrorCode::InvalidArgument, "Cannot read " + file.string() + ": " + e.what(),
                         {file.string(), e.what()});
    }
}

}  // namespace

Result<ModelCheckReport> runModelCheckCase(const ModelCheckOptions& options) {
    VFI_ASSIGN_OR_RETURN(model::GoldenCase g, readCase(options.caseDir));
    const fs::path parent = fs::path(options.caseDir).lexically_normal().parent_path();
    const fs::path base = parent.empty() || fs::path(options.caseDir).lexically_normal().filename().empty()
                              ? fs::path(options.caseDir) / ".."
                              : parent;
    const std::string checkpoint =
        options.checkpointPath.empty() ? (base / "tiny.pth").string() : options.checkpointPath;
    std::string config = options.configPath;
    if (config.empty() && fs::exists(base / "tiny-config.json")) config = (base / "tiny-config.json").string();

    std::vector<model::ConfigCandidate> candidates;
    if (config.empty()) {
        candidates.push_back({"official", model::TlbvfiConfig{}});
    } else {
        VFI_ASSIGN_OR_RETURN(auto sections, pipeline::loadModelConfigFile(config));
        for (auto& s : sections) candidates.push_back({s.name, std::move(s.config)});
    }
    VFI_ASSIGN_OR_RETURN(const model::LibraryApi* library, pipeline::modelLibrary());
    return library->checkGoldenCase(g, candidates, checkpoint, options.threads);
}

}  // namespace vfi
