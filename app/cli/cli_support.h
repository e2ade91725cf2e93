// Shared pieces of the sub-commands: a small option parser, error printing, the progress printer
// and the SIGINT/SIGTERM → cancel bridge.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli_help.h"
#include "vfi/job_runner.h"

namespace vfi::cli {

// Parses "--name value" / "--flag" options and positionals. Unknown options are errors; -h and
// --help stop the parse and set helpRequested().
class Args {
public:
    Args(int argc, char** argv, const std::vector<std::string>& valueOptions,
         const std::vector<std::string>& flagOptions);
    // The names of the command's option table (an option with a value takes one).
    Args(int argc, char** argv, const OptionTable& options);
    bool helpRequested() const { return m_help; }
    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    const std::vector<std::string>& positionals() const { return m_positionals; }
    bool has(const std::string& name) const { return m_values.count(name) > 0; }
    std::string value(const std::string& name, const std::string& def = "") const;

private:
    void parse(int argc, char** argv, const std::vector<std::string>& valueOptions, const std::vector<std::string>& flagOptions);

    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positionals;
    std::string m_error;
    bool m_help = false;
};

// Prints the command's help to stdout; returns kExitOk.
int printHelp(const CommandHelp& help);

int usageError(const std::string& message);
// Prints "tlbvfi: error: <message>" and returns the mapped exit code.
int reportError(const Error& e);

std::optional<long long> parseInt(const std::string& s);
// "mm:ss" or "h:mm:ss"; "--:--" for a negative (unknown) time.
std::string formatDuration(double seconds);
std::optional<double> parseDouble(const std::string& s);
// "K/N" with 0 <= K < N (--part).
std::optional<JobPart> parsePart(const std::string& s);

// Prints progress: a one-line bar with fps and ETA on a TTY, plain lines (every ~2 s) otherwise.
class ProgressPrinter : public JobObserver {
public:
    ProgressPrinter();
    void onStateChanged(JobState s) override;
    void onProgress(const Progress& p) override;
    void onLog(LogLevel level, const std::string& message) override;
    void finish();

private:
    void printLine(const std::string& line);   // m_mutex held

    std::mutex m_mutex;
    bool m_tty = false;
    bool m_lineOpen = false;
    std::string m_bar;   // the bar as last drawn (TTY)
    std::chrono::steady_clock::time_point m_lastPlain{};
};

// Blocks SIGINT/SIGTERM in every thread and calls onSignal (once per signal) from a dedicated thread.
class SignalBridge {
public:
    explicit SignalBridge(std::function<void(int)> onSignal);
    ~SignalBridge();

private:
    std::thread m_thread;
};

}  // namespace vfi::cli
