#include "cli_support.h"

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "exit_codes.h"

namespace vfi::cli {

int exitCodeFor(const Error& e) {
    switch (e.code) {
        case ErrorCode::Ok: return kExitOk;
        case ErrorCode::InvalidArgument: return kExitUsage;
        case ErrorCode::InputNotFound:
        case ErrorCode::NotAVideo:
        case ErrorCode::NoVideoStream:
        case ErrorCode::TruncatedInput:
        case ErrorCode::UnsupportedCodec: return kExitBadInput;
        case ErrorCode::OutputEqualsInput:
        case ErrorCode::OutputNotWritable:
        case ErrorCode::OutputExists:
        case ErrorCode::UnsupportedFormat:
        case ErrorCode::EncoderUnavailable:
        case ErrorCode::Io: return kExitOutput;
        case ErrorCode::DiskFull:
        case ErrorCode::Cancelled:
        case ErrorCode::Paused: return kExitResumable;
        case ErrorCode::SessionMismatch:
        case ErrorCode::SessionIncomplete:
        case ErrorCode::SessionLocked: return kExitSession;
        case ErrorCode::CheckpointMissing:
        case ErrorCode::CheckpointInvalid:
        case ErrorCode::ModelError:
        case ErrorCode::DeviceUnavailable: return kExitModel;
        case ErrorCode::ChunkInvalid:
        case ErrorCode::VerifyFailed: return kExitVerify;
        case ErrorCode::Ffmpeg:
        case ErrorCode::Internal: return kExitInternal;
        case ErrorCode::Network: return kExitNetwork;
    }
    return kExitInternal;
}

Args::Args(int argc, char** argv, const std::vector<std::string>& valueOptions,
           const std::vector<std::string>& flagOptions) {
    parse(argc, argv, valueOptions, flagOptions);
}

Args::Args(int argc, char** argv, const OptionTable& options) {
    std::vector<std::string> values, flags;
    for (const OptionSpec& o : options) {
        std::string names = o.names;
        for (size_t at = 0; at != std::string::npos;) {
            const size_t comma = names.find(',', at);
            std::string name = names.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
            name.erase(0, name.find_first_not_of(' '));
            (o.value.empty() ? flags : values).push_back(name);
            at = comma == std::string::npos ? comma : comma + 1;
        }
    }
    parse(argc, argv, values, flags);
}

int printHelp(const CommandHelp& help) {
    std::fputs(formatHelp(help).c_str(), stdout);
    return kExitOk;
}

void Args::parse(int argc, char** argv, const std::vector<std::string>& valueOptions,
                 const std::vector<std::string>& flagOptions) {
    auto contains = [](const std::vector<std::string>& v, const std::string& s) {
        for (const auto& x : v)
            if (x == s) return true;
        return false;
    };
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            m_help = true;
            return;
        }
        if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && std::isdigit(static_cast<unsigned char>(a[1])))) {
            std::string name = a;
            std::string inlineValue;
            bool hasInline = false;
            if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
                name = a.substr(0, eq);
                inlineValue = a.substr(eq + 1);
                hasInline = true;
            }
            if (contains(valueOptions, name)) {
                if (hasInline) {
                    m_values[name] = inlineValue;
                } else if (i + 1 < argc) {
                    m_values[name] = argv[++i];
                } else {
                    m_error = "option " + name + " needs a value";
                    return;
                }
            } else if (contains(flagOptions, name) && !hasInline) {
                m_values[name] = "1";
            } else {
                m_error = "unknown option " + name;
                return;
            }
        } else {
            m_positionals.push_back(a);
        }
    }
}

std::string Args::value(const std::string& name, const std::string& def) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? def : it->second;
}

int usageError(const std::string& message) {
    std::fprintf(stderr, "tlbvfi: usage error: %s (see tlbvfi --help)\n", message.c_str());
    return kExitUsage;
}

int reportError(const Error& e) {
    // A cancel or pause is not an error; its message already says what was kept and how to resume.
    const bool requested = e.code == ErrorCode::Cancelled || e.code == ErrorCode::Paused;
    std::fprintf(stderr, "tlbvfi: %s%s\n", requested ? "" : "error: ", e.message.c_str());
    return exitCodeFor(e);
}

std::optional<long long> parseInt(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (*end) return std::nullopt;
    return v;
}

std::optional<JobPart> parsePart(const std::string& s) {
    const size_t slash = s.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const auto k = parseInt(s.substr(0, slash));
    const auto n = parseInt(s.substr(slash + 1));
    if (!k || !n || *n < 1 || *n > 1000000 || *k < 0 || *k >= *n) return std::nullopt;
    return JobPart{static_cast<int>(*k), static_cast<int>(*n)};
}

std::optional<double> parseDouble(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (*end || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string formatDuration(double s) {
    if (s < 0) return "--:--";
    const long t = std::lround(s);
    char buf[32];
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
    return buf;
}

ProgressPrinter::ProgressPrinter() : m_tty(::isatty(STDERR_FILENO) != 0) {}

void ProgressPrinter::printLine(const std::string& line) {
    // On a terminal the bar is erased, the message printed, and the bar drawn again below it, so no
    // stale bar is left between messages.
    if (m_lineOpen) std::fputs("\r\033[K", stderr);
    std::fprintf(stderr, "%s\n", line.c_str());
    if (m_lineOpen) std::fputs(m_bar.c_str(), stderr);
}

void ProgressPrinter::onStateChanged(JobState s) {
    // How a run ended other than by success is what the command reports last (reportError), once.
    if (s == JobState::Cancelled || s == JobState::Failed || s == JobState::Paused) return;
    std::lock_guard lock(m_mutex);
    printLine(std::string("tlbvfi: ") + jobStateName(s));
}

void ProgressPrinter::onProgress(const Progress& p) {
    std::lock_guard lock(m_mutex);
    // Before the index pass has counted the frames there is nothing to show ("0/0").
    if (p.outputFramesTotal == 0) return;
    const double frac = static_cast<double>(p.outputFramesDone) / static_cast<double>(p.outputFramesTotal);
    const double mb = static_cast<double>(p.rssBytes) / (1024.0 * 1024.0);
    if (m_tty) {
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(frac * kWidth);
        std::string bar(static_cast<size_t>(filled), '#');
        bar.resize(kWidth, '.');
        char line[256];
        std::snprintf(line, sizeof line, "[%s] %5.1f%% %lld/%lld frames  chunk %d/%d  %.1f fps  ETA %s  RSS %.0f MiB", bar.c_str(),
                      frac * 100, static_cast<long long>(p.outputFramesDone), static_cast<long long>(p.outputFramesTotal),
                      p.chunksDone, p.chunksTotal, p.currentFps, formatDuration(p.etaSeconds).c_str(), mb);
        m_bar = line;
        if (p.devices.size() > 1) m_bar += "  devices " + std::to_string(p.devices.size());   // the fps is all of them
        std::fprintf(stderr, "\r\033[K%s", m_bar.c_str());
        m_lineOpen = true;
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastPlain < std::chrono::seconds(2) && p.chunksDone != p.chunksTotal) return;
    m_lastPlain = now;
    std::fprintf(stderr, "progress %.1f%% frames %lld/%lld chunks %d/%d fps %.1f eta %s rss %.0fMiB%s\n", frac * 100,
                 static_cast<long long>(p.outputFramesDone), static_cast<long long>(p.outputFramesTotal), p.chunksDone,
                 p.chunksTotal, p.currentFps, formatDuration(p.etaSeconds).c_str(), mb,
                 p.devices.size() > 1 ? (" devices " + std::to_string(p.devices.size())).c_str() : "");
}

void ProgressPrinter::onLog(LogLevel level, const std::string& message) {
    if (level == LogLevel::Debug) return;
    std::lock_guard lock(m_mutex);
    const char* tag = level == LogLevel::Error ? "error" : level == LogLevel::Warning ? "warning" : "info";
    printLine(std::string("tlbvfi: ") + tag + ": " + message);
}

void ProgressPrinter::finish() {
    std::lock_guard lock(m_mutex);
    if (m_lineOpen) std::fputc('\n', stderr);
    m_lineOpen = false;
}

SignalBridge::SignalBridge(std::function<void(int)> onSignal) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR2);   // internal: wakes the thread for shutdown
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    m_thread = std::thread([set, onSignal = std::move(onSignal)]() {
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) continue;
            if (sig == SIGUSR2) return;
            onSignal(sig);
        }
    });
}

SignalBridge::~SignalBridge() {
    pthread_kill(m_thread.native_handle(), SIGUSR2);
    m_thread.join();
}

}  // namespace vfi::cli
