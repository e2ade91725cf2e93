#include "pipeline/checkpoint_hash.h"

#include <sys/stat.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "pipeline/file_util.h"
#include "pipeline/json_fields.h"
#include "vfi/model_download.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string cachePath() { return (fs::path(defaultModelDir()).parent_path() / "checkpoint-hashes.json").string(); }

json readCache(const std::string& path) {
    auto text = readFileText(path);
    json j = text ? json::parse(text.value(), nullptr, false) : json();
    return j.is_object() ? j : json::object();
}

}  // namespace

Result<std::string> checkpointHash(const std::string& path) {
    static std::mutex mutex;   // one process hashes a file once even with several workers asking
    std::lock_guard lk(mutex);
    std::error_code ec;
    const fs::path canon = fs::weakly_canonical(fs::absolute(path), ec);
    const std::string key = ec ? path : canon.string();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return makeError(ErrorCode::CheckpointMissing, "cannot read the checkpoint " + path, {path});
    const int64_t size = static_cast<int64_t>(st.st_size);
    const int64_t mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    const std::string cache = cachePath();
    json entries = readCache(cache);
    if (entries.contains(key)) {
        const json& e = entries[key];
        if (integerOrLenient<int64_t>(e, "size", -1) == size && integerOrLenient<int64_t>(e, "mtimeNs", -1) == mtime &&
            !stringOrLenient(e, "sha256", "").empty())
            return "sha256:" + e["sha256"].get<std::string>();
    }
    VFI_ASSIGN_OR_RETURN(std::string hex, sha256File(path));
    entries[key] = {{"size", size}, {"mtimeNs", mtime}, {"sha256", hex}};
    fs::create_directories(fs::path(cache).parent_path(), ec);
    (void)writeFileAtomic(cache, entries.dump(1));
    return "sha256:" + hex;
}

}  // namespace vfi::pipeline
