#include "media/input_file.h"

extern "C" {
#include <libavutil/hash.h>
}

#include <algorithm>
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

namespace {

// Stream info and the video stream of a freshly opened input (`in.fmt` set).
Result<InputFile> finishOpen(InputFile in, const std::string& path) {
    AVFormatContext* raw = in.fmt.get();
    const int rc = avformat_find_stream_info(raw, nullptr);
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

// Reader state of openInputBytes' AVIOContext; owns the context and its buffer.
struct MemoryIo {
    const uint8_t* data = nullptr;
    size_t size = 0;
    size_t pos = 0;
    AVIOContext* avio = nullptr;

    ~MemoryIo() {
        if (avio) av_freep(&avio->buffer);
        avio_context_free(&avio);
    }
    static int read(void* opaque, uint8_t* buf, int n) {
        auto* m = static_cast<MemoryIo*>(opaque);
        const size_t left = m->size - m->pos;
        if (left == 0) return AVERROR_EOF;
        const size_t k = std::min(left, static_cast<size_t>(std::max(n, 0)));
        std::memcpy(buf, m->data + m->pos, k);
        m->pos += k;
        return static_cast<int>(k);
    }
    static int64_t seek(void* opaque, int64_t offset, int whence) {
        auto* m = static_cast<MemoryIo*>(opaque);
        if (whence & AVSEEK_SIZE) return static_cast<int64_t>(m->size);
        int64_t base = 0;
        switch (whence & ~AVSEEK_FORCE) {
            case SEEK_SET: base = 0; break;
            case SEEK_CUR: base = static_cast<int64_t>(m->pos); break;
            case SEEK_END: base = static_cast<int64_t>(m->size); break;
            default: return AVERROR(EINVAL);
        }
        // Demuxers seek to offsets read from the file: anything outside [0, size] is refused.
        if (offset < -base || offset > static_cast<int64_t>(m->size) - base) return AVERROR(EINVAL);
        m->pos = static_cast<size_t>(base + offset);
        return static_cast<int64_t>(m->pos);
    }
};

}  // namespace

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
    return finishOpen(std::move(in), path);
}

Result<InputFile> openInputBytes(const uint8_t* data, size_t size, const std::string& name) {
    if (size == 0) return makeError(ErrorCode::NotAVideo, name + " is empty (0 bytes), not a video", {name, "empty file"});
    auto io = std::make_shared<MemoryIo>();
    io->data = data;
    io->size = size;
    constexpr int kBufferSize = 32 * 1024;
    auto* buffer = static_cast<uint8_t*>(av_malloc(kBufferSize));
    if (buffer) io->avio = avio_alloc_context(buffer, kBufferSize, 0, io.get(), &MemoryIo::read, nullptr, &MemoryIo::seek);
    if (!io->avio) {
        av_free(buffer);
        return makeError(ErrorCode::Internal, "cannot allocate an AVIOContext", {"out of memory"});
    }
    AVFormatContext* raw = avformat_alloc_context();
    if (!raw) return makeError(ErrorCode::Internal, "cannot allocate an AVFormatContext", {"out of memory"});
    raw->pb = io->avio;
    raw->flags |= AVFMT_FLAG_CUSTOM_IO;
    // On failure avformat_open_input frees `raw`; the custom I/O stays ours.
    const int rc = avformat_open_input(&raw, "", nullptr, nullptr);
    if (rc < 0) {
        const std::string text = avErrorText(rc);
        return makeError(ErrorCode::NotAVideo, name + " is not a readable video file (" + text + ")", {name, text});
    }
    InputFile in;
    in.io = io;
    in.fmt.reset(raw);
    return finishOpen(std::move(in), name);
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
