// analyzeSource (tlbvfi info): header probe + index pass + optional scene-cut scan.
#include "vfi/source_analysis.h"

#include <filesystem>

extern "C" {
#include <libavutil/display.h>
}

#include "pipeline/frame_selection.h"
#include "pipeline/media_adapter.h"
#include "pipeline/scene_cut_detector.h"

namespace vfi {

using namespace vfi::pipeline;

Result<SourceAnalysis> analyzeSource(const std::string& path, double sceneThreshold, bool scanScenes) {
    media::installAvLogBridge(false);
    VFI_ASSIGN_OR_RETURN(SourceIndex idx, indexSource(path));
    SourceAnalysis a;
    MediaInfo& m = a.info;
    m.path = path;
    std::error_code ec;
    m.fileBytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) >= 0) {
        media::AvInputContextPtr fmt(raw);
        avformat_find_stream_info(raw, nullptr);
        m.container = raw->iformat->name;
        m.durationSeconds = raw->duration > 0 ? raw->duration / static_cast<double>(AV_TIME_BASE) : 0;
        m.chapterCount = static_cast<int>(raw->nb_chapters);
        const int vi = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        for (unsigned i = 0; i < raw->nb_streams; ++i) {
            AVStream* st = raw->streams[i];
            if (static_cast<int>(i) == vi) {
                m.codec = avcodec_get_name(st->codecpar->codec_id);
                m.frameRate = {st->r_frame_rate.num, st->r_frame_rate.den};
                m.averageFrameRate = {st->avg_frame_rate.num, st->avg_frame_rate.den};
                size_t size = 0;
                if (const uint8_t* dm = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size); dm && size >= 36)
                    m.rotationDegrees = av_display_rotation_get(reinterpret_cast<const int32_t*>(dm));
                continue;
            }
            StreamInfo s;
            s.index = static_cast<int>(i);
            s.kind = av_get_media_type_string(st->codecpar->codec_type) ? av_get_media_type_string(st->codecpar->codec_type) : "data";
            s.codec = avcodec_get_name(st->codecpar->codec_id);
            if (AVDictionaryEntry* l = av_dict_get(st->metadata, "language", nullptr, 0)) s.language = l->value;
            s.sampleRate = st->codecpar->sample_rate;
            s.channels = st->codecpar->ch_layout.nb_channels;
            if (st->start_time != AV_NOPTS_VALUE && !idx.pts.empty())
                s.startSeconds = st->start_time * av_q2d(st->time_base) - idx.pts.front() * idx.timeBase.toDouble();
            m.otherStreams.push_back(s);
        }
    }
    m.width = idx.width;
    m.height = idx.height;
    m.pixFmt = idx.pixFmt;
    m.bitDepth = idx.bitDepth;
    m.timeBase = idx.timeBase;
    m.colour = idx.colour;
    m.colour.hdr = m.colour.transfer == "smpte2084" || m.colour.transfer == "arib-std-b67";
    m.estimatedFrames = static_cast<int64_t>(idx.pts.size());
    m.variableFrameRate = idx.variableFrameRate;
    a.frames = static_cast<int64_t>(idx.pts.size());
    a.variableFrameRate = idx.variableFrameRate;
    a.firstFrameSeconds = 0;
    a.lastFrameSeconds = (idx.pts.back() - idx.pts.front()) * idx.timeBase.toDouble();
    a.durationSeconds = (idx.pts.back() - idx.pts.front() + idx.lastDuration) * idx.timeBase.toDouble();
    a.constantFrameRate = FrameSelection::constantRate(idx.pts, idx.timeBase);
    if (a.frames > 1 && a.lastFrameSeconds > 0) a.averageFrameRate = static_cast<double>(a.frames - 1) / a.lastFrameSeconds;
    if (scanScenes && sceneThreshold > 0) {
        VFI_ASSIGN_OR_RETURN(auto dec, openRangeDecoder(path, idx, 0, a.frames));
        RgbFrame f;
        media::AvFramePtr decoded;
        int64_t i = 0;
        LumaThumb prev;
        bool hasPrev = false;
        for (;;) {
            VFI_ASSIGN_OR_RETURN(bool more, dec->next(f, decoded, i));
            if (!more) break;
            LumaThumb t = dec->thumbnail(f, decoded.get());
            if (hasPrev && isSceneCut(sceneCutScore(prev, t), sceneThreshold)) a.sceneCuts.push_back(i - 1);
            prev = std::move(t);
            hasPrev = true;
        }
        a.scannedScenes = true;
    }
    return a;
}

}  // namespace vfi
