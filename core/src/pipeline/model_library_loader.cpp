#include "pipeline/model_library_loader.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#define NOMINMAX
#include <windows.h>
#else
#include <dlfcn.h>
#endif
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

namespace vfi::pipeline {

namespace fs = std::filesystem;

namespace {

#if defined(_WIN32)
constexpr const char* kFileName = "vfi_model.dll";
#elif defined(__APPLE__)
constexpr const char* kFileName = "libvfi_model.dylib";
#else
constexpr const char* kFileName = "libvfi_model.so";
#endif

fs::path executableDir() {
#if defined(_WIN32)
    std::wstring buf(32768, L'\0');
    const DWORD n = GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
    if (n == 0 || n >= buf.size()) return {};
    buf.resize(n);
    return fs::path(buf).parent_path();
#elif defined(__APPLE__)
    uint32_t size = 0;
    _NSGetExecutablePath(nullptr, &size);
    std::string buf(size, '\0');
    if (_NSGetExecutablePath(buf.data(), &size) != 0) return {};
    std::error_code ec;
    const fs::path p = fs::canonical(buf.c_str(), ec);
    return ec ? fs::path(buf.c_str()).parent_path() : p.parent_path();
#else
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p.parent_path();
#endif
}

std::vector<fs::path> candidates() {
    std::vector<fs::path> out;
    // Named explicitly: that file or nothing (quietly loading another copy would hide the mistake).
    if (const char* env = std::getenv("VFI_MODEL_LIBRARY"); env && *env) return {fs::path(env)};
    if (const fs::path dir = executableDir(); !dir.empty()) {
        out.push_back(dir / kFileName);
        out.push_back(dir / ".." / "lib" / kFileName);
#if defined(VFI_MODEL_LIBRARY_INSTALL_DIR)
        out.push_back(dir / ".." / VFI_MODEL_LIBRARY_INSTALL_DIR / kFileName);
#endif
    }
#if defined(VFI_MODEL_LIBRARY_BUILD_PATH)
    out.emplace_back(VFI_MODEL_LIBRARY_BUILD_PATH);
#endif
    std::vector<fs::path> unique;   // the install libdir is often "lib" itself
    for (const fs::path& p : out)
        if (std::find(unique.begin(), unique.end(), p.lexically_normal()) == unique.end()) unique.push_back(p.lexically_normal());
    return unique;
}

// Opens one file and finds the entry point; an error text otherwise.
Result<const model::LibraryApi*> open(const fs::path& path) {
    using Entry = const model::LibraryApi* (*)();
#if defined(_WIN32)
    HMODULE handle = LoadLibraryW(path.wstring().c_str());
    if (!handle) return makeError(ErrorCode::ModelError, "LoadLibrary failed (error " + std::to_string(GetLastError()) + ")", {path.string()});
    auto entry = reinterpret_cast<Entry>(reinterpret_cast<void*>(GetProcAddress(handle, model::kLibraryEntryName)));
#else
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        return makeError(ErrorCode::ModelError, why ? why : "dlopen failed", {path.string()});
    }
    auto entry = reinterpret_cast<Entry>(dlsym(handle, model::kLibraryEntryName));
#endif
    if (!entry) return makeError(ErrorCode::ModelError, "it has no " + std::string(model::kLibraryEntryName), {path.string()});
    const model::LibraryApi* api = entry();
    if (!api || api->version != model::kLibraryApiVersion)
        return makeError(ErrorCode::ModelError,
                         "it is from another build (API version " + std::to_string(api ? api->version : -1) + ", this program needs " +
                             std::to_string(model::kLibraryApiVersion) + ")",
                         {path.string()});
    return api;
}

std::string g_loadedFrom;   // written once, inside the static initialisation of modelLibrary()

Result<const model::LibraryApi*> load() {
    std::string tried;
    for (const fs::path& p : candidates()) {
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) {
            tried += "\n  " + p.string() + ": not found";
            continue;
        }
        auto api = open(p);
        if (api) {
            g_loadedFrom = p.string();
            return api;
        }
        // A file that exists but does not load is the answer, not a reason to try an older copy.
        return makeError(ErrorCode::ModelError, "cannot load the model library " + p.string() + ": " + api.error().message,
                         {p.string(), api.error().message});
    }
    return makeError(ErrorCode::ModelError,
                     std::string("the model library ") + kFileName + " was not found; the TLB-VFI backend needs it (the blend backend does not). Tried:" + tried,
                     {kFileName});
}

}  // namespace

Result<const model::LibraryApi*> modelLibrary() {
    static const Result<const model::LibraryApi*> loaded = load();   // once, thread-safe
    if (loaded) return loaded.value();
    return loaded.error();
}

}  // namespace vfi::pipeline

namespace vfi {

std::string modelLibraryFile() { return pipeline::g_loadedFrom; }

}  // namespace vfi
