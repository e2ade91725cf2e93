// Where downloaded models live and what is recorded about each (vfi/model_download.h).
#include "download/model_store.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#define NOMINMAX
#include <windows.h>
#include <knownfolders.h>
#include <shlobj.h>
#else
#include <pwd.h>
#include <unistd.h>
#endif

#include "pipeline/file_util.h"
#include "pipeline/json_fields.h"

namespace vfi {

namespace fs = std::filesystem;

namespace {

constexpr const char* kAppFolder = "tlbvfi-studio";

#if !defined(_WIN32)
fs::path homeDir() {
    if (const char* h = std::getenv("HOME"); h && *h) return h;
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return fs::current_path();
}
#endif

fs::path userDataDir() {
#if defined(_WIN32)
    PWSTR path = nullptr;
    fs::path out;
    if (SUCCEEDED(SHGetKnownFolderPath(FOLDERID_LocalAppData, 0, nullptr, &path))) out = fs::path(path);
    CoTaskMemFree(path);
    return out;
#elif defined(__APPLE__)
    return homeDir() / "Library" / "Application Support";
#else
    // XDG Base Directory: a relative XDG_DATA_HOME is invalid and is ignored.
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x == '/') return x;
    return homeDir() / ".local" / "share";
#endif
}

std::string recordPath(const std::string& modelPath) { return modelPath + ".json"; }

}  // namespace

std::string defaultModelDir() { return (userDataDir() / kAppFolder / "models").string(); }

std::string defaultModelPath() { return (fs::path(defaultModelDir()) / kModelFileName).string(); }

const char* downloadPhaseName(DownloadPhase phase) {
    switch (phase) {
        case DownloadPhase::Connecting: return "connecting";
        case DownloadPhase::Downloading: return "downloading";
        case DownloadPhase::Retrying: return "retrying";
        case DownloadPhase::Hashing: return "hashing";
        case DownloadPhase::Verifying: return "verifying";
        case DownloadPhase::Done: return "done";
    }
    return "?";
}

Result<ModelRecord> readModelRecord(const std::string& modelPath) {
    const std::string path = recordPath(modelPath);
    std::error_code ec;
    if (!fs::exists(path, ec)) return makeError(ErrorCode::InputNotFound, "no download record " + path, {path});
    VFI_ASSIGN_OR_RETURN(std::string text, pipeline::readFileText(path));
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object() || !j.contains("sha256") || !j["sha256"].is_string())
        return makeError(ErrorCode::InvalidArgument, "the download record " + path + " is not valid JSON with a sha256", {"record", path});
    ModelRecord r;
    r.sha256 = j["sha256"].get<std::string>();
    r.bytes = pipeline::integerOrLenient<int64_t>(j, "bytes", 0);
    r.url = pipeline::stringOrLenient(j, "url", "");
    r.config = pipeline::stringOrLenient(j, "config", "");
    r.installedAt = pipeline::stringOrLenient(j, "installedAt", "");
    return r;
}

namespace download {

Status writeModelRecord(const std::string& modelPath, const ModelRecord& r) {
    const nlohmann::json j = {{"file", fs::path(modelPath).filename().string()},
                              {"sha256", r.sha256},
                              {"bytes", r.bytes},
                              {"url", r.url},
                              {"config", r.config},
                              {"installedAt", r.installedAt}};
    return pipeline::writeFileAtomic(recordPath(modelPath), j.dump(2) + "\n");
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
#if defined(_WIN32)
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace download
}  // namespace vfi
