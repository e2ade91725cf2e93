// Result<T>: value or Error, shaped like std::expected (GCC 12 has no <expected>).
// Errors carry a stable code plus arguments so the UI can translate them (tr()) and the CLI can map
// them to exit codes; `message` is the English text used in logs and by the CLI.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vfi {

enum class ErrorCode {
    Ok = 0,
    InvalidArgument,      // args: option, value
    InputNotFound,        // args: path
    NotAVideo,            // args: path, detail
    NoVideoStream,        // args: path
    TruncatedInput,       // args: path, detail
    UnsupportedCodec,     // args: codec name
    UnsupportedFormat,    // args: encoder, pixel format, container
    OutputEqualsInput,    // args: path
    OutputNotWritable,    // args: path, detail
    OutputExists,         // args: path
    DiskFull,             // args: path, bytes needed, bytes free  (resumable)
    CheckpointMissing,    // args: path
    CheckpointInvalid,    // args: path, detail
    ModelError,           // args: detail
    DeviceUnavailable,    // args: device, detail
    SessionMismatch,      // args: what changed
    SessionIncomplete,    // args: missing chunk list
    SessionLocked,        // args: host, pid
    ChunkInvalid,         // args: chunk file, detail
    VerifyFailed,         // args: path, detail
    EncoderUnavailable,   // args: encoder, detail
    Ffmpeg,               // args: operation, av_strerror text
    Io,                   // args: path, strerror text
    Cancelled,
    Paused,               // run stopped at a pair boundary on request (resumable)
    Internal,             // args: detail
    Network,              // args: url, detail (a download failed: connection, HTTP status, size)
};

// Stable identifier ("not-a-video", ...) for logs, JSON and translation lookup.
const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;            // complete English sentence, names the file/option concerned
    std::vector<std::string> args;  // values substituted into translated templates, see ErrorCode
};

Error makeError(ErrorCode code, std::string message, std::vector<std::string> args = {});

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_data); }
    const T& value() const& { assert(ok()); return std::get<0>(m_data); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_data)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(m_data); }
    Error&& takeError() { assert(!ok()); return std::get<1>(std::move(m_data)); }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { assert(m_failed); return m_error; }
    Error&& takeError() { assert(m_failed); return std::move(m_error); }

private:
    Error m_error;
    bool m_failed = false;
};

using Status = Result<void>;

}  // namespace vfi

// Propagate an error from an expression returning Result<...>.
#define VFI_TRY(expr)                                   \
    do {                                                \
        auto vfiTryResult_ = (expr);                    \
        if (!vfiTryResult_) return vfiTryResult_.takeError(); \
    } while (0)

#define VFI_CONCAT_INNER_(a, b) a##b
#define VFI_CONCAT_(a, b) VFI_CONCAT_INNER_(a, b)
// VFI_ASSIGN_OR_RETURN(auto x, f()); declares x from a Result's value or returns its error.
#define VFI_ASSIGN_OR_RETURN(decl, expr)                                          \
    auto VFI_CONCAT_(vfiRes_, __LINE__) = (expr);                                 \
    if (!VFI_CONCAT_(vfiRes_, __LINE__)) return VFI_CONCAT_(vfiRes_, __LINE__).takeError(); \
    decl = std::move(VFI_CONCAT_(vfiRes_, __LINE__)).value()
