#include "media/frame_index.h"

#include <algorithm>
#include <cmath>

#include "media/input_file.h"

namespace vfi::media {

std::optional<int64_t> FrameIndex::find(int64_t framePts) const {
    auto it = std::lower_bound(pts.begin(), pts.end(), framePts);
    if (it == pts.end() || *it != framePts) return std::nullopt;
    return static_cast<int64_t>(it - pts.begin());
}

int64_t FrameIndex::keyframeAtOrBefore(int64_t index) const {
    auto it = std::upper_bound(keyframes.begin(), keyframes.end(), index);
    if (it == keyframes.begin()) return 0;
    return *(it - 1);
}

double FrameIndex::secondsOf(int64_t index) const {
    if (pts.empty() || index < 0 || index >= count()) return 0;
    return static_cast<double>(pts[static_cast<size_t>(index)] - pts.front()) * timeBase.toDouble();
}

std::string FrameIndex::hash() const {
    std::vector<int64_t> buf;
    buf.reserve(pts.size() + 4);
    buf.push_back(timeBase.num);
    buf.push_back(timeBase.den);
    buf.push_back(lastFrameDuration);
    buf.push_back(count());
    buf.insert(buf.end(), pts.begin(), pts.end());
    return sha256Hex(buf.data(), buf.size() * sizeof(int64_t));
}

Status FrameIndex::checkComplete(const std::string& path) const {
    if (!truncated) return {};
    return makeError(ErrorCode::TruncatedInput, path + " is truncated or damaged: " + truncationDetail,
                     {path, truncationDetail});
}

namespace {

Result<FrameIndex> indexInput(InputFile in, const std::string& path) {
    discardAllButVideo(in);
    AVFormatContext* fmt = in.fmt.get();
    const AVStream* st = fmt->streams[in.videoStream];

    FrameIndex idx;
    idx.streamIndex = in.videoStream;
    idx.timeBase = {st->time_base.num, st->time_base.den};

    struct Entry {
        int64_t pts;
        int64_t duration;
        bool key;
    };
    std::vector<Entry> entries;
    AvPacketPtr pkt = makePacket();
    int64_t guess = 0;
    int64_t packetsRead = 0;   // edit-list-hidden ones included: the container's sample count has them
    int rc = 0;
    while ((rc = av_read_frame(fmt, pkt.get())) >= 0) {
        if (pkt->stream_index == in.videoStream) ++packetsRead;
        if (pkt->stream_index == in.videoStream && !(pkt->flags & AV_PKT_FLAG_DISCARD) &&
            !(pkt->flags & AV_PKT_FLAG_CORRUPT && pkt->size == 0)) {
            int64_t t = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
            if (t == AV_NOPTS_VALUE) t = guess;
            guess = t + std::max<int64_t>(pkt->duration, 1);
            entries.push_back({t, pkt->duration, (pkt->flags & AV_PKT_FLAG_KEY) != 0});
        }
        av_packet_unref(pkt.get());
    }
    if (rc != AVERROR_EOF) {
        idx.truncated = true;
        idx.truncationDetail = "read error after " + std::to_string(entries.size()) + " frames (" + avErrorText(rc) + ")";
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.pts < b.pts; });
    // Duplicate timestamps (broken muxers) cannot identify a frame: keep the first, the decoder's
    // output is matched against the same rule.
    entries.erase(std::unique(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.pts == b.pts; }),
                  entries.end());
    if (entries.empty()) {
        if (idx.truncated) return makeError(ErrorCode::TruncatedInput, path + ": no readable video frame (" + idx.truncationDetail + ")", {path, idx.truncationDetail});
        return makeError(ErrorCode::NotAVideo, path + ": the video stream holds no frames", {path, "no frames"});
    }
    idx.pts.reserve(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        idx.pts.push_back(entries[i].pts);
        if (entries[i].key) idx.keyframes.push_back(static_cast<int64_t>(i));
    }
    const Entry& last = entries.back();
    if (last.duration > 0) {
        idx.lastFrameDuration = last.duration;
    } else if (entries.size() > 1) {
        idx.lastFrameDuration = last.pts - entries[entries.size() - 2].pts;
    } else if (st->avg_frame_rate.num > 0) {
        idx.lastFrameDuration = std::max<int64_t>(1, av_rescale_q(1, av_inv_q(st->avg_frame_rate), st->time_base));
    } else {
        idx.lastFrameDuration = 1;
    }

    if (!idx.truncated && st->nb_frames > 0 && st->nb_frames > packetsRead + 1 &&
        std::string(fmt->iformat->name).find("mov") != std::string::npos) {
        idx.truncated = true;
        idx.truncationDetail = "the container lists " + std::to_string(st->nb_frames) + " frames but only " +
                               std::to_string(packetsRead) + " could be read";
    }
    if (!idx.truncated) {
        double declared = 0;
        if (st->duration != AV_NOPTS_VALUE && st->duration > 0) declared = static_cast<double>(st->duration) * av_q2d(st->time_base);
        else if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) declared = static_cast<double>(fmt->duration) / AV_TIME_BASE;
        const double found = static_cast<double>(idx.pts.back() - idx.pts.front() + idx.lastFrameDuration) * idx.timeBase.toDouble();
        if (declared > 0 && declared - found > 1.0 && found < 0.9 * declared) {
            idx.truncated = true;
            idx.truncationDetail = "the container declares " + std::to_string(declared) + " s of video but only " +
                                   std::to_string(found) + " s could be read";
        }
    }
    return idx;
}

}  // namespace

Result<FrameIndex> buildFrameIndex(const std::string& path) {
    VFI_ASSIGN_OR_RETURN(InputFile in, openInputFile(path));
    return indexInput(std::move(in), path);
}

Result<FrameIndex> buildFrameIndexBytes(const uint8_t* data, size_t size, const std::string& name) {
    VFI_ASSIGN_OR_RETURN(InputFile in, openInputBytes(data, size, name));
    return indexInput(std::move(in), name);
}

}  // namespace vfi::media
