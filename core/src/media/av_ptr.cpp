#include "media/av_ptr.h"

extern "C" {
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
}

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <mutex>

#include "vfi/log.h"

namespace vfi::media {

void fillUnknownPixelFormat(AVFormatContext* ic, const std::string& pixelFormat) {
    const AVPixelFormat known = pixelFormat.empty() ? AV_PIX_FMT_NONE : av_get_pix_fmt(pixelFormat.c_str());
    if (known == AV_PIX_FMT_NONE) return;
    for (unsigned i = 0; i < ic->nb_streams; ++i)
        if (AVCodecParameters* par = ic->streams[i]->codecpar; par->codec_type == AVMEDIA_TYPE_VIDEO && par->format < 0) par->format = known;
}

std::string avErrorText(int errnum) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(errnum, buf, sizeof buf);
    return buf;
}

bool isDiskFullError(int errnum) {
    const int e = errnum < 0 ? AVUNERROR(errnum) : errnum;
    return e == ENOSPC || e == EDQUOT;
}

Error avError(const std::string& operation, int errnum) {
    const std::string text = avErrorText(errnum);
    if (isDiskFullError(errnum)) return makeError(ErrorCode::DiskFull, operation + ": " + text, {"", "", ""});
    return makeError(ErrorCode::Ffmpeg, operation + ": " + text, {operation, text});
}

namespace {

void avLogCallback(void* avcl, int level, const char* fmt, va_list vl) {
    if (level > av_log_get_level()) return;
    char line[1024];
    int printPrefix = 1;
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &printPrefix);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) return;
    LogLevel ours = LogLevel::Debug;
    if (level <= AV_LOG_ERROR) ours = LogLevel::Error;
    else if (level <= AV_LOG_WARNING) ours = LogLevel::Warning;
    else if (level <= AV_LOG_INFO) ours = LogLevel::Info;
    vfi::log(ours, "ffmpeg: " + text);
}

}  // namespace

void installAvLogBridge(bool verbose) {
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_callback(avLogCallback); });
    av_log_set_level(verbose ? AV_LOG_VERBOSE : AV_LOG_WARNING);
}

}  // namespace vfi::media
