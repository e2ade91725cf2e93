// vfi::probeMedia: container and stream headers only (cheap), for `tlbvfi info` and the GUI queue.
#include <cmath>
#include <filesystem>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include "media/checked_enum.h"
#include "media/input_file.h"
#include "vfi/media_info.h"

namespace vfi {

namespace {

std::string nameOr(const char* n) { return n ? n : "unknown"; }

const char* kindOf(AVMediaType t) {
    switch (t) {
        case AVMEDIA_TYPE_AUDIO: return "audio";
        case AVMEDIA_TYPE_SUBTITLE: return "subtitle";
        case AVMEDIA_TYPE_ATTACHMENT: return "attachment";
        case AVMEDIA_TYPE_VIDEO: return "video";
        default: return "data";
    }
}

Result<MediaInfo> describe(const media::InputFile& in, const std::string& path, int64_t fileBytes) {
    const AVFormatContext* fmt = in.fmt.get();
    const AVStream* st = fmt->streams[in.videoStream];
    const AVCodecParameters* par = st->codecpar;
    MediaInfo m;
    m.path = path;
    m.container = fmt->iformat->name;
    m.fileBytes = fileBytes;
    if (fmt->duration != AV_NOPTS_VALUE) m.durationSeconds = static_cast<double>(fmt->duration) / AV_TIME_BASE;
    m.width = par->width;
    m.height = par->height;
    m.codec = avcodec_get_name(par->codec_id);
    const auto pix = static_cast<AVPixelFormat>(par->format);
    m.pixFmt = nameOr(av_get_pix_fmt_name(pix));
    if (const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(pix)) m.bitDepth = d->comp[0].depth;
    m.frameRate = {st->r_frame_rate.num, st->r_frame_rate.den ? st->r_frame_rate.den : 1};
    m.averageFrameRate = {st->avg_frame_rate.num, st->avg_frame_rate.den ? st->avg_frame_rate.den : 1};
    m.timeBase = {st->time_base.num, st->time_base.den};
    if (st->nb_frames > 0) m.estimatedFrames = st->nb_frames;
    else if (m.averageFrameRate.num > 0) m.estimatedFrames = std::llround(m.durationSeconds * m.averageFrameRate.toDouble());
    // r_frame_rate is the lowest rate that represents every timestamp; a clearly different average
    // means the timestamps are not on a single grid.
    if (m.frameRate.num > 0 && m.averageFrameRate.num > 0)
        m.variableFrameRate = std::abs(m.frameRate.toDouble() - m.averageFrameRate.toDouble()) > 0.01 * m.frameRate.toDouble();
    size_t size = 0;
    if (const uint8_t* sd = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size); sd && size >= 36) {
        const double r = av_display_rotation_get(reinterpret_cast<const int32_t*>(sd));
        m.rotationDegrees = r == r ? r : 0;
    }
    const AVColorTransferCharacteristic trc = media::checkedEnum(par->color_trc, AVCOL_TRC_NB, AVCOL_TRC_UNSPECIFIED);
    const AVColorRange range = media::checkedEnum(par->color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
    m.colour.primaries = nameOr(av_color_primaries_name(media::checkedEnum(par->color_primaries, AVCOL_PRI_NB, AVCOL_PRI_UNSPECIFIED)));
    m.colour.transfer = nameOr(av_color_transfer_name(trc));
    m.colour.matrix = nameOr(av_color_space_name(media::checkedEnum(par->color_space, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED)));
    m.colour.range = range == AVCOL_RANGE_UNSPECIFIED ? "unknown" : nameOr(av_color_range_name(range));
    m.colour.hdr = trc == AVCOL_TRC_SMPTE2084 || trc == AVCOL_TRC_ARIB_STD_B67;
    m.colour.hasMasteringDisplay = av_stream_get_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, &size) != nullptr;
    m.colour.hasContentLight = av_stream_get_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, &size) != nullptr;

    const double videoStart = st->start_time != AV_NOPTS_VALUE ? static_cast<double>(st->start_time) * av_q2d(st->time_base) : 0;
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        if (static_cast<int>(i) == in.videoStream) continue;
        const AVStream* s = fmt->streams[i];
        StreamInfo si;
        si.index = static_cast<int>(i);
        si.kind = kindOf(s->codecpar->codec_type);
        si.codec = avcodec_get_name(s->codecpar->codec_id);
        if (const AVDictionaryEntry* e = av_dict_get(s->metadata, "language", nullptr, 0)) si.language = e->value;
        si.sampleRate = s->codecpar->sample_rate;
        si.channels = s->codecpar->ch_layout.nb_channels;
        if (s->start_time != AV_NOPTS_VALUE) si.startSeconds = static_cast<double>(s->start_time) * av_q2d(s->time_base) - videoStart;
        m.otherStreams.push_back(si);
    }
    m.chapterCount = static_cast<int>(fmt->nb_chapters);
    return m;
}

}  // namespace

Result<MediaInfo> probeMedia(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(media::InputFile in, media::openInputFile(path));
    std::error_code ec;
    return describe(in, path, static_cast<int64_t>(std::filesystem::file_size(path, ec)));
}

namespace media {
Result<MediaInfo> probeMediaBytes(const uint8_t* data, size_t size, const std::string& name) {
    VFI_ASSIGN_OR_RETURN(InputFile in, openInputBytes(data, size, name));
    return describe(in, name, static_cast<int64_t>(size));
}
}  // namespace media

}  // namespace vfi
