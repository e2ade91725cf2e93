#include "media/joiner.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <utility>

#include "media/av_ptr.h"
#include "media/join_streams.h"
#include "media/output_check.h"
#include "media/payload_hash.h"
#include "vfi/job_runner.h"
#include "vfi/log.h"

namespace vfi::media {
namespace {

namespace fs = std::filesystem;

Error chunkError(const std::string& path, const std::string& detail) {
    return makeError(ErrorCode::ChunkInvalid, "Chunk " + path + " cannot be joined: " + detail + ".", {path, detail});
}

// probe: avformat_find_stream_info, which decodes frames to learn what the container does not say
// (pixel format, profile, level, reorder delay). A 4K FFV1 frame takes a quarter of a second to
// decode, and probing every chunk twice put seconds of decoding on the join, which runs alone at the
// end of a job. So the first chunk is probed, and the others only where the chunk header cannot tell
// two pixel formats apart (no extradata: ProRes, FFV1 below level 3).
// pixelFormat (JoinPlan::pixelFormat) fills in the one field a probe would decode a frame for.
Result<AvInputContextPtr> openChunk(const std::string& path, int& videoIndex, bool probe, const std::string& pixelFormat = {}) {
    AVFormatContext* raw = nullptr;
    int r = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (r < 0) return chunkError(path, "cannot open (" + avErrorText(r) + ")");
    AvInputContextPtr ic(raw);
    if (probe) {
        fillUnknownPixelFormat(ic.get(), pixelFormat);
        if ((r = avformat_find_stream_info(ic.get(), nullptr)) < 0) return chunkError(path, "cannot read stream info (" + avErrorText(r) + ")");
    }
    videoIndex = av_find_best_stream(ic.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (videoIndex < 0) return chunkError(path, "no video stream");
    return ic;
}

// Why two chunks cannot share one output stream; empty when they can. Fields a probe fills in (pixel
// format, profile, level, sample aspect ratio) count where both sides know them; the codec tag and
// extradata, which the chunk header holds, carry the pixel format and profile for every chunk
// encoder (SPS / FFV1 configuration record / ProRes fourcc).
std::string parameterMismatch(const AVCodecParameters* a, const AVCodecParameters* b) {
    if (a->codec_id != b->codec_id) return std::string("codec ") + avcodec_get_name(b->codec_id) + " vs " + avcodec_get_name(a->codec_id);
    if (a->codec_tag != b->codec_tag) return "codec tag differs";
    if (a->width != b->width || a->height != b->height)
        return "size " + std::to_string(b->width) + "x" + std::to_string(b->height) + " vs " + std::to_string(a->width) + "x" + std::to_string(a->height);
    if (a->format != b->format && a->format >= 0 && b->format >= 0) {
        const char* fa = av_get_pix_fmt_name(static_cast<AVPixelFormat>(a->format));
        const char* fb = av_get_pix_fmt_name(static_cast<AVPixelFormat>(b->format));
        return std::string("pixel format ") + (fb ? fb : "?") + " vs " + (fa ? fa : "?");
    }
    auto known = [](int v) { return v >= 0; };   // unknown is -99 (FF_/AV_PROFILE_UNKNOWN, FF_LEVEL_UNKNOWN)
    if ((known(a->profile) && known(b->profile) && a->profile != b->profile) || (known(a->level) && known(b->level) && a->level != b->level))
        return "profile/level differ";
    if (a->extradata_size != b->extradata_size ||
        (a->extradata_size > 0 && std::memcmp(a->extradata, b->extradata, static_cast<size_t>(a->extradata_size)) != 0))
        return "codec extradata (encoder settings) differ";
    if (a->sample_aspect_ratio.num > 0 && b->sample_aspect_ratio.num > 0 &&
        a->sample_aspect_ratio.num * b->sample_aspect_ratio.den != b->sample_aspect_ratio.num * a->sample_aspect_ratio.den)
        return "sample aspect ratio differs";
    return {};
}

const char* formatForPath(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".mp4" || ext == ".m4v") return "mp4";
    if (ext == ".mov") return "mov";
    if (ext == ".mkv") return "matroska";
    return nullptr;
}

// 0 or the errno of a failed fsync (a full disk can refuse delayed writes only here).
int syncPath(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0) return 0;
    const int err = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return directory ? 0 : err;   // some filesystems refuse fsync on directories
}

// Pass 1 result per chunk: for each video packet in demux (decode) order, its presentation rank.
struct ChunkScan {
    std::vector<int> rank;
    // First chunk only: its stream side data (HDR mastering display / content light level, display
    // matrix), which belongs to the output stream too.
    std::vector<std::pair<AVPacketSideDataType, std::vector<uint8_t>>> sideData;
};

// reference: the first chunk's parameters, or null for the first chunk, whose parameters and side
// data are kept (firstPar, ChunkScan::sideData).
Result<ChunkScan> scanChunk(const JoinChunk& c, const AVCodecParameters* reference, AVCodecParameters* firstPar,
                            const std::string& pixelFormat) {
    int vi = -1;
    VFI_ASSIGN_OR_RETURN(auto ic, openChunk(c.path, vi, !reference || reference->extradata_size == 0, reference ? std::string() : pixelFormat));
    const AVStream* stream = ic->streams[vi];
    const AVCodecParameters* par = stream->codecpar;
    ChunkScan scan;
    if (reference) {
        const std::string why = parameterMismatch(reference, par);
        if (!why.empty()) return chunkError(c.path, "its parameters differ from the first chunk's: " + why);
    } else {
        avcodec_parameters_copy(firstPar, par);
        for (int i = 0; i < stream->nb_side_data; ++i) {
            const AVPacketSideData& sd = stream->side_data[i];
            scan.sideData.emplace_back(sd.type, std::vector<uint8_t>(sd.data, sd.data + sd.size));
        }
    }
    std::vector<int64_t> pts;
    AvPacketPtr pkt = makePacket();
    int r;
    while ((r = av_read_frame(ic.get(), pkt.get())) >= 0) {
        if (pkt->stream_index == vi) {
            if (pkt->pts == AV_NOPTS_VALUE) return chunkError(c.path, "a packet has no timestamp");
            pts.push_back(pkt->pts);
        }
        av_packet_unref(pkt.get());
    }
    if (r != AVERROR_EOF) return chunkError(c.path, "read error (" + avErrorText(r) + ")");
    if (pts.size() != c.pts.size())
        return chunkError(c.path, "it holds " + std::to_string(pts.size()) + " frames, the plan says " + std::to_string(c.pts.size()));
    std::vector<int> order(pts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return pts[static_cast<size_t>(a)] < pts[static_cast<size_t>(b)]; });
    scan.rank.resize(pts.size());
    for (size_t k = 0; k < order.size(); ++k) {
        if (k > 0 && pts[static_cast<size_t>(order[k])] == pts[static_cast<size_t>(order[k - 1])]) return chunkError(c.path, "duplicate timestamps");
        scan.rank[static_cast<size_t>(order[k])] = static_cast<int>(k);
    }
    return scan;
}

struct Writer {
    AvOutputContextPtr oc;
    AVStream* video = nullptr;
};

}  // namespace

Result<JoinResult> joinChunks(const JoinPlan& plan) {
    installAvLogBridge();
    const std::string& outPath = plan.outputPath;
    const char* fmtName = formatForPath(outPath);
    if (!fmtName)
        return makeError(ErrorCode::UnsupportedFormat, "Join output " + outPath + " must end in .mp4, .mov or .mkv.", {"copy", "", fs::path(outPath).extension().string()});
    if (plan.chunks.empty()) return makeError(ErrorCode::SessionIncomplete, "Nothing to join: the plan has no chunks.", {""});
    std::error_code ec;
    if (!plan.sourcePath.empty() && fs::equivalent(plan.sourcePath, outPath, ec))
        return makeError(ErrorCode::OutputEqualsInput, "The output " + outPath + " is the source file.", {outPath});
    if (fs::exists(outPath) && !plan.overwrite)
        return makeError(ErrorCode::OutputExists, "The output " + outPath + " already exists.", {outPath});

    const AVRational tb{plan.outputTimeBase.num, plan.outputTimeBase.den};
    if (tb.num <= 0 || tb.den <= 0) return makeError(ErrorCode::InvalidArgument, "Join: invalid output time base.", {"timeBase", ""});
    std::vector<int64_t> allPts;
    for (const JoinChunk& c : plan.chunks) {
        if (c.pts.empty()) return chunkError(c.path, "the plan gives it no frames");
        for (int64_t p : c.pts) {
            if (!allPts.empty() && p <= allPts.back())
                return chunkError(c.path, "planned timestamps do not strictly increase");
            allPts.push_back(p);
        }
    }
    const auto total = static_cast<int64_t>(allPts.size());

    // Pass 1 (demux only): parameters match, frame counts as planned, presentation ranks.
    std::unique_ptr<AVCodecParameters, void (*)(AVCodecParameters*)> firstPar(avcodec_parameters_alloc(),
                                                                             [](AVCodecParameters* p) { avcodec_parameters_free(&p); });
    std::vector<ChunkScan> scans;
    int delay = 0;
    int64_t base = 0;
    for (size_t k = 0; k < plan.chunks.size(); ++k) {
        VFI_ASSIGN_OR_RETURN(ChunkScan s, scanChunk(plan.chunks[k], k ? firstPar.get() : nullptr, firstPar.get(), plan.pixelFormat));
        for (size_t j = 0; j < s.rank.size(); ++j) delay = std::max(delay, static_cast<int>(j) - s.rank[j]);
        base += static_cast<int64_t>(s.rank.size());
        scans.push_back(std::move(s));
    }
    delay = std::max(delay, firstPar->video_delay);

    JoinStreams streams;
    VFI_TRY(streams.open(plan, tb));
    const int64_t shift = -streams.earliestRelativeStart();   // keeps audio before the video at t >= 0

    JoinResult result;
    result.outputPath = outPath;
    result.reorderDelay = delay;
    const std::string tmpPath = (fs::path(outPath).parent_path() / ("." + fs::path(outPath).filename().string() + ".joining")).string();
    fs::remove(tmpPath, ec);
    auto fail = [&](Error e) -> Result<JoinResult> {
        fs::remove(tmpPath, ec);
        return e;
    };

    Writer w;
    {
        AVFormatContext* raw = nullptr;
        int r = avformat_alloc_output_context2(&raw, nullptr, fmtName, tmpPath.c_str());
        if (r < 0) return avError("avformat_alloc_output_context2(" + outPath + ")", r);
        w.oc.reset(raw);
    }
    w.video = avformat_new_stream(w.oc.get(), nullptr);
    avcodec_parameters_copy(w.video->codecpar, firstPar.get());
    w.video->codecpar->codec_tag = 0;
    w.video->time_base = tb;
    const ColourInfo& col = plan.colour;
    AVCodecParameters* vp = w.video->codecpar;
    if (!col.primaries.empty() && col.primaries != "unknown" && av_color_primaries_from_name(col.primaries.c_str()) >= 0)
        vp->color_primaries = static_cast<AVColorPrimaries>(av_color_primaries_from_name(col.primaries.c_str()));
    if (!col.transfer.empty() && col.transfer != "unknown" && av_color_transfer_from_name(col.transfer.c_str()) >= 0)
        vp->color_trc = static_cast<AVColorTransferCharacteristic>(av_color_transfer_from_name(col.transfer.c_str()));
    if (!col.matrix.empty() && col.matrix != "unknown" && av_color_space_from_name(col.matrix.c_str()) >= 0)
        vp->color_space = static_cast<AVColorSpace>(av_color_space_from_name(col.matrix.c_str()));
    if (!col.range.empty() && col.range != "unknown" && av_color_range_from_name(col.range.c_str()) >= 0)
        vp->color_range = static_cast<AVColorRange>(av_color_range_from_name(col.range.c_str()));
    for (const auto& [type, data] : scans.front().sideData) {
        if (type == AV_PKT_DATA_DISPLAYMATRIX && plan.rotationDegrees != 0) continue;
        uint8_t* dst = av_stream_new_side_data(w.video, type, data.size());
        if (dst) std::memcpy(dst, data.data(), data.size());
    }
    if (plan.rotationDegrees != 0) {
        auto* m = reinterpret_cast<int32_t*>(av_stream_new_side_data(w.video, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)));
        // rotationDegrees is what av_display_rotation_get reported for the source (SourceInfo,
        // MediaInfo); av_display_rotation_set takes the opposite sign, so set(-r) gives get() == r,
        // i.e. the source's matrix. set(r) wrote the mirror turn (90 became 270).
        if (m) av_display_rotation_set(m, -plan.rotationDegrees);
    }
    if (auto st = streams.addStreams(w.oc.get(), shift, result.warnings); !st) return fail(st.takeError());
    for (const std::string& warning : result.warnings) logWarning("join: " + warning);

    int r = avio_open(&w.oc->pb, tmpPath.c_str(), AVIO_FLAG_WRITE);
    if (r < 0)
        return fail(makeError(ErrorCode::OutputNotWritable, "Cannot write " + tmpPath + ": " + avErrorText(r) + ".", {tmpPath, avErrorText(r)}));
    if ((r = avformat_write_header(w.oc.get(), nullptr)) < 0) return fail(avError("avformat_write_header(" + outPath + ")", r));

    // Decode timestamps for the whole output: dts[j] = pts of presentation slot j - delay (before the
    // first frame, continue backwards with the first interval). One fixed delay keeps them monotonic
    // across chunk boundaries whatever each chunk's own reordering was.
    const int64_t first = allPts.front();
    const int64_t firstStep = total > 1 ? allPts[1] - allPts[0] : (plan.lastFrameDuration > 0 ? plan.lastFrameDuration : 1);
    auto dtsOf = [&](int64_t j) { return j >= delay ? allPts[static_cast<size_t>(j - delay)] : first - (delay - j) * firstStep; };
    const int64_t lastDuration = plan.lastFrameDuration > 0 ? plan.lastFrameDuration
                                 : total > 1 ? allPts[static_cast<size_t>(total - 1)] - allPts[static_cast<size_t>(total - 2)]
                                             : 1;
    // Matroska stores a presentation duration per block. MOV/MP4 derive each sample's duration from the
    // next decode timestamp; only the LAST packet in decode order carries its own, and with B-frames that
    // packet is not the last frame shown. FFmpeg's MOV muxer sets the track's presented length to the
    // smaller of (max pts+duration - first pts) and (decode span + last duration - initial delay), so
    // the last decoded packet gets the duration that makes the smaller of the two exactly the last
    // frame's pts + the source's last-frame duration: video and audio end together.
    const bool decodeOrderDurations = std::strcmp(w.oc->oformat->name, "matroska") != 0;
    const int64_t presentationEnd = allPts[static_cast<size_t>(total - 1)] + lastDuration;
    auto durationOf = [&](int64_t rank, int64_t decodePos) -> int64_t {
        if (decodeOrderDurations) {
            if (decodePos + 1 < total) return dtsOf(decodePos + 1) - dtsOf(decodePos);
            const int64_t byPts = presentationEnd - allPts[static_cast<size_t>(rank)];
            const int64_t byDts = (presentationEnd - first) - (dtsOf(decodePos) - dtsOf(0));
            return std::max(byPts, byDts);
        }
        if (rank + 1 < total) return allPts[static_cast<size_t>(rank + 1)] - allPts[static_cast<size_t>(rank)];
        return lastDuration;
    };

    AvPacketPtr vpkt = makePacket();
    AvPacketPtr spkt = makePacket();
    PayloadHash written(firstPar.get());   // the video payloads handed to the muxer, in write order
    bool haveSource = false, sourceDone = !streams.hasSource();
    int64_t lastDts = INT64_MIN;
    int64_t j = 0;   // global decode position
    int64_t chunkBase = 0;
    const AVRational vtbOut = w.video->time_base;   // final after write_header
    auto pumpSourceUntil = [&](double seconds) -> Status {
        for (;;) {
            if (!haveSource && !sourceDone) {
                VFI_ASSIGN_OR_RETURN(bool got, streams.next(spkt.get()));
                haveSource = got;
                sourceDone = !got;
            }
            if (!haveSource) return {};
            const int64_t ts = spkt->dts != AV_NOPTS_VALUE ? spkt->dts : spkt->pts;
            if (ts != AV_NOPTS_VALUE && ts * av_q2d(w.oc->streams[spkt->stream_index]->time_base) > seconds) return {};
            int rr = av_interleaved_write_frame(w.oc.get(), spkt.get());
            haveSource = false;
            if (rr < 0) return avError("av_interleaved_write_frame(source stream)", rr);
        }
    };
    for (size_t k = 0; k < plan.chunks.size(); ++k) {
        int vi = -1;
        auto ic = openChunk(plan.chunks[k].path, vi, false);
        if (!ic) return fail(ic.takeError());
        size_t n = 0;
        while ((r = av_read_frame(ic->get(), vpkt.get())) >= 0) {
            if (vpkt->stream_index != vi) {
                av_packet_unref(vpkt.get());
                continue;
            }
            if (n >= scans[k].rank.size()) return fail(chunkError(plan.chunks[k].path, "changed since it was checked"));
            const int64_t rank = chunkBase + scans[k].rank[n++];
            vpkt->pts = allPts[static_cast<size_t>(rank)] - first + shift;
            vpkt->dts = dtsOf(j) - first + shift;
            vpkt->duration = durationOf(rank, j);
            vpkt->stream_index = w.video->index;
            vpkt->pos = -1;
            av_packet_rescale_ts(vpkt.get(), tb, vtbOut);
            if (vpkt->dts <= lastDts || vpkt->dts > vpkt->pts)
                return fail(makeError(ErrorCode::VerifyFailed,
                                      "Join of " + outPath + ": decode timestamps would not strictly increase at output frame " +
                                          std::to_string(j) + " (reorder delay " + std::to_string(delay) + ", container time base " +
                                          std::to_string(vtbOut.num) + "/" + std::to_string(vtbOut.den) + ").",
                                      {outPath, "dts not increasing"}));
            lastDts = vpkt->dts;
            if (auto st = pumpSourceUntil(static_cast<double>(vpkt->dts) * av_q2d(vtbOut)); !st) return fail(st.takeError());
            written.add(vpkt->data, static_cast<size_t>(vpkt->size));
            if ((r = av_interleaved_write_frame(w.oc.get(), vpkt.get())) < 0) return fail(avError("av_interleaved_write_frame(video)", r));
            ++j;
            if (plan.progress && (j % 64 == 0 || j == total)) plan.progress(j, total);
        }
        if (r != AVERROR_EOF) return fail(avError("av_read_frame(" + plan.chunks[k].path + ")", r));
        chunkBase += static_cast<int64_t>(scans[k].rank.size());
    }
    if (auto st = pumpSourceUntil(1e300); !st) return fail(st.takeError());
    if ((r = av_write_trailer(w.oc.get())) < 0) return fail(avError("av_write_trailer(" + outPath + ")", r));
    if ((r = avio_closep(&w.oc->pb)) < 0) return fail(avError("closing " + tmpPath, r));
    w.oc.reset();
    if (const int err = syncPath(tmpPath, false)) return fail(avError("fsync(" + tmpPath + ")", AVERROR(err)));

    auto check = checkOutput(tmpPath, plan.verify, plan.pixelFormat);
    if (!check) return fail(check.takeError());
    const VerifyReport& report = check->report;
    const bool samePayloads = check->payloadHash == written.finish();
    if (report.videoFrames != total || check->videoPackets != total || !samePayloads || !report.problems.empty()) {
        std::string detail = plan.verify == VerifyDepth::Full
                                 ? "decoded " + std::to_string(report.videoFrames) + " of " + std::to_string(total) + " frames"
                                 : "holds " + std::to_string(check->videoPackets) + " of " + std::to_string(total) + " video packets";
        if (!samePayloads) detail += "; video packet payloads differ from what was written";
        for (const std::string& p : report.problems) detail += "; " + p;
        return fail(makeError(ErrorCode::VerifyFailed, "The joined file " + outPath + " failed verification: " + detail + ".", {outPath, detail}));
    }
    fs::rename(tmpPath, outPath, ec);
    if (ec) return fail(makeError(ErrorCode::Io, "Cannot rename " + tmpPath + " to " + outPath + ": " + ec.message() + ".", {outPath, ec.message()}));
    syncPath(fs::path(outPath).parent_path().empty() ? "." : fs::path(outPath).parent_path().string(), true);
    result.videoFrames = total;
    result.bytes = static_cast<int64_t>(fs::file_size(outPath, ec));
    return result;
}

}  // namespace vfi::media
