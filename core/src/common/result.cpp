#include "vfi/result.h"

namespace vfi {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::Ok: return "ok";
        case ErrorCode::InvalidArgument: return "invalid-argument";
        case ErrorCode::InputNotFound: return "input-not-found";
        case ErrorCode::NotAVideo: return "not-a-video";
        case ErrorCode::NoVideoStream: return "no-video-stream";
        case ErrorCode::TruncatedInput: return "truncated-input";
        case ErrorCode::UnsupportedCodec: return "unsupported-codec";
        case ErrorCode::UnsupportedFormat: return "unsupported-format";
        case ErrorCode::OutputEqualsInput: return "output-equals-input";
        case ErrorCode::OutputNotWritable: return "output-not-writable";
        case ErrorCode::OutputExists: return "output-exists";
        case ErrorCode::DiskFull: return "disk-full";
        case ErrorCode::CheckpointMissing: return "checkpoint-missing";
        case ErrorCode::CheckpointInvalid: return "checkpoint-invalid";
        case ErrorCode::ModelError: return "model-error";
        case ErrorCode::DeviceUnavailable: return "device-unavailable";
        case ErrorCode::SessionMismatch: return "session-mismatch";
        case ErrorCode::SessionIncomplete: return "session-incomplete";
        case ErrorCode::SessionLocked: return "session-locked";
        case ErrorCode::ChunkInvalid: return "chunk-invalid";
        case ErrorCode::VerifyFailed: return "verify-failed";
        case ErrorCode::EncoderUnavailable: return "encoder-unavailable";
        case ErrorCode::Ffmpeg: return "ffmpeg";
        case ErrorCode::Io: return "io";
        case ErrorCode::Cancelled: return "cancelled";
        case ErrorCode::Paused: return "paused";
        case ErrorCode::Internal: return "internal";
        case ErrorCode::Network: return "network";
    }
    return "internal";
}

Error makeError(ErrorCode code, std::string message, std::vector<std::string> args) {
    return Error{code, std::move(message), std::move(args)};
}

}  // namespace vfi
