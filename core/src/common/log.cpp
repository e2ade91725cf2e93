#include "vfi/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace vfi {
namespace {

std::mutex& sinkMutex() {
    static std::mutex m;
    return m;
}
LogSink& sink() {
    static LogSink s;
    return s;
}
std::atomic<int> g_minimum{static_cast<int>(LogLevel::Info)};

const char* levelTag(LogLevel l) {
    switch (l) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "info";
}

}  // namespace

void setLogSink(LogSink s) {
    std::lock_guard lock(sinkMutex());
    sink() = std::move(s);
}

void setLogLevel(LogLevel minimum) { g_minimum = static_cast<int>(minimum); }

void log(LogLevel level, const std::string& message) {
    if (static_cast<int>(level) < g_minimum.load()) return;
    std::lock_guard lock(sinkMutex());
    if (sink()) {
        sink()(level, message);
    } else {
        std::fprintf(stderr, "[%s] %s\n", levelTag(level), message.c_str());
    }
}

}  // namespace vfi
