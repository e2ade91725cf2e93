// Edit-list media for the resume tests: an `ffmpeg -ss T -c copy`-style stream-copy cut, and a
// reader of MP4/MOV `elst` boxes so a test can prove its source really has a non-trivial edit list.
#include <cmath>
#include <fstream>
#include <iterator>
#include <vector>

#include "media/av_ptr.h"
#include "support/media_gen.h"

namespace vfi::test {

Status streamCopyCut(const std::string& in, const std::string& out, double startSeconds) {
    using media::avError;
    AVFormatContext* raw = nullptr;
    int r = avformat_open_input(&raw, in.c_str(), nullptr, nullptr);
    if (r < 0) return avError("avformat_open_input(" + in + ")", r);
    media::AvInputContextPtr ic(raw);
    if ((r = avformat_find_stream_info(ic.get(), nullptr)) < 0) return avError("avformat_find_stream_info", r);
    const int vs = av_find_best_stream(ic.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (vs < 0) return makeError(ErrorCode::NoVideoStream, "no video stream in " + in, {in});
    const AVRational tb = ic->streams[vs]->time_base;
    const int64_t start = std::llround(startSeconds / av_q2d(tb));

    // Packets in decode order; the copy starts at the last keyframe whose pts is <= start.
    std::vector<media::AvPacketPtr> packets;
    size_t first = 0;
    for (;;) {
        auto pkt = media::makePacket();
        if (av_read_frame(ic.get(), pkt.get()) < 0) break;
        if (pkt->stream_index != vs) continue;
        if ((pkt->flags & AV_PKT_FLAG_KEY) && pkt->pts <= start) first = packets.size();
        packets.push_back(std::move(pkt));
    }
    AVFormatContext* rawOut = nullptr;
    if ((r = avformat_alloc_output_context2(&rawOut, nullptr, nullptr, out.c_str())) < 0)
        return avError("avformat_alloc_output_context2(" + out + ")", r);
    media::AvOutputContextPtr oc(rawOut);
    AVStream* st = avformat_new_stream(oc.get(), nullptr);
    avcodec_parameters_copy(st->codecpar, ic->streams[vs]->codecpar);
    st->codecpar->codec_tag = 0;
    st->time_base = tb;
    if ((r = avio_open(&oc->pb, out.c_str(), AVIO_FLAG_WRITE)) < 0) return avError("avio_open(" + out + ")", r);
    if ((r = avformat_write_header(oc.get(), nullptr)) < 0) return avError("avformat_write_header(" + out + ")", r);
    for (size_t i = first; i < packets.size(); ++i) {
        AVPacket* p = packets[i].get();
        p->pts -= start;
        p->dts -= start;
        p->stream_index = 0;
        av_packet_rescale_ts(p, tb, st->time_base);
        p->pos = -1;
        if ((r = av_interleaved_write_frame(oc.get(), p)) < 0) return avError("write_frame", r);
    }
    if ((r = av_write_trailer(oc.get())) < 0) return avError("av_write_trailer(" + out + ")", r);
    return {};
}

std::vector<int64_t> mp4EditListMediaTimes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    const std::string b((std::istreambuf_iterator<char>(f)), {});
    auto be = [&](size_t at, int bytes) {
        uint64_t v = 0;
        for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(b[at + static_cast<size_t>(i)]);
        return v;
    };
    std::vector<int64_t> times;
    for (size_t at = b.find("elst"); at != std::string::npos && at >= 4; at = b.find("elst", at + 4)) {
        const size_t boxEnd = at - 4 + be(at - 4, 4);
        if (boxEnd > b.size() || at + 12 > boxEnd) continue;
        const int version = static_cast<int>(be(at + 4, 1));
        const uint64_t entries = be(at + 8, 4);
        const size_t entrySize = version == 1 ? 20 : 12;
        size_t e = at + 12;
        for (uint64_t k = 0; k < entries && e + entrySize <= boxEnd; ++k, e += entrySize) {
            const size_t mt = e + (version == 1 ? 8 : 4);
            times.push_back(version == 1 ? static_cast<int64_t>(be(mt, 8)) : static_cast<int64_t>(static_cast<int32_t>(be(mt, 4))));
        }
    }
    return times;
}

}  // namespace vfi::test
