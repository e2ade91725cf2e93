// Opening a source container with the error classification every media entry point shares
// (InputNotFound, NotAVideo, NoVideoStream, TruncatedInput for an MP4/MOV cut before its index box).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "media/av_ptr.h"
#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi::media {

struct InputFile {
    // Custom I/O (openInputBytes): the AVIOContext and its reader. Declared before `fmt`, so it is
    // freed after the demuxer that reads through it.
    std::shared_ptr<void> io;
    AvInputContextPtr fmt;
    int videoStream = -1;
};

// Opens `path`, reads stream info and picks the best video stream (attached pictures excluded).
Result<InputFile> openInputFile(const std::string& path);

// The same on bytes in memory, read by the demuxer through a custom AVIOContext (seekable); `name`
// stands for the path in messages. The bytes must outlive the InputFile. The fuzz targets
// (tests/fuzz) feed their inputs to the probe and the frame index this way.
Result<InputFile> openInputBytes(const uint8_t* data, size_t size, const std::string& name);
// probeMedia (vfi/media_info.h) on bytes in memory.
Result<MediaInfo> probeMediaBytes(const uint8_t* data, size_t size, const std::string& name);

// Makes the demuxer drop the packets of every stream but the chosen video one (index and decode
// passes read video only).
void discardAllButVideo(InputFile& in);

// Hex SHA-256 of bytes (libavutil's hash).
std::string sha256Hex(const void* data, size_t size);

}  // namespace vfi::media
