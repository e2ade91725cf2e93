// THE table of allowed (encoder, pixel format, output container) combinations and the resolution of
// a job's EncodeOptions into fully pinned encoder settings (issue 2 "Formats", "Chunk encoder").
// The same table is written down in docs/formats.md; keep them in sync.
//
// Defaults: libx264 yuv420p (.mp4) for 8-bit sources; libx265 yuv420p10le for sources > 8 bit.
// FFV1 -> .mkv only (lossless, quality ignored). ProRes (prores_ks) -> .mov/.mkv (quality = profile
// 0..5). h264_nvenc/hevc_nvenc are listed even where no GPU exists: resolveEncode() does a trial open
// with the job's size and pixel format and fails with EncoderUnavailable ("... use libx264/libx265")
// if it cannot open. "quality" maps per encoder: x264/x265 crf, NVENC rc=constqp qp (never crf),
// FFV1 none, ProRes profile.
// Odd sizes: 4:2:0 needs even width and height, 4:2:2 an even width. If the pixel format was chosen by
// default, x264/x265 switch to the matching 4:4:4 format (warning); an explicitly requested
// subsampled format with an odd size is refused (UnsupportedFormat naming the size). FFV1 accepts
// any size; ProRes and NVENC refuse odd sizes.
// Chunk container: NUT for every encoder. With B-frames the first decode timestamps are negative; the
// chunk encoder (pipeline/media_encode.cpp) disables avoid_negative_ts, NUT stores them as they are and
// every pts stays exact (MOV with an edit list was used before; NUT is what the pipeline verifies).
// Thread-safety: the table is immutable; resolveEncode is reentrant.
#pragma once

extern "C" {
#include <libavutil/pixfmt.h>
}

#include <string>
#include <utility>
#include <vector>

#include "vfi/job_settings.h"
#include "vfi/result.h"

namespace vfi::media {

struct SourceInfo;

struct EncoderRule {
    std::string encoder;                  // FFmpeg encoder name
    std::vector<std::string> pixFmts;     // allowed, first = default for 8-bit, see default10Bit
    std::string default10Bit;             // default for > 8-bit sources
    std::vector<std::string> containers;  // output extensions without dot
    std::string qualityName;              // "crf", "qp" (constqp), "profile", "" (lossless)
    int qualityMin = 0, qualityMax = 0, qualityDefault = 0;
    bool hardware = false;                // needs a trial open (NVENC)
    std::vector<std::string> presets;     // EncodeOptions::preset values, fastest first; empty: none
    std::string defaultPreset;            // used for an empty EncodeOptions::preset
};

// Every allowed combination. Order is the documentation order.
const std::vector<EncoderRule>& encoderTable();
const EncoderRule* findEncoderRule(const std::string& encoder);

struct ResolvedEncode {
    std::string encoder;                  // FFmpeg encoder name
    AVPixelFormat pixFmt = AV_PIX_FMT_NONE;
    std::string pixFmtName;
    std::string outputContainer;          // mp4 | mov | mkv
    std::string chunkContainer = "nut";   // see above
    int quality = -1;                     // the mapped value (crf / qp / profile; -1 for FFV1)
    std::string qualityName;
    // Pinned settings, applied by pipeline::openChunkEncoder: the numeric fields on AVCodecContext,
    // then `codecOptions` through av_opt_set on the codec context (AV_OPT_SEARCH_CHILDREN).
    std::vector<std::pair<std::string, std::string>> codecOptions;
    int gopSize = 0;                      // keyint
    int maxBFrames = 0;
    int refs = 0;                         // 0 = encoder has no such setting
    int threads = 1;
    // false where the bytes do not depend on the thread count (FFV1: independent slices): the encoder
    // then uses min(threads, cores). true: exactly `threads` (the count is part of the bitstream).
    bool threadsChangeOutput = true;
    bool closedGop = true;
    std::string profile;                  // encoder profile name ("" = encoder's)
    std::string level = "auto";
    std::string libraryVersion;           // e.g. "libavcodec 59.37.100; x264 core 164"
    std::vector<std::string> warnings;    // e.g. HDR metadata the encoder cannot carry, odd size
    std::string settingsHash;             // stable hex hash of every field above but warnings

    // One line for logs/manifest; the settings hash is of the line without the output container.
    std::string describe(bool withOutputContainer = true) const;
};

// Resolves options for a source and an output extension ("mp4", ".mkv", ...). Errors:
// UnsupportedFormat (refused combination, message names encoder, pixel format, container or size),
// EncoderUnavailable (not in this FFmpeg build, or an NVENC trial open failed), InvalidArgument
// (quality out of range). An empty extension skips the container check. trialOpenHardware=false skips
// the NVENC trial open (tests inspect the mapping on machines without a GPU).
Result<ResolvedEncode> resolveEncode(const EncodeOptions& options, const SourceInfo& source,
                                     const std::string& outputExtension, bool trialOpenHardware = true);

// x264 "asm" setting (its CPU flags as a decimal number) that keeps libx264 off its AVX-512 code:
// "asm=<flags>", or "" where x264 is not loaded, has no x264_cpu_detect or the CPU is not x86.
// libx264 core 164 (r3095) reads uninitialised heap memory in its AVX-512 code, so two encodes of the
// same frames in one process can differ by a few bits depending on what was in the heap before
// (docs/known-issues.md, "Fixed: x264 chunks of repeated renders differ"). The AVX2 path is bit-exact
// run to run; its result is also what AVX-512 gives on clean memory. The value depends on the CPU:
// record kX264AsmTag, not the number, in settings hashes.
std::string x264AsmOption();
inline constexpr const char* kX264AsmTag = "asm=no-avx512";

// x265 "pools" setting: one worker thread per core, "pools=<cores>". With lookahead-slices=0 (always
// set) the pool size does not change a byte: pools of 1, 2, 4, 8 and 16 threads gave identical
// streams with presets fast, medium and slow (x265 3.5; with lookahead slices, 4 or more threads
// changed them). Record kX265PoolsTag, not the number, in settings hashes. Before, the pool was one
// thread: a 4K x265 encode used one core.
std::string x265PoolsOption();
inline constexpr const char* kX265PoolsTag = "pools=cores";

// x264 frame threads and FFV1 slices (why: encoder_table.cpp).
inline constexpr int kX264Threads = 4;
inline constexpr int kFfv1Slices = 4;

// Trial-opens the encoder with this size/format (no output). Used for NVENC; exposed for tests.
Status trialOpen(const std::string& encoder, AVPixelFormat pixFmt, int width, int height);

}  // namespace vfi::media
