// Opening a source container with the error classification every media entry point shares
// (InputNotFound, NotAVideo, NoVideoStream, TruncatedInput for an MP4/MOV cut before its index box).
#pragma once

#include <string>

#include "media/av_ptr.h"
#include "vfi/result.h"

namespace vfi::media {

struct InputFile {
    AvInputContextPtr fmt;
    int videoStream = -1;
};

// Opens `path`, reads stream info and picks the best video stream (attached pictures excluded).
Result<InputFile> openInputFile(const std::string& path);

// Makes the demuxer drop the packets of every stream but the chosen video one (index and decode
// passes read video only).
void discardAllButVideo(InputFile& in);

// Hex SHA-256 of bytes (libavutil's hash).
std::string sha256Hex(const void* data, size_t size);

}  // namespace vfi::media
