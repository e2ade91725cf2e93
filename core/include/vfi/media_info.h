// Probing a file: what the CLI's `info` and the GUI queue show. Opens the container and reads stream
// headers only (cheap); the exact frame count comes from the index pass (indexFrames in job runs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vfi/result.h"

namespace vfi {

struct Rational {
    int num = 0;
    int den = 1;
    double toDouble() const { return den ? static_cast<double>(num) / den : 0.0; }
};

struct ColourInfo {
    std::string primaries = "unknown";   // FFmpeg names: bt709, bt2020, smpte170m, ...
    std::string transfer = "unknown";    // bt709, smpte2084 (PQ), arib-std-b67 (HLG), ...
    std::string matrix = "unknown";      // bt709, bt470bg, bt2020nc, ...
    std::string range = "unknown";       // tv (limited) | pc (full)
    bool hdr = false;                    // PQ or HLG transfer
    bool hasMasteringDisplay = false;
    bool hasContentLight = false;
};

struct StreamInfo {
    int index = -1;
    std::string kind;                    // audio | subtitle | data | attachment
    std::string codec;
    std::string language;
    int sampleRate = 0;
    int channels = 0;
    double startSeconds = 0;             // relative to the first presented video frame
};

struct MediaInfo {
    std::string path;
    std::string container;               // demuxer name
    int64_t fileBytes = 0;
    double durationSeconds = 0;
    int width = 0;
    int height = 0;
    std::string codec;                   // video codec
    std::string pixFmt;
    int bitDepth = 8;
    Rational frameRate;                  // r_frame_rate
    Rational averageFrameRate;
    Rational timeBase;
    int64_t estimatedFrames = 0;         // header value or duration * fps; exact value from the index
    bool variableFrameRate = false;      // best guess from headers; the index pass decides
    double rotationDegrees = 0;
    ColourInfo colour;
    std::vector<StreamInfo> otherStreams;
    int chapterCount = 0;
};

Result<MediaInfo> probeMedia(const std::string& path);

}  // namespace vfi
