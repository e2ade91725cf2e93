// The output encoders a job can use, for choosers (GUI Settings, CLI help): what "quality" means for
// each, its range and default, its speed presets, pixel formats and containers. Qt-free. The rules
// themselves live in the encoder table (src/media/encoder_table.h, docs/formats.md).
#pragma once

#include <string>
#include <vector>

namespace vfi {

struct EncoderInfo {
    std::string name;                 // FFmpeg encoder name: "libx264", "hevc_nvenc", "ffv1", ...
    std::string qualityName;          // "crf" | "qp" (NVENC constqp) | "profile" (ProRes) | "" (lossless)
    int qualityMin = -1;              // EncodeOptions::quality range; -1 when there is no setting
    int qualityMax = -1;
    int qualityDefault = -1;          // what quality -1 means
    bool hardware = false;            // needs a GPU encoder (NVENC)
    std::vector<std::string> presets; // EncodeOptions::preset values, fastest first; empty: none
    std::string defaultPreset;        // what preset "" means ("" when there are none)
    std::vector<std::string> pixFmts; // allowed pixel formats (the first is the 8-bit default)
    std::string pixFmt10Bit;          // default for sources above 8 bit
    std::vector<std::string> containers;   // output extensions without the dot
};

// Every encoder of the table, in its documentation order, without asking FFmpeg.
std::vector<EncoderInfo> allEncoders();

// The encoders that work here: in this FFmpeg build, and hardware ones only where a trial open
// (1280x720 in their default pixel format) succeeded, so a chooser never offers NVENC on a machine
// without an NVIDIA driver. Probed once per process on the first call (a few ms without a GPU),
// then cached; thread-safe.
const std::vector<EncoderInfo>& usableEncoders();

}  // namespace vfi
