#include "media/encoder_table.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <thread>

#include "media/av_ptr.h"
#include "media/input_file.h"
#include "media/video_source.h"

namespace vfi::media {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string joinList(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// Version of the external library behind a wrapper: x264 exports x264_encoder_open_<build>, x265 a
// version string. Both are loaded (libavcodec links them) when we run.
std::string libraryVersion(const std::string& encoder) {
    std::string v = LIBAVCODEC_IDENT;
    if (encoder == "libx264") {
        for (int build = 120; build < 260; ++build) {
            const std::string sym = "x264_encoder_open_" + std::to_string(build);
            if (dlsym(RTLD_DEFAULT, sym.c_str())) return v + "; x264 core " + std::to_string(build);
        }
        return v + "; x264 (build unknown)";
    }
    if (encoder == "libx265") {
        if (auto* s = static_cast<const char* const*>(dlsym(RTLD_DEFAULT, "x265_version_str")); s && *s)
            return v + "; x265 " + *s;
        return v + "; x265 (version unknown)";
    }
    return v;
}

std::string replaced(const std::string& value, const std::string& what, const std::string& with) {
    if (what.empty()) return value;
    const auto at = value.find(what);
    return at == std::string::npos ? value : value.substr(0, at) + with + value.substr(at + what.size());
}

// Stable text for settings hashes: the machine-dependent values (x264's asm= flags, x265's pool
// size) become tags, so two machines with the same settings record the same hash.
std::string stableOptionText(const std::string& value) {
    return replaced(replaced(value, x264AsmOption(), kX264AsmTag), x265PoolsOption(), kX265PoolsTag);
}

int chromaLog2W(AVPixelFormat f) { const auto* d = av_pix_fmt_desc_get(f); return d ? d->log2_chroma_w : 0; }
int chromaLog2H(AVPixelFormat f) { const auto* d = av_pix_fmt_desc_get(f); return d ? d->log2_chroma_h : 0; }
int depthOf(AVPixelFormat f) { const auto* d = av_pix_fmt_desc_get(f); return d ? d->comp[0].depth : 8; }

std::string x264Profile(AVPixelFormat f) {
    const int d = depthOf(f);
    if (chromaLog2W(f) == 0) return "high444";
    if (chromaLog2H(f) == 0) return "high422";
    return d > 8 ? "high10" : "high";
}

std::string x265Profile(AVPixelFormat f) {
    const int d = depthOf(f);
    if (chromaLog2W(f) == 0) return d > 8 ? "main444-10" : "main444-8";
    if (chromaLog2H(f) == 0) return "main422-10";
    return d > 8 ? "main10" : "main";
}

// x265 master-display: chromaticities in 0.00002 units, luminance in 0.0001 cd/m², order G, B, R, WP.
std::string masterDisplay(const AVMasteringDisplayMetadata& m) {
    auto xy = [](AVRational r) { return std::lrint(av_q2d(r) * 50000.0); };
    std::ostringstream s;
    s << "G(" << xy(m.display_primaries[1][0]) << ',' << xy(m.display_primaries[1][1]) << ")B(" << xy(m.display_primaries[2][0])
      << ',' << xy(m.display_primaries[2][1]) << ")R(" << xy(m.display_primaries[0][0]) << ',' << xy(m.display_primaries[0][1])
      << ")WP(" << xy(m.white_point[0]) << ',' << xy(m.white_point[1]) << ")L(" << std::lrint(av_q2d(m.max_luminance) * 10000.0)
      << ',' << std::lrint(av_q2d(m.min_luminance) * 10000.0) << ')';
    return s.str();
}

}  // namespace

std::string x264AsmOption() {
#if defined(__x86_64__) || defined(__i386__)
    // X264_CPU_AVX512 in x264.h (public API since build 152). x264's own detection, not FFmpeg's, so
    // every other extension x264 would use stays on.
    constexpr uint32_t kX264CpuAvx512 = 1u << 16;
    using Detect = uint32_t (*)();
    static const std::string option = [] {
        auto detect = reinterpret_cast<Detect>(dlsym(RTLD_DEFAULT, "x264_cpu_detect"));
        if (!detect) return std::string();
        return "asm=" + std::to_string(detect() & ~kX264CpuAvx512);
    }();
    return option;
#else
    return {};
#endif
}

std::string x265PoolsOption() {
    return "pools=" + std::to_string(std::max(1u, std::thread::hardware_concurrency()));
}

const std::vector<EncoderRule>& encoderTable() {
    static const std::vector<EncoderRule> table = [] {
        // Speed presets as the encoders name them (x264/x265 without "placebo", which buys nothing;
        // NVENC p1..p7 since SDK 10).
        const std::vector<std::string> x26x = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                               "medium", "slow", "slower", "veryslow"};
        const std::vector<std::string> nvenc = {"p1", "p2", "p3", "p4", "p5", "p6", "p7"};
        return std::vector<EncoderRule>{
            {"libx264", {"yuv420p", "yuv422p", "yuv444p", "yuv420p10le", "yuv422p10le", "yuv444p10le"}, "yuv420p10le",
             {"mp4", "mov", "mkv"}, "crf", 0, 51, 18, false, x26x, "medium"},
            {"libx265", {"yuv420p", "yuv444p", "yuv420p10le", "yuv422p10le", "yuv444p10le"}, "yuv420p10le",
             {"mp4", "mov", "mkv"}, "crf", 0, 51, 20, false, x26x, "medium"},
            {"h264_nvenc", {"yuv420p", "yuv444p"}, "yuv420p", {"mp4", "mov", "mkv"}, "qp", 0, 51, 20, true, nvenc, "p5"},
            {"hevc_nvenc", {"yuv420p", "p010le", "yuv444p"}, "p010le", {"mp4", "mov", "mkv"}, "qp", 0, 51, 22, true, nvenc, "p5"},
            {"ffv1", {"yuv420p", "yuv422p", "yuv444p", "yuv420p10le", "yuv422p10le", "yuv444p10le", "gray", "gray10le", "gbrp10le"},
             "yuv444p10le", {"mkv"}, "", -1, -1, -1, false, {}, ""},
            {"prores_ks", {"yuv422p10le", "yuv444p10le"}, "yuv422p10le", {"mov", "mkv"}, "profile", 0, 5, 3, false, {}, ""},
        };
    }();
    return table;
}

const EncoderRule* findEncoderRule(const std::string& encoder) {
    for (const auto& r : encoderTable())
        if (r.encoder == encoder) return &r;
    return nullptr;
}

std::string ResolvedEncode::describe(bool withOutputContainer) const {
    std::ostringstream s;
    s << encoder << ' ' << pixFmtName << ' ' << (qualityName.empty() ? "lossless" : qualityName + "=" + std::to_string(quality))
      << " gop=" << gopSize << " bframes=" << maxBFrames << " refs=" << refs << " threads=" << threads
      << (threadsChangeOutput ? "" : " (output independent of threads)") << " closed-gop=" << (closedGop ? 1 : 0) << " profile=" << (profile.empty() ? "default" : profile) << " level=" << level;
    for (const auto& [k, v] : codecOptions) s << ' ' << k << '=' << stableOptionText(v);
    s << " chunk=" << chunkContainer;
    if (withOutputContainer) s << " output=" << outputContainer;
    s << " [" << libraryVersion << ']';
    return s.str();
}

Status trialOpen(const std::string& encoder, AVPixelFormat pixFmt, int width, int height) {
    const AVCodec* codec = avcodec_find_encoder_by_name(encoder.c_str());
    if (!codec) return makeError(ErrorCode::EncoderUnavailable, "encoder " + encoder + " is not in this FFmpeg build", {encoder, "missing"});
    AvCodecContextPtr ctx(avcodec_alloc_context3(codec));
    ctx->width = width;
    ctx->height = height;
    ctx->pix_fmt = pixFmt;
    ctx->time_base = {1, 25};
    ctx->framerate = {25, 1};
    const int rc = avcodec_open2(ctx.get(), codec, nullptr);
    if (rc < 0)
        return makeError(ErrorCode::EncoderUnavailable,
                         encoder + " cannot be opened for " + std::to_string(width) + "x" + std::to_string(height) + " " +
                             (av_get_pix_fmt_name(pixFmt) ? av_get_pix_fmt_name(pixFmt) : "?") + " (" + avErrorText(rc) + ")",
                         {encoder, avErrorText(rc)});
    return {};
}

Result<ResolvedEncode> resolveEncode(const EncodeOptions& options, const SourceInfo& source, const std::string& outputExtension,
                                     bool trialOpenHardware) {
    std::string ext = lower(outputExtension);
    if (!ext.empty() && ext.front() == '.') ext.erase(0, 1);
    const bool tenBitSource = source.bitDepth > 8;
    const AVPixelFormat requestedFmt = options.pixFmt.empty() ? AV_PIX_FMT_NONE : av_get_pix_fmt(options.pixFmt.c_str());
    if (!options.pixFmt.empty() && requestedFmt == AV_PIX_FMT_NONE)
        return makeError(ErrorCode::InvalidArgument, "unknown pixel format '" + options.pixFmt + "'", {"--pix-fmt", options.pixFmt});

    std::string encoder = lower(options.encoder);
    if (encoder == "x264" || encoder == "h264") encoder = "libx264";
    if (encoder == "x265" || encoder == "hevc") encoder = "libx265";
    if (encoder == "prores") encoder = "prores_ks";
    if (encoder.empty()) encoder = (tenBitSource || (requestedFmt != AV_PIX_FMT_NONE && depthOf(requestedFmt) > 8)) ? "libx265" : "libx264";
    const EncoderRule* rule = findEncoderRule(encoder);
    if (!rule) {
        std::vector<std::string> names;
        for (const auto& r : encoderTable()) names.push_back(r.encoder);
        return makeError(ErrorCode::UnsupportedFormat, "encoder '" + options.encoder + "' is not supported (choose one of " + joinList(names) + ")",
                         {options.encoder, options.pixFmt, ext});
    }
    if (!avcodec_find_encoder_by_name(encoder.c_str()))
        return makeError(ErrorCode::EncoderUnavailable, "encoder " + encoder + " is not available in this FFmpeg build", {encoder, "missing"});
    if (!ext.empty() && !contains(rule->containers, ext))
        return makeError(ErrorCode::UnsupportedFormat,
                         encoder + " cannot be written to ." + ext + " (allowed: ." + joinList(rule->containers) + ")",
                         {encoder, options.pixFmt, ext});

    ResolvedEncode r;
    r.encoder = encoder;
    r.outputContainer = ext;
    r.qualityName = rule->qualityName;
    r.libraryVersion = libraryVersion(encoder);

    // Pixel format.
    bool defaulted = options.pixFmt.empty();
    if (!defaulted) {
        r.pixFmtName = av_get_pix_fmt_name(requestedFmt);
    } else if (encoder == "ffv1") {
        const char* src = av_get_pix_fmt_name(source.pixFmt);
        if (src && contains(rule->pixFmts, src)) r.pixFmtName = src;
        else if (chromaLog2H(source.pixFmt) == 1) r.pixFmtName = tenBitSource ? "yuv420p10le" : "yuv420p";
        else r.pixFmtName = tenBitSource ? "yuv444p10le" : "yuv444p";
    } else if (encoder == "prores_ks" && options.quality >= 4) {
        r.pixFmtName = "yuv444p10le";
    } else {
        r.pixFmtName = tenBitSource ? rule->default10Bit : rule->pixFmts.front();
    }
    if (!contains(rule->pixFmts, r.pixFmtName))
        return makeError(ErrorCode::UnsupportedFormat,
                         encoder + " does not support pixel format " + r.pixFmtName + " (allowed: " + joinList(rule->pixFmts) + ")",
                         {encoder, r.pixFmtName, ext});
    r.pixFmt = av_get_pix_fmt(r.pixFmtName.c_str());

    // Odd sizes (policy in the header and docs/formats.md).
    const bool oddW = source.width % 2 != 0, oddH = source.height % 2 != 0;
    auto needsEven = [&](AVPixelFormat f) { return (chromaLog2W(f) && oddW) || (chromaLog2H(f) && oddH); };
    if (encoder != "ffv1" && needsEven(r.pixFmt)) {
        const std::string size = std::to_string(source.width) + "x" + std::to_string(source.height);
        const bool x26x = encoder == "libx264" || encoder == "libx265";
        if (defaulted && x26x) {
            r.pixFmtName = depthOf(r.pixFmt) > 8 ? "yuv444p10le" : "yuv444p";
            r.pixFmt = av_get_pix_fmt(r.pixFmtName.c_str());
            r.warnings.push_back("the source size " + size + " is odd, which " + encoder +
                                 " cannot encode with chroma subsampling; using " + r.pixFmtName + " instead");
        } else {
            return makeError(ErrorCode::UnsupportedFormat,
                             "the video size " + size + " is odd: " + encoder + " with " + r.pixFmtName +
                                 " needs an even width" + (chromaLog2H(r.pixFmt) ? " and height" : "") +
                                 " (use --pix-fmt yuv444p, or --encoder ffv1 with .mkv)",
                             {encoder, r.pixFmtName, ext});
        }
    }

    // Quality.
    if (rule->qualityName.empty()) {
        r.quality = -1;
        if (options.quality >= 0) r.warnings.push_back(encoder + " is lossless: the quality setting is ignored");
    } else {
        r.quality = options.quality >= 0 ? options.quality : rule->qualityDefault;
        if (r.quality < rule->qualityMin || r.quality > rule->qualityMax)
            return makeError(ErrorCode::InvalidArgument,
                             "quality " + std::to_string(r.quality) + " is out of range for " + encoder + " (" + rule->qualityName + " " +
                                 std::to_string(rule->qualityMin) + ".." + std::to_string(rule->qualityMax) + ")",
                             {"--quality", std::to_string(r.quality)});
    }
    if (encoder == "prores_ks" && r.quality >= 4 && r.pixFmtName != "yuv444p10le")
        return makeError(ErrorCode::UnsupportedFormat, "ProRes 4444 profiles (quality 4, 5) need pixel format yuv444p10le",
                         {encoder, r.pixFmtName, ext});

    const bool hdrTransfer = source.transfer == AVCOL_TRC_SMPTE2084 || source.transfer == AVCOL_TRC_ARIB_STD_B67;
    if (hdrTransfer)
        r.warnings.push_back("the source is HDR (PQ/HLG transfer), which is outside what the model was trained on; results may differ");

    // Pinned settings per encoder.
    const std::string preset = options.preset.empty() ? rule->defaultPreset : options.preset;
    if (encoder == "libx264") {
        // Frame threads, a fixed count, never "auto": x264's output depends on the number of frame
        // threads (not on their timing: x264 is deterministic unless told --non-deterministic), and a
        // resumed or --range chunk rendered on another machine must match. Sliced threads and automatic
        // lookahead threads stay off for the same reason. 4 measured fastest of 1-4 on the 2-core
        // reference machine (docs/benchmarks.md). Re-rendered chunks that once differed were x264's
        // AVX-512 code, not threads (x264AsmOption).
        r.gopSize = 250; r.maxBFrames = 3; r.refs = 3; r.threads = kX264Threads; r.profile = x264Profile(r.pixFmt);
        r.codecOptions = {{"preset", preset}, {"crf", std::to_string(r.quality)},
                          {"profile", r.profile}, {"b-pyramid", "normal"}, {"forced-idr", "1"},
                          {"x264-params", "open-gop=0:sliced-threads=0:threads=" + std::to_string(kX264Threads) +
                                              ":lookahead-threads=1:min-keyint=1:scenecut=0" +
                                              (x264AsmOption().empty() ? std::string() : ":" + x264AsmOption())}};
    } else if (encoder == "libx265") {
        // One frame thread (threads=1: the count that shapes the bitstream) and a worker pool of one
        // thread per core, which does not: x265's wavefront rows and lookahead cost estimates give the
        // same bytes for any pool size once lookahead slices are off. With them on (the preset default)
        // a pool of 4 or more threads changes the output (x265PoolsOption).
        r.gopSize = 250; r.maxBFrames = 4; r.refs = 3; r.threads = 1; r.profile = x265Profile(r.pixFmt);
        std::string params = "open-gop=0:keyint=250:min-keyint=1:bframes=4:b-pyramid=1:ref=3:frame-threads=1:" + x265PoolsOption() +
                             ":lookahead-slices=0:scenecut=0:info=0:repeat-headers=0:log-level=error";
        if (source.masteringDisplay && source.masteringDisplay->has_primaries && source.masteringDisplay->has_luminance)
            params += ":hdr10=1:master-display=" + masterDisplay(*source.masteringDisplay);
        if (source.contentLight)
            params += ":max-cll=" + std::to_string(source.contentLight->MaxCLL) + "," + std::to_string(source.contentLight->MaxFALL);
        r.codecOptions = {{"preset", preset}, {"crf", std::to_string(r.quality)},
                          {"profile", r.profile}, {"forced-idr", "1"}, {"x265-params", params}};
    } else if (encoder == "h264_nvenc" || encoder == "hevc_nvenc") {
        r.gopSize = 250; r.maxBFrames = 0; r.refs = 0; r.threads = 1;
        r.profile = encoder == "h264_nvenc" ? (r.pixFmtName == "yuv444p" ? "high444p" : "high")
                                            : (r.pixFmtName == "yuv444p" ? "rext" : (r.pixFmtName == "p010le" ? "main10" : "main"));
        // NVENC has no CRF: constant QP is the deterministic equivalent ("crf" would be ignored).
        r.codecOptions = {{"preset", preset}, {"rc", "constqp"}, {"qp", std::to_string(r.quality)},
                          {"profile", r.profile}, {"forced-idr", "1"}, {"no-scenecut", "1"}, {"strict_gop", "1"}};
    } else if (encoder == "ffv1") {
        // Slices pinned (FFmpeg's default for level 3 is also 4). Slices are coded independently, so the
        // number of threads encoding them does not change a byte: the encoder uses up to one per slice.
        r.gopSize = 1; r.maxBFrames = 0; r.refs = 0; r.threads = kFfv1Slices; r.threadsChangeOutput = false; r.level = "3";
        r.codecOptions = {{"level", "3"}, {"slices", std::to_string(kFfv1Slices)}, {"slicecrc", "1"}, {"context", "0"}};
    } else if (encoder == "prores_ks") {
        r.gopSize = 1; r.maxBFrames = 0; r.refs = 0; r.threads = 2;
        r.profile = std::to_string(r.quality);
        r.codecOptions = {{"profile", std::to_string(r.quality)}, {"vendor", "apl0"}};
    }
    if ((source.masteringDisplay || source.contentLight) && encoder != "libx265")
        r.warnings.push_back(encoder + " cannot carry the source's HDR10 mastering-display/content-light metadata; only the colour tags are kept");

    if (rule->hardware && trialOpenHardware) {
        auto trial = trialOpen(encoder, r.pixFmt, source.width, source.height);
        if (!trial)
            return makeError(ErrorCode::EncoderUnavailable,
                             encoder + " is not usable on this machine (" + trial.error().message + "); use --encoder " +
                                 (r.pixFmtName == "p010le" ? "libx265" : "libx264") + " instead",
                             {encoder, trial.error().message});
    }

    // NUT for every encoder: the chunk encoder disables avoid_negative_ts, so B-frame streams keep
    // their planned pts (the negative first dts is stored as is; test_chunk_encoder checks every pts).
    r.chunkContainer = "nut";
    // The output container does not change a byte of the chunks (NUT for every encoder): a session
    // rendered by --range runs without -o resumes or joins into any container the encoder allows.
    std::string desc = r.describe(false);
    r.settingsHash = sha256Hex(desc.data(), desc.size());
    return r;
}

}  // namespace vfi::media
