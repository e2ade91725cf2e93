// Test media generator and inspection helpers (libav in-process, no ffmpeg subprocess).
// Every generated video frame is distinct and deterministic (moving gradient + binary frame number
// blocks in the top rows; single-threaded encoders), so suites can compare decoded-frame hashes.
// Times: *Seconds fields are seconds; pts lists are in the stated time base.
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi::test {

struct AudioGen {
    bool enabled = false;
    std::string codec = "aac";       // "aac" | "opus" (libopus) | "pcm_s16le"
    int sampleRate = 48000;
    int channels = 2;
    // First presented audio sample minus first presented video frame, in seconds. Negative: the
    // audio starts before the video (e.g. -2.0), positive: after it.
    double offsetSeconds = 0;
    double durationSeconds = -1;     // -1: until the end of the video
    double frequency = 440;          // sine; a second tone at 1.5x on the second channel
};

struct SubtitleCue {
    double startSeconds = 0;          // relative to the file's time zero
    double endSeconds = 1;
    std::string text;
};

struct SubtitleGen {
    bool enabled = false;
    std::string codec = "subrip";     // "subrip" | "ass" (MKV); MP4/MOV always get mov_text
    std::vector<SubtitleCue> cues;    // empty: one cue per second of video, "Line N"
};

struct ChapterGen {
    double startSeconds = 0;
    double endSeconds = 0;
    std::string title;
};

struct GenSpec {
    int width = 64;
    int height = 48;
    int frames = 10;
    Rational frameRate{30, 1};        // CFR rate (e.g. {30000, 1001}); ignored when vfrPts is set
    // VFR: explicit presentation timestamps (strictly increasing) in vfrTimeBase, one per frame,
    // used as given (plus videoStartSeconds): chunks with absolute pts are written this way.
    std::vector<int64_t> vfrPts;
    Rational vfrTimeBase{1, 90000};
    double videoStartSeconds = 0;     // pts of the first frame (MP4/MOV: produces an edit list)
    int firstFrameNumber = 0;         // pattern number of the first frame (chunks continue a sequence)
    // Hard scene cut: frames with index >= sceneCutAt (0-based, in this file) use a second, unrelated
    // pattern (other luma range and colours, still moving and numbered). -1: no cut.
    int sceneCutAt = -1;
    // Sample values instead of the pattern: sample(frame, plane, x, y) on the 8-bit scale (shifted up
    // for deeper formats), e.g. flat areas whose blends are exact integers. Empty: the pattern.
    std::function<int(int frame, int plane, int x, int y)> sample;
    std::string codec = "libx264";    // libx264 libx265 libvpx-vp9 libsvtav1 libaom-av1 prores_ks ffv1 mpeg2video mpeg4
    std::string pixFmt = "yuv420p";   // planar YUV, 8 or 10 bit (yuv420p10le ...)
    int bframes = 0;                  // max B-frames (x264/x265/mpeg); 0 = none
    int gop = 12;                     // keyframe interval
    bool openGop = false;             // x265 open-GOP (CRA) / x264 open-gop
    int quality = 23;                 // CRF/QP-ish; small media, exactness is not the point
    std::string format;               // container override ("" = by extension)
    // Colour tags (FFmpeg names, "" = unspecified).
    std::string primaries, transfer, matrix, range;
    double rotationDegrees = 0;       // display matrix side data on the video stream
    AudioGen audio;
    SubtitleGen subtitles;
    std::vector<ChapterGen> chapters;
    // Font attachments (Matroska only): file names; the payload is a few fixed bytes.
    std::vector<std::string> attachments;
    std::map<std::string, std::string> metadata;  // global (container) metadata
};

// Writes spec to path (container by extension: mp4 mov mkv webm ts nut ...).
Status generate(const std::string& path, const GenSpec& spec);

// Stream copy of the video stream of `in` from startSeconds on, as `ffmpeg -ss T -i in -c copy out`
// does: packets from the keyframe at or before T are copied with T subtracted from their timestamps,
// so in MP4/MOV the frames before T get negative times and are hidden by an edit list (media_time > 0)
// and the file starts on a non-keyframe. Other streams are not copied.
Status streamCopyCut(const std::string& in, const std::string& out, double startSeconds);

// ---- inspection -------------------------------------------------------------------------------

struct FrameHash {
    int64_t pts = 0;                  // best-effort timestamp in the stream time base
    double seconds = 0;
    std::string hash;                 // MD5 of the visible pixels of every plane (hex)
};
struct VideoHashes {
    Rational timeBase;
    std::vector<FrameHash> frames;    // output (presentation) order
};
// Decodes the first video stream completely.
Result<VideoHashes> frameHashes(const std::string& path);
// The frames' hashes in order, or the single entry "error: ..." (a comparison then fails showing why).
std::vector<std::string> frameHashList(const std::string& path);
// Empty when `got` holds the frames of `want` (same count, timestamps and pixels); else the first
// difference, for QVERIFY2.
std::string frameDifference(const VideoHashes& got, const VideoHashes& want);

struct PacketHash {
    int64_t pts = 0;
    int64_t dts = 0;
    int64_t duration = 0;
    int size = 0;
    bool key = false;
    std::string hash;                 // MD5 of the payload (hex)
    std::string rawAacHash;           // MD5 of the payload without an ADTS header (= hash if none)
    // H.264/HEVC: MD5 of the NAL units alone, so Annex B (NUT, TS) and length-prefixed (MP4, MKV)
    // forms of the same bitstream compare equal. Other codecs: = hash.
    std::string nalHash;
};
struct StreamPackets {
    std::string kind;                 // video | audio | subtitle | data | attachment
    std::string codec;
    Rational timeBase;
    std::vector<PacketHash> packets;  // demux order
};
// Decoded frames of the first video stream (presentation order, edit lists applied) as the visible
// bytes of every plane concatenated (8-bit formats: one byte per sample).
Result<std::vector<std::vector<uint8_t>>> framePixels(const std::string& path);

// media_time of every entry of every MP4/MOV edit list (`elst` box) in the file, in the track's
// time base; -1 marks an empty edit. Empty when the file has no edit list.
std::vector<int64_t> mp4EditListMediaTimes(const std::string& path);

// Every stream's packets, keyed by stream index.
Result<std::map<int, StreamPackets>> packetHashes(const std::string& path);

// First presented sample/frame times (after edit lists and priming: decoded frames' timestamps).
struct StartTimes {
    double video = 0;
    double audio = 0;                 // NaN when there is no audio stream
    double avOffset() const { return audio - video; }
};
Result<StartTimes> startTimes(const std::string& path);

// ---- environment ------------------------------------------------------------------------------

// A fresh directory under $VFI_TEST_TMP (or the system temp dir), removed on destruction unless
// VFI_KEEP_TEST_TMP is set.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    bool isValid() const { return !m_path.isEmpty(); }
    QString path() const { return m_path; }
    std::string file(const std::string& name) const;  // path()/name as a std::string

private:
    QString m_path;
};

}  // namespace vfi::test
