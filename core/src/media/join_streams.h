// Source streams of a join (audio, subtitles, attachments, chapters, metadata): decides what the
// output container can hold, creates the output streams, and feeds the source packets with their
// timestamps moved so their offset to the first presented video frame is kept. Used by joiner.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "media/av_ptr.h"
#include "media/joiner.h"

namespace vfi::media {

class JoinStreams {
public:
    // Opens plan.sourcePath (if any) and measures the first presented video frame and the first
    // presented sample of each audio stream. Creates nothing yet.
    Status open(const JoinPlan& plan, AVRational planTb);

    // Earliest presented audio/subtitle start relative to the first video frame, in planTb
    // (negative: starts before the video). 0 when nothing starts earlier.
    int64_t earliestRelativeStart() const { return m_earliest; }

    // Adds output streams for every source stream the container can hold (converting SRT/ASS to
    // mov_text for MP4/MOV), copies chapters and metadata; names every dropped stream in warnings.
    Status addStreams(AVFormatContext* out, int64_t shiftPlan, std::vector<std::string>& warnings);

    // Next copied packet in output stream time base (already shifted); false at the end.
    // Call after avformat_write_header (stream time bases are final then).
    Result<bool> next(AVPacket* out);

    bool hasSource() const { return static_cast<bool>(m_in); }

private:
    struct Map {
        int inIndex = -1;
        AVStream* out = nullptr;
        AvCodecContextPtr dec, enc;   // text subtitle conversion only
        int64_t offset = 0;           // added to source ts, in the source stream time base
        int64_t lastDuration = 0;     // source time base; fills in durations demuxers leave at 0
    };
    Status addSubtitleConversion(Map& m, const AVStream* in, AVCodecID target);
    Result<bool> convertSubtitle(Map& m, AVPacket* pkt);

    AvInputContextPtr m_in;
    AVRational m_planTb{1, 1};
    int m_videoIndex = -1;
    int64_t m_videoStart = 0;         // first presented video pts, source video time base
    int64_t m_earliest = 0;
    int64_t m_shiftPlan = 0;
    std::vector<Map> m_maps;          // by source stream index; out == nullptr: dropped
    AvPacketPtr m_pkt = makePacket();
};

}  // namespace vfi::media
