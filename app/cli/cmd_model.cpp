// `tlbvfi model download`: fetches the TLB-VFI weights into the per-user model folder (or --to DIR)
// with the core downloader (vfi/model_download.h); SIGINT/SIGTERM cancel it, keeping the .part file.
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"
#include "vfi/model_download.h"

namespace vfi::cli {

namespace {

std::string sizeText(int64_t bytes) {
    char buf[32];
    const double b = static_cast<double>(bytes);
    if (bytes >= (int64_t{1} << 30))
        std::snprintf(buf, sizeof buf, "%.2f GiB", b / (1 << 30));
    else
        std::snprintf(buf, sizeof buf, "%.1f MiB", b / (1 << 20));
    return buf;
}

// A one-line bar on a terminal; otherwise a line per phase and about every 2 s while downloading.
class DownloadPrinter {
public:
    DownloadPrinter() : m_tty(::isatty(STDERR_FILENO) != 0) {}

    void operator()(const DownloadProgress& p) {
        std::lock_guard lock(m_mutex);
        const bool phaseChanged = p.phase != m_lastPhase;
        m_lastPhase = p.phase;
        std::string text;
        if (p.phase == DownloadPhase::Downloading || p.phase == DownloadPhase::Hashing) {
            const double frac = p.bytesTotal > 0 ? static_cast<double>(p.bytesDone) / static_cast<double>(p.bytesTotal) : 0;
            char buf[200];
            if (p.phase == DownloadPhase::Hashing)
                std::snprintf(buf, sizeof buf, "computing SHA-256 %5.1f%%", frac * 100);
            else
                std::snprintf(buf, sizeof buf, "%5.1f%% %s of %s  %s/s  ETA %s", frac * 100, sizeText(p.bytesDone).c_str(),
                              p.bytesTotal >= 0 ? sizeText(p.bytesTotal).c_str() : "?",
                              p.bytesPerSecond > 0 ? sizeText(static_cast<int64_t>(p.bytesPerSecond)).c_str() : "--",
                              formatDuration(p.etaSeconds).c_str());
            text = buf;
        } else if (p.phase == DownloadPhase::Connecting) {
            text = p.resumedFrom > 0 ? "continuing from " + sizeText(p.resumedFrom) : "connecting";
            if (p.attempt > 1) text += " (attempt " + std::to_string(p.attempt) + " of " + std::to_string(p.maxAttempts) + ")";
        } else if (p.phase == DownloadPhase::Retrying) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.0f s", p.retryInSeconds);
            text = p.message + "; retrying in " + buf;
        } else if (p.phase == DownloadPhase::Verifying) {
            text = "checking that the file loads as the model";
        } else {
            return;
        }
        if (m_tty) {
            // Progress overwrites itself; every other phase keeps its own line.
            const bool bar = p.phase == DownloadPhase::Downloading || p.phase == DownloadPhase::Hashing;
            std::fprintf(stderr, "\r\033[K%s%s", text.c_str(), bar ? "" : "\n");
            m_lineOpen = bar;
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (!phaseChanged && now - m_lastPlain < std::chrono::seconds(2)) return;
        m_lastPlain = now;
        std::fprintf(stderr, "tlbvfi: %s\n", text.c_str());
    }

    void finish() {
        std::lock_guard lock(m_mutex);
        if (m_lineOpen) std::fputc('\n', stderr);
        m_lineOpen = false;
    }

private:
    std::mutex m_mutex;
    bool m_tty = false;
    bool m_lineOpen = false;
    DownloadPhase m_lastPhase = DownloadPhase::Done;
    std::chrono::steady_clock::time_point m_lastPlain{};
};

int runDownload(int argc, char** argv) {
    Args args(argc, argv, modelDownloadHelp().options);
    if (args.helpRequested()) return printHelp(modelDownloadHelp());
    if (!args.ok()) return usageError(args.error());
    if (!args.positionals().empty()) return usageError("model download takes no positional arguments");
    ModelDownloadOptions o;
    o.url = args.value("--url", o.url);
    o.targetDir = args.value("--to");
    o.configPath = args.value("--config");
    o.force = args.has("--force");
    ModelDownloader downloader(o);
    DownloadPrinter printer;
    std::fprintf(stderr, "tlbvfi: downloading %s\n", o.url.c_str());
    Result<ModelDownloadResult> r = [&] {
        SignalBridge signals([&downloader](int) { downloader.requestCancel(); });
        return downloader.run([&printer](const DownloadProgress& p) { printer(p); });
    }();
    printer.finish();
    if (!r) return reportError(r.error());
    for (const auto& w : r->warnings) std::fprintf(stderr, "tlbvfi: warning: %s\n", w.c_str());
    if (r->alreadyPresent)
        std::fprintf(stderr, "tlbvfi: %s is already installed; nothing was downloaded (--force downloads it again)\n", r->path.c_str());
    std::printf("model: %s\nsha256: %s\nbytes: %lld\n", r->path.c_str(), r->sha256.c_str(), static_cast<long long>(r->bytes));
    if (!r->config.empty()) std::printf("config: %s\n", r->config.c_str());
    return kExitOk;
}

}  // namespace

const CommandHelp& modelDownloadHelp() {
    static const CommandHelp help = [] {
        const ModelDownloadOptions d;
        CommandHelp h;
        h.synopsis = "model download [--to DIR] [--url URL] [--config JSON] [--force]";
        h.summary = "Downloads the TLB-VFI weights (vimeo_unet.pth, Hugging Face ucfzl/TLBVFI, about 3.6 GB) into DIR. "
                    "An interrupted download continues where it stopped (DIR/vimeo_unet.pth.part). The file is installed "
                    "only after it loads with the model configuration; its SHA-256 is printed and recorded in "
                    "DIR/vimeo_unet.pth.json. Proxies: http_proxy, https_proxy, no_proxy. Exit 9 when the download "
                    "fails, 7 when the file is not a usable checkpoint, 5 when cancelled.";
        h.options = {
            {"--to", "DIR", defaultModelDir(), "folder to install the model in (interpolate finds it there without --model)"},
            {"--url", "URL", d.url, "where to download the file from (https:// or http://)"},
            {"--config", "JSON[#SECTION]", "the official configuration", "model configuration the file must load with"},
            {"--force", "", "off", "download again even when DIR/vimeo_unet.pth exists (replaced only once the new file is verified)"},
            {"-h, --help", "", "", "show this help"},
        };
        return h;
    }();
    return help;
}

int runModel(int argc, char** argv) {
    const std::string sub = argc > 0 ? argv[0] : "";
    if (sub == "download") return runDownload(argc - 1, argv + 1);
    if (sub == "-h" || sub == "--help") return printHelp(modelDownloadHelp());
    std::fprintf(stderr, "tlbvfi: %s\n", sub.empty() ? "model needs a sub-command: download" : ("unknown model sub-command '" + sub + "'").c_str());
    std::fputs(formatHelp(modelDownloadHelp()).c_str(), stderr);
    return kExitUsage;
}

}  // namespace vfi::cli
