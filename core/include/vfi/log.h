// Logging facade of the core. Sinks are called from whichever thread logs; they must be thread-safe.
// FFmpeg's av_log is routed here by media::installAvLogBridge().
#pragma once

#include <functional>
#include <string>

namespace vfi {

enum class LogLevel { Debug, Info, Warning, Error };

using LogSink = std::function<void(LogLevel, const std::string&)>;

// Process-wide sink (stderr by default). Job-scoped messages also reach JobObserver::onLog.
void setLogSink(LogSink sink);
void setLogLevel(LogLevel minimum);
void log(LogLevel level, const std::string& message);

inline void logInfo(const std::string& m) { log(LogLevel::Info, m); }
inline void logWarning(const std::string& m) { log(LogLevel::Warning, m); }
inline void logError(const std::string& m) { log(LogLevel::Error, m); }
inline void logDebug(const std::string& m) { log(LogLevel::Debug, m); }

}  // namespace vfi
