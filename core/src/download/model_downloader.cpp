// ModelDownloader (vfi/model_download.h): attempts with libcurl (http_transfer.h) into a .part file,
// retries with backoff, size check, SHA-256, strict load with the configuration, then the rename.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>

#include <nlohmann/json.hpp>

#include "download/http_transfer.h"
#include "download/model_store.h"
#include "pipeline/file_util.h"
#include "pipeline/json_fields.h"
#include "vfi/frame_interpolator.h"
#include "vfi/model_download.h"
#include "vfi/version.h"

namespace vfi {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string mib(int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

// "config=NAME;" of a TLB-VFI fingerprint: the configuration the checkpoint loaded with.
std::string configOf(const std::string& fingerprint) {
    const auto at = fingerprint.find("config=");
    if (at == std::string::npos) return "official";
    return fingerprint.substr(at + 7, fingerprint.find(';', at) - at - 7);
}

// What is known about the bytes of a .part file, kept beside it (`<part>.json`) so that a restart
// asks the same URL for the rest and lets the server refuse (If-Range) when the file has changed.
struct PartInfo {
    std::string url;
    std::string validator;
    int64_t total = -1;
};

PartInfo readPartInfo(const std::string& path) {
    PartInfo p;
    auto text = pipeline::readFileText(path);
    if (!text) return p;
    const nlohmann::json j = nlohmann::json::parse(text.value(), nullptr, false);
    if (!j.is_object()) return p;
    p.url = pipeline::stringOrLenient(j, "url", "");
    p.validator = pipeline::stringOrLenient(j, "validator", "");
    p.total = pipeline::integerOrLenient<int64_t>(j, "total", -1);
    return p;
}

Status writePartInfo(const std::string& path, const PartInfo& p) {
    return pipeline::writeFileAtomic(path, nlohmann::json{{"url", p.url}, {"validator", p.validator}, {"total", p.total}}.dump() + "\n");
}

// Speed over the last few seconds, for the progress line and the ETA.
class RateMeter {
public:
    void reset(int64_t bytes) {
        m_samples.clear();
        m_samples.push_back({Clock::now(), bytes});
    }
    double add(int64_t bytes) {
        const auto now = Clock::now();
        m_samples.push_back({now, bytes});
        while (m_samples.size() > 2 && now - m_samples[1].first > std::chrono::seconds(5)) m_samples.pop_front();
        const double dt = std::chrono::duration<double>(now - m_samples.front().first).count();
        return dt > 0.2 ? static_cast<double>(bytes - m_samples.front().second) / dt : 0.0;
    }

private:
    std::deque<std::pair<Clock::time_point, int64_t>> m_samples;
};

}  // namespace

struct ModelDownloader::Impl {
    ModelDownloadOptions options;
    std::atomic<bool> cancel{false};
    std::mutex waitMutex;
    std::condition_variable waitCv;

    const ProgressCallback* onProgress = nullptr;
    DownloadProgress progress;
    Clock::time_point lastReport{};
    RateMeter rate;
    int64_t keptBytes = 0;   // bytes of an earlier .part that this run kept

    void report(bool force = false) {
        if (!onProgress || !*onProgress) return;
        const auto now = Clock::now();
        if (!force && now - lastReport < std::chrono::milliseconds(100)) return;
        lastReport = now;
        (*onProgress)(progress);
    }
    void phase(DownloadPhase p) {
        progress.phase = p;
        report(true);
    }

    // Waits before a retry; false when cancelled meanwhile.
    bool backoff(double seconds, const std::string& why) {
        progress.retryInSeconds = seconds;
        progress.message = why;
        progress.bytesPerSecond = 0;
        progress.etaSeconds = -1;
        phase(DownloadPhase::Retrying);
        std::unique_lock lock(waitMutex);
        return !waitCv.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return cancel.load(); });
    }

    Error cancelled(const std::string& part, int64_t have) const {
        return makeError(ErrorCode::Cancelled,
                         "download cancelled; " + mib(have) + " kept in " + part + ", the next download continues from there");
    }

    Result<ModelDownloadResult> existing(const std::string& finalPath);
    Result<int64_t> fetch(const std::string& part, const std::string& partInfoPath);
    Result<ModelDownloadResult> install(const std::string& part, const std::string& partInfoPath, const std::string& finalPath,
                                        int64_t bytes);
    Result<ModelDownloadResult> run();
};

ModelDownloader::ModelDownloader(ModelDownloadOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
}
ModelDownloader::~ModelDownloader() = default;

void ModelDownloader::requestCancel() {
    {
        std::lock_guard lock(m_impl->waitMutex);
        m_impl->cancel = true;
    }
    m_impl->waitCv.notify_all();
}

Result<ModelDownloadResult> ModelDownloader::run(const ProgressCallback& onProgress) {
    m_impl->onProgress = &onProgress;
    m_impl->progress = DownloadProgress{};
    auto r = m_impl->run();
    m_impl->onProgress = nullptr;
    return r;
}

Result<ModelDownloadResult> ModelDownloader::Impl::run() {
    if (options.url.rfind("https://", 0) != 0 && options.url.rfind("http://", 0) != 0)
        return makeError(ErrorCode::InvalidArgument, "the download URL must start with https:// or http://: " + options.url,
                         {"url", options.url});
    if (options.fileName.empty() || options.fileName.find('/') != std::string::npos)
        return makeError(ErrorCode::InvalidArgument, "invalid model file name '" + options.fileName + "'", {"file name", options.fileName});
    const std::string dir = options.targetDir.empty() ? defaultModelDir() : options.targetDir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec))
        return makeError(ErrorCode::OutputNotWritable, "cannot create the model folder " + dir + ": " + ec.message(), {dir, ec.message()});
    if (::access(dir.c_str(), W_OK) != 0)
        return makeError(ErrorCode::OutputNotWritable, "the model folder " + dir + " is not writable", {dir, "not writable"});
    const std::string finalPath = (fs::path(dir) / options.fileName).string();
    if (fs::exists(finalPath, ec) && !options.force) return existing(finalPath);
    const std::string part = finalPath + ".part", partInfo = part + ".json";
    auto bytes = fetch(part, partInfo);
    if (!bytes) {
        // Nothing worth keeping for the next run: leave no empty .part behind.
        if (fs::file_size(part, ec) == 0 && !ec) {
            fs::remove(part, ec);
            fs::remove(partInfo, ec);
        }
        return bytes.error();
    }
    return install(part, partInfo, finalPath, bytes.value());
}

// The model is already installed: say so, with its recorded (or, without a record, computed) hash.
Result<ModelDownloadResult> ModelDownloader::Impl::existing(const std::string& finalPath) {
    ModelDownloadResult r;
    r.path = finalPath;
    r.alreadyPresent = true;
    std::error_code ec;
    r.bytes = static_cast<int64_t>(fs::file_size(finalPath, ec));
    auto rec = readModelRecord(finalPath);
    if (rec && rec->bytes == r.bytes) {
        r.sha256 = rec->sha256;
        r.config = rec->config;
        return r;
    }
    progress.bytesTotal = r.bytes;
    phase(DownloadPhase::Hashing);
    VFI_ASSIGN_OR_RETURN(r.sha256, pipeline::sha256File(finalPath, [this](int64_t done) {
                             progress.bytesDone = done;
                             report();
                             return !cancel.load();
                         }));
    r.warnings.push_back(finalPath + " was not installed by the downloader (no matching record), so it was not checked; use --force to "
                                     "download and verify the file again");
    return r;
}

// Brings `part` to the complete file; returns its size.
Result<int64_t> ModelDownloader::Impl::fetch(const std::string& part, const std::string& partInfoPath) {
    PartInfo info = readPartInfo(partInfoPath);
    const int fd = ::open(part.c_str(), O_RDWR | O_CREAT, 0644);
    if (fd < 0) return makeError(ErrorCode::OutputNotWritable, "cannot write " + part, {part, "open failed"});
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    int64_t have = static_cast<int64_t>(::lseek(fd, 0, SEEK_END));
    if (have > 0 && info.url != options.url) {
        // Bytes of another URL (or of unknown origin): not a prefix of this file.
        if (::ftruncate(fd, 0) != 0) return makeError(ErrorCode::Io, "cannot truncate " + part, {part, "truncate failed"});
        have = 0;
        info = PartInfo{};
    }
    info.url = options.url;
    keptBytes = have;
    download::TransferRequest req;
    req.url = options.url;
    req.connectTimeoutSeconds = options.connectTimeoutSeconds;
    req.stallSeconds = options.stallSeconds;
    req.userAgent = std::string("tlbvfi-studio/") + versionString();
    progress.maxAttempts = std::max(1, options.maxAttempts);
    progress.bytesTotal = info.total;
    int failures = 0;
    for (;;) {
        if (cancel) return cancelled(part, have);
        req.offset = have;
        req.ifRange = info.validator;
        progress.attempt = failures + 1;
        progress.resumedFrom = have;
        progress.bytesDone = have;
        progress.message.clear();
        rate.reset(have);
        phase(DownloadPhase::Connecting);
        download::TransferCallbacks callbacks;
        Status infoWritten;
        callbacks.onBodyStart = [&](const std::string& validator, int64_t total) {
            info.validator = validator;
            info.total = total;
            infoWritten = writePartInfo(partInfoPath, info);
        };
        callbacks.onBytes = [this](int64_t fileBytes, int64_t total) {
            progress.phase = DownloadPhase::Downloading;
            progress.bytesDone = fileBytes;
            if (total >= 0) progress.bytesTotal = total;
            progress.bytesPerSecond = rate.add(fileBytes);
            progress.etaSeconds = progress.bytesTotal >= 0 && progress.bytesPerSecond > 0
                                      ? static_cast<double>(progress.bytesTotal - fileBytes) / progress.bytesPerSecond
                                      : -1;
            report();
        };
        const download::TransferResult t = download::transferToFile(req, fd, cancel, callbacks);
        have = t.fileBytes;
        if (t.restarted) keptBytes = 0;
        ::fsync(fd);   // a crash or power loss must not leave a part whose tail is not what the server sent
        VFI_TRY(infoWritten);
        if (t.status == 200 || t.status == 206) progress.bytesTotal = info.total;
        // The byte reports are throttled; a transfer shorter than the throttle interval would
        // otherwise never show its bytes, and every transfer must end on its true count.
        if (progress.phase == DownloadPhase::Downloading) report(true);
        if (t.cancelled) return cancelled(part, have);
        if (!t.rejected.empty())
            return makeError(ErrorCode::Network, "cannot download " + options.url + ": " + t.rejected, {options.url, t.rejected});

        std::string retryWhy;
        if (t.status == 416) {
            // Range not satisfiable: complete if the part already is the whole file, else start over.
            if (t.total >= 0 && have == t.total) return have;
            if (::ftruncate(fd, 0) != 0) return makeError(ErrorCode::Io, "cannot truncate " + part, {part, "truncate failed"});
            have = keptBytes = 0;
            info = PartInfo{options.url, "", -1};
            retryWhy = "the server refused to continue the partial file; starting over";
        } else if ((t.status == 200 || t.status == 206) && t.curlCode == 0) {
            if (info.total < 0 || have == info.total) return have;
            if (have > info.total) {
                if (::ftruncate(fd, 0) != 0) return makeError(ErrorCode::Io, "cannot truncate " + part, {part, "truncate failed"});
                have = keptBytes = 0;
                retryWhy = "received more bytes than the announced size; starting over";
            } else {
                retryWhy = "the connection ended at " + std::to_string(have) + " of " + std::to_string(info.total) + " bytes";
            }
        } else if (t.status >= 400 && t.status != 408 && t.status != 429 && t.status < 500) {
            const std::string why = "the server answered HTTP " + std::to_string(t.status) +
                                    (t.status == 404 ? " (not found): check the URL" : "");
            return makeError(ErrorCode::Network, "cannot download " + options.url + ": " + why, {options.url, why});
        } else if (t.status >= 400) {
            retryWhy = "the server answered HTTP " + std::to_string(t.status);
        } else if (t.curlCode != 0 && download::transientCurlError(t.curlCode)) {
            retryWhy = t.curlError;
        } else if (t.curlCode != 0) {
            return makeError(ErrorCode::Network, "cannot download " + options.url + ": " + t.curlError, {options.url, t.curlError});
        } else {
            const std::string why = "unexpected HTTP status " + std::to_string(t.status);
            return makeError(ErrorCode::Network, "cannot download " + options.url + ": " + why, {options.url, why});
        }
        // An attempt that moved the download forward does not count against the retries: a long
        // download over a flaky line may need many.
        failures = t.received > 0 ? 0 : failures + 1;
        if (failures >= progress.maxAttempts) {
            const std::string why = retryWhy + " (gave up after " + std::to_string(failures) + " attempts in a row without progress" +
                                    (have > 0 ? "; " + mib(have) + " kept in " + part + ", the next download continues from there" : "") +
                                    ")";
            return makeError(ErrorCode::Network, "cannot download " + options.url + ": " + why, {options.url, why});
        }
        const double delay = failures == 0 ? 0.0 : std::min(60.0, options.retryDelaySeconds * (1 << std::min(failures - 1, 6)));
        if (delay > 0 && !backoff(delay, retryWhy)) return cancelled(part, have);
    }
}

// Hash, strict load, then the rename: the only way a file reaches the final name.
Result<ModelDownloadResult> ModelDownloader::Impl::install(const std::string& part, const std::string& partInfoPath,
                                                           const std::string& finalPath, int64_t bytes) {
    ModelDownloadResult r;
    r.path = finalPath;
    r.bytes = bytes;
    r.resumedFrom = keptBytes;
    progress.bytesTotal = bytes;
    progress.bytesDone = 0;
    phase(DownloadPhase::Hashing);
    auto sha = pipeline::sha256File(part, [this](int64_t done) {
        progress.bytesDone = done;
        report();
        return !cancel.load();
    });
    if (!sha && sha.error().code == ErrorCode::Cancelled) return cancelled(part, bytes);
    if (!sha) return sha.error();
    r.sha256 = sha.value();

    phase(DownloadPhase::Verifying);
    ModelOptions mo;
    mo.checkpointPath = part;
    mo.configPath = options.configPath;
    mo.featureCacheFrames = 0;
    auto interp = createTlbvfiInterpolator(mo);
    if (!interp) return interp.error();   // config file or model library: not the download's fault, the part stays
    Status loaded = interp.value()->load();
    if (!loaded) {
        Error e = loaded.takeError();
        if (e.code != ErrorCode::CheckpointInvalid && e.code != ErrorCode::CheckpointMissing) return e;
        std::error_code ec;
        fs::remove(part, ec);
        fs::remove(partInfoPath, ec);
        const std::string what = options.configPath.empty() ? "the official TLB-VFI configuration" : "the configuration " + options.configPath;
        const std::string why = "the downloaded file (" + std::to_string(bytes) + " bytes from " + options.url +
                                ") does not load with " + what + ": " + e.message + " It was deleted; nothing was installed.";
        return makeError(ErrorCode::CheckpointInvalid, why, {options.url, why});
    }
    r.config = configOf(interp.value()->fingerprint());
    interp.value().reset();

    if (auto before = readModelRecord(finalPath); before && before->sha256 != r.sha256)
        r.warnings.push_back("the SHA-256 of the new file (" + r.sha256 + ") differs from the one recorded on " + before->installedAt +
                             " (" + before->sha256 + "): the published weights have changed, or one of the two downloads is not "
                             "the official file");
    VFI_TRY(pipeline::renameDurable(part, finalPath));
    std::error_code ec;
    fs::remove(partInfoPath, ec);
    VFI_TRY(download::writeModelRecord(finalPath, ModelRecord{r.sha256, bytes, options.url, r.config, download::utcNow()}));
    progress.bytesDone = bytes;
    phase(DownloadPhase::Done);
    return r;
}

}  // namespace vfi
