// Getting the TLB-VFI weights: one downloader for the CLI (`tlbvfi model download`) and the GUI.
//
// The file is fetched over HTTP(S) with libcurl into `<dir>/<name>.part`, resumed with an HTTP Range
// request after a dropped connection or a restart (a server that ignores Range and answers 200 starts
// the file over), retried a few times with exponential backoff, and checked against the size the
// server announced. It becomes `<dir>/<name>` only after it loads strictly (every key and shape) with
// the configuration that will use it; its SHA-256 is then recorded in `<dir>/<name>.json`, and a later
// download with another hash is reported in ModelDownloadResult::warnings. Nothing is ever written
// under the final name before that. Proxies: libcurl reads http_proxy, https_proxy, no_proxy and
// ALL_PROXY from the environment (the usual way a Linux system proxy reaches programs); the Windows
// and macOS system settings are not read.
//
// Threading: ModelDownloader::run() blocks; call it on a worker thread (the GUI: a QThread). Progress
// callbacks arrive on that thread, at most 10 times a second plus once per phase change; keep them
// short (post to the GUI thread). requestCancel() may be called from any thread and takes effect
// within about a second; a cancelled download keeps its .part file, so the next run continues it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vfi/result.h"

namespace vfi {

// The official weights (Hugging Face model repository ucfzl/TLBVFI, file vimeo_unet.pth, ~3.6 GB).
inline constexpr const char* kDefaultModelUrl = "https://huggingface.co/ucfzl/TLBVFI/resolve/main/vimeo_unet.pth";
inline constexpr const char* kModelFileName = "vimeo_unet.pth";

// The per-user folder for downloaded models: $XDG_DATA_HOME/tlbvfi-studio/models (default
// ~/.local/share/tlbvfi-studio/models) on Linux, ~/Library/Application Support/tlbvfi-studio/models on
// macOS, %LOCALAPPDATA%\tlbvfi-studio\models on Windows. Not created here.
std::string defaultModelDir();
// defaultModelDir()/vimeo_unet.pth (it may not exist).
std::string defaultModelPath();

// What was recorded when a downloaded model was installed (`<model>.json`).
struct ModelRecord {
    std::string sha256;       // lower-case hex
    int64_t bytes = 0;
    std::string url;
    std::string config;       // configuration it loaded with ("official", "tiny", …)
    std::string installedAt;  // UTC, ISO 8601
};
// The record next to modelPath. Errors: InputNotFound (no record), Io / InvalidArgument (unreadable).
Result<ModelRecord> readModelRecord(const std::string& modelPath);

enum class DownloadPhase {
    Connecting,   // an attempt is starting
    Downloading,  // bytes are arriving
    Retrying,     // waiting before the next attempt (retryInSeconds, message says why)
    Hashing,      // SHA-256 of the complete file
    Verifying,    // strict load with the configuration
    Done,
};
const char* downloadPhaseName(DownloadPhase phase);

struct DownloadProgress {
    DownloadPhase phase = DownloadPhase::Connecting;
    int64_t bytesDone = 0;       // bytes of the file so far (resumed bytes included); while Hashing: bytes hashed
    int64_t bytesTotal = -1;     // full size; -1 until the server has said
    int64_t resumedFrom = 0;     // bytes already on disk when the current attempt started
    double bytesPerSecond = 0;   // over the last few seconds
    double etaSeconds = -1;      // -1: unknown
    int attempt = 1;             // 1-based
    int maxAttempts = 1;
    double retryInSeconds = 0;   // Retrying: wait before the next attempt
    std::string message;         // Retrying: the reason (English)
};

struct ModelDownloadOptions {
    std::string url = kDefaultModelUrl;
    std::string targetDir;                  // "" = defaultModelDir() (created when missing)
    std::string fileName = kModelFileName;
    // JSON configuration ("PATH" or "PATH#SECTION", as --config of interpolate) the file must load
    // with; "" = the official configuration.
    std::string configPath;
    bool force = false;                     // download even when <dir>/<fileName> exists (replaced when verified)
    int maxAttempts = 5;                    // attempts without progress; one that received bytes resets the count
    double retryDelaySeconds = 1.0;         // first backoff; doubled per failed attempt, at most 60 s
    int connectTimeoutSeconds = 30;
    int stallSeconds = 60;                  // an attempt receiving nothing this long is dropped and retried
};

struct ModelDownloadResult {
    std::string path;            // the installed model
    std::string sha256;
    int64_t bytes = 0;
    std::string config;          // the configuration it loaded with
    bool alreadyPresent = false; // the file was there and force was off: nothing downloaded or changed
    int64_t resumedFrom = 0;     // bytes of an earlier .part that were kept
    std::vector<std::string> warnings;   // e.g. the SHA-256 differs from the one recorded before
};

class ModelDownloader {
public:
    using ProgressCallback = std::function<void(const DownloadProgress&)>;

    explicit ModelDownloader(ModelDownloadOptions options);
    ~ModelDownloader();
    ModelDownloader(const ModelDownloader&) = delete;
    ModelDownloader& operator=(const ModelDownloader&) = delete;

    // Downloads, verifies and installs; blocks. Errors: OutputNotWritable (target folder), Network
    // (connection, HTTP status, an HTML page instead of the file, size mismatch; after the retries),
    // CheckpointInvalid (the complete file does not load with the configuration; the file is
    // deleted), InvalidArgument (bad URL or config), Cancelled (the .part file is kept). One run at a
    // time per object.
    Result<ModelDownloadResult> run(const ProgressCallback& onProgress = {});

    // Thread-safe; run() returns ErrorCode::Cancelled within about a second (a strict load already
    // under way finishes first).
    void requestCancel();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vfi
