#include "media/input_file.h"

extern "C" {
#include <libavutil/hash.h>
}

#include <cstdio>
#include <cstring>
#include <filesystem>

namespace vfi::media {

namespace fs = std::filesystem;

namespace {

// An ISO-BMFF file (ftyp box first) that FFmpeg cannot open has lost its moov box: it was cut.
bool looksLikeIsoBmff(const std::string& path) {
    unsigned char head[12] = {};
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    const size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    return n == sizeof head && std::memcmp(head + 4, "ftyp", 4) == 0;
}

}  // namespace

void discardAllButVideo(InputFile& in) {
    AVFormatContext* fmt = in.fmt.get();
    for (unsigned i = 0; i < fmt->nb_streams; ++i)
        if (static_cast<int>(i) != in.videoStream) fmt->streams[i]->discard = AVDISCARD_ALL;
}

Result<InputFile> openInputFile(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec) || fs::is_directory(path, ec))
        return makeError(ErrorCode::InputNotFound, "input file not found: " + path, {path});
    if (fs::file_size(path, ec) == 0)
        return makeError(ErrorCode::NotAVideo, path + " is empty (0 bytes), not a video", {path, "empty file"});
    AVFormatContext* raw = nullptr;
    int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (rc < 0) {
        const std::string text = avErrorText(rc);
        if (looksLikeIsoBmff(path))
            return makeError(ErrorCode::TruncatedInput,
                             path + " is an MP4/MOV file without its index (moov box); it was probably cut short (" +
                                 text + ")",
                             {path, "moov box missing: " + text});
        return makeError(ErrorCode::NotAVideo, path + " is not a readable video file (" + text + ")", {path, text});
    }
    InputFile in;
    in.fmt.reset(raw);
    rc = avformat_find_stream_info(raw, nullptr);
    if (rc < 0)
        return makeError(ErrorCode::NotAVideo, path + ": cannot read stream information (" + avErrorText(rc) + ")",
                         {path, avErrorText(rc)});
    for (unsigned i = 0; i < raw->nb_streams; ++i) {
        const AVStream* st = raw->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO || (st->disposition & AV_DISPOSITION_ATTACHED_PIC)) continue;
        in.videoStream = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        break;
    }
    if (in.videoStream < 0 || (raw->streams[in.videoStream]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        return makeError(ErrorCode::NoVideoStream, path + " has no video stream", {path});
    return in;
}

std::string sha256Hex(const void* data, size_t size) {
    AVHashContext* ctx = nullptr;
    if (av_hash_alloc(&ctx, "SHA256") < 0) return {};
    av_hash_init(ctx);
    av_hash_update(ctx, static_cast<const uint8_t*>(data), size);
    char hex[2 * AV_HASH_MAX_SIZE + 1] = {};
    av_hash_final_hex(ctx, reinterpret_cast<uint8_t*>(hex), sizeof hex);
    av_hash_freep(&ctx);
    return hex;
}

}  // namespace vfi::media
