// Verification depths (vfi::VerifyDepth): pipeline::verifyChunkQuick accepts a chunk as the encoder
// wrote it and rejects one payload byte flipped on disk, a truncated chunk and wrong planned
// timestamps, each with its message; the full depth still rejects what it did. media::PayloadHash
// sees the same NAL units whether they are framed by start codes or length prefixes (what MP4/MKV
// muxers do to the chunks' H.264/HEVC), and media::checkOutput (the joiner's check) reports a flipped
// payload byte of a joined file through its payload hash and a truncated one through its packet count.
#include <QtTest>

extern "C" {
#include <libavutil/mem.h>
}

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "joiner_test_util.h"
#include "media/output_check.h"
#include "media/payload_hash.h"
#include "pipeline/media_adapter.h"
#include "support/media_gen.h"
#include "support/result_check.h"

using namespace vfi;
using namespace vfi::media;
using namespace vfi::pipeline;
namespace fs = std::filesystem;

namespace {

constexpr Rational kOutTb{1, 60000};   // 30000/1001 source at 2x

RgbFrame pattern(int w, int h, int k) {
    RgbFrame f(w, h);
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                f.plane(c)[y * w + x] = static_cast<float>(((x * 7 + 5 * k) * (c + 2) + y * 3 + (x * y) % 17) % 230) / 255.0f;
    return f;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Payload and file position of the n-th video packet of a file (demuxed).
struct PacketAt {
    std::string payload;
    int64_t pos = -1;
};
PacketAt videoPacket(const std::string& path, int n) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) return {};
    AvInputContextPtr ic(raw);
    const int vs = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    AvPacketPtr pkt = makePacket();
    PacketAt out;
    int k = 0;
    while (av_read_frame(raw, pkt.get()) >= 0) {
        if (pkt->stream_index == vs && k++ == n) {
            out.payload.assign(reinterpret_cast<const char*>(pkt->data), static_cast<size_t>(pkt->size));
            out.pos = pkt->pos;
        }
        av_packet_unref(pkt.get());
        if (!out.payload.empty()) break;
    }
    return out;
}

// Flips a byte in the middle of the n-th video packet's payload, found in the file by its bytes
// (where the container puts a packet header before the payload differs per format).
// headerBytes > 0: zeroes the payload's first headerBytes bytes instead (the frame header).
bool flipPayloadByte(const std::string& path, int n, size_t headerBytes = 0) {
    const PacketAt p = videoPacket(path, n);
    if (p.payload.size() < 16 + headerBytes) return false;
    std::string bytes = readAll(path);
    const size_t at = bytes.find(p.payload);
    if (at == std::string::npos || bytes.find(p.payload, at + 1) != std::string::npos) return false;
    if (headerBytes > 0) std::fill_n(bytes.begin() + static_cast<long>(at), headerBytes, '\0');
    else bytes[at + p.payload.size() / 2] ^= 0x5a;
    writeAll(path, bytes);
    return true;
}

#define VERIFY_FAILS_WITH(expr, text)                                                                 \
    do {                                                                                              \
        const auto& r_ = (expr);                                                                      \
        QVERIFY2(!r_.ok(), "accepted");                                                               \
        QCOMPARE(r_.error().code, ErrorCode::ChunkInvalid);                                           \
        QVERIFY2(r_.error().message.find(text) != std::string::npos, r_.error().message.c_str());     \
    } while (0)

std::vector<uint8_t> annexB(const std::vector<std::vector<uint8_t>>& nals) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i < nals.size(); ++i) {
        if (i == 0) out.push_back(0);   // 4-byte start code first, 3-byte ones after, as x264 writes them
        out.insert(out.end(), {0, 0, 1});
        out.insert(out.end(), nals[i].begin(), nals[i].end());
    }
    return out;
}

std::vector<uint8_t> lengthPrefixed(const std::vector<std::vector<uint8_t>>& nals) {
    std::vector<uint8_t> out;
    for (const auto& n : nals) {
        const auto s = static_cast<uint32_t>(n.size());
        out.insert(out.end(), {static_cast<uint8_t>(s >> 24), static_cast<uint8_t>(s >> 16), static_cast<uint8_t>(s >> 8), static_cast<uint8_t>(s)});
        out.insert(out.end(), n.begin(), n.end());
    }
    return out;
}

struct ParFree {
    void operator()(AVCodecParameters* p) const { avcodec_parameters_free(&p); }
};
std::unique_ptr<AVCodecParameters, ParFree> h264Par(const std::vector<uint8_t>& extradata) {
    std::unique_ptr<AVCodecParameters, ParFree> p(avcodec_parameters_alloc());
    p->codec_type = AVMEDIA_TYPE_VIDEO;
    p->codec_id = AV_CODEC_ID_H264;
    p->extradata = static_cast<uint8_t*>(av_mallocz(extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    std::copy(extradata.begin(), extradata.end(), p->extradata);
    p->extradata_size = static_cast<int>(extradata.size());
    return p;
}

std::string hashOf(PayloadHash h, const std::vector<std::vector<uint8_t>>& packets) {
    for (const auto& p : packets) h.add(p.data(), p.size());
    return h.finish();
}

}  // namespace

class TestChunkVerify : public QObject {
    Q_OBJECT

    vfi::test::TempDir m_tmp;
    SourceIndex m_idx;

    // Six frames at pts 5005 + 1001 k (kOutTb) through the job's chunk encoder.
    Result<ChunkStats> encode(const std::string& path, const std::string& encoder, const std::string& output) {
        EncodeOptions o;
        o.encoder = encoder;
        auto choice = resolveEncoding(o, m_idx, m_tmp.file(output));
        if (!choice) return choice.takeError();
        auto w = openChunkEncoder(path, *choice, m_idx, kOutTb);
        if (!w) return w.takeError();
        for (int k = 0; k < 6; ++k)
            if (auto st = (*w)->write(pattern(64, 48, k), nullptr, 5005 + 1001 * k); !st) return st.takeError();
        return (*w)->finish();
    }

private slots:
    void initTestCase() {
        vfi::test::GenSpec spec;
        spec.frames = 3;
        spec.frameRate = {30000, 1001};
        spec.primaries = spec.transfer = spec.matrix = "bt709";
        spec.range = "tv";
        const std::string src = m_tmp.file("src.mov");
        VERIFY_OK(vfi::test::generate(src, spec));
        auto idx = indexSource(src);
        VERIFY_OK(idx);
        m_idx = *idx;
    }

    void encoders_data() {
        QTest::addColumn<QString>("encoder");
        QTest::addColumn<QString>("output");
        QTest::newRow("libx264 (B-frames)") << "libx264" << "out.mp4";
        QTest::newRow("ffv1") << "ffv1" << "out.mkv";
    }

    void encoders() {
        QFETCH(QString, encoder);
        QFETCH(QString, output);
        const std::string tag = encoder.toStdString();
        const std::string path = m_tmp.file("good_" + tag + ".nut");
        auto stats = encode(path, tag, output.toStdString());
        VERIFY_OK(stats);
        QCOMPARE(stats->packets, int64_t(6));
        QCOMPARE(stats->payloadHash.size(), size_t(32));
        const int64_t first = 5005, last = 5005 + 5 * 1001;
        VERIFY_OK(verifyChunkQuick(path, 6, first, last, kOutTb, *stats));
        VERIFY_OK(verifyChunk(path, 6, first, last, kOutTb, *stats, VerifyDepth::Quick));
        VERIFY_OK(verifyChunk(path, 6, first, last, kOutTb, *stats, VerifyDepth::Full));

        // Planned timestamps or frame count that the chunk does not have.
        VERIFY_FAILS_WITH(verifyChunkQuick(path, 6, first + 1, last, kOutTb, *stats),
                          "timestamps 5005..10010, planned 5006..10010");
        VERIFY_FAILS_WITH(verifyChunkQuick(path, 6, first, last + 1001, kOutTb, *stats),
                          "timestamps 5005..10010, planned 5005..11011");
        VERIFY_FAILS_WITH(verifyChunkQuick(path, 7, first, last, kOutTb, *stats), "holds 6 packets, planned 7 frames");
        // The full depth keeps its own messages (every frame decoded).
        VERIFY_FAILS_WITH(verifyChunk(path, 7, first, last, kOutTb), "decodes to 6 frames, planned 7");
        VERIFY_FAILS_WITH(verifyChunk(path, 6, first + 1, last, kOutTb, *stats, VerifyDepth::Full), "planned 5006..10010");

        // What the encoder reported must match: another payload hash is a different bitstream.
        ChunkStats other = *stats;
        other.payloadHash = std::string(32, '0');
        VERIFY_FAILS_WITH(verifyChunkQuick(path, 6, first, last, kOutTb, other), "packet payloads differ from what the encoder wrote");

        // One payload byte flipped on disk after the encoder finished (packet 3, not the first frame:
        // only the hash can see it).
        const std::string flipped = m_tmp.file("flipped_" + tag + ".nut");
        fs::copy_file(path, flipped, fs::copy_options::overwrite_existing);
        QVERIFY(flipPayloadByte(flipped, 3));
        QCOMPARE(fs::file_size(flipped), fs::file_size(path));
        VERIFY_FAILS_WITH(verifyChunkQuick(flipped, 6, first, last, kOutTb, *stats), "packet payloads differ from what the encoder wrote");
        VERIFY_FAILS_WITH(verifyChunk(flipped, 6, first, last, kOutTb, *stats, VerifyDepth::Full),
                          "packet payloads differ from what the encoder wrote");

        // Truncated where packet 4 starts: a short write.
        const std::string cut = m_tmp.file("cut_" + tag + ".nut");
        fs::copy_file(path, cut, fs::copy_options::overwrite_existing);
        const PacketAt p4 = videoPacket(cut, 4);
        QVERIFY(p4.pos > 0);
        fs::resize_file(cut, static_cast<uintmax_t>(p4.pos));
        VERIFY_FAILS_WITH(verifyChunkQuick(cut, 6, first, last, kOutTb, *stats), "holds 4 packets, planned 6 frames");
        VERIFY_FAILS_WITH(verifyChunk(cut, 6, first, last, kOutTb), "decodes to 4 frames, planned 6");
    }

    void damagedFirstFrameIsReported() {
        // A bitstream whose first frame is damaged though every packet is as the encoder reported it
        // (the hash is taken of the damaged file): the decode of the first frame must notice. The
        // FFV1 frame header is zeroed (no keyframe flag: the decoder refuses the frame). A flipped
        // byte inside a slice would not do: FFmpeg 5.1 logs the slice CRC mismatch and conceals it
        // without flagging the frame.
        const std::string path = m_tmp.file("first_damaged.nut");
        auto stats = encode(path, "ffv1", "out.mkv");
        VERIFY_OK(stats);
        QVERIFY(flipPayloadByte(path, 0, 8));
        PayloadHash h;
        for (int k = 0; k < 6; ++k) {
            const PacketAt p = videoPacket(path, k);
            h.add(reinterpret_cast<const uint8_t*>(p.payload.data()), p.payload.size());
        }
        ChunkStats damaged = *stats;
        damaged.payloadHash = h.finish();
        VERIFY_FAILS_WITH(verifyChunkQuick(path, 6, 5005, 5005 + 5 * 1001, kOutTb, damaged), "its first frame does not decode");
    }

    void payloadHashSeesNalUnitsWhateverTheFraming() {
        const std::vector<std::vector<uint8_t>> nals = {{0x65, 0x88, 0x84, 0x00, 0x21}, {0x06, 0x05, 0x00, 0x00, 0x03, 0x01}};
        const std::vector<std::vector<uint8_t>> nals2 = {{0x41, 0x9a, 0x02, 0x00}};
        // Annex B extradata (start code first) and an avcC record with 4-byte lengths.
        const auto annexPar = h264Par({0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 1, 0x68, 0xce});
        const auto avccPar = h264Par({1, 0x42, 0, 0x1e, 0xff, 0xe0, 0});
        const std::string a = hashOf(PayloadHash(annexPar.get()), {annexB(nals), annexB(nals2)});
        const std::string b = hashOf(PayloadHash(avccPar.get()), {lengthPrefixed(nals), lengthPrefixed(nals2)});
        QCOMPARE(a, b);
        // One byte of one NAL unit differs.
        auto changed = nals;
        changed[1][2] ^= 1;
        QVERIFY(hashOf(PayloadHash(avccPar.get()), {lengthPrefixed(changed), lengthPrefixed(nals2)}) != b);
        // The same units split into packets differently.
        std::vector<std::vector<uint8_t>> merged = nals;
        merged.push_back(nals2[0]);
        QVERIFY(hashOf(PayloadHash(avccPar.get()), {lengthPrefixed(merged)}) != b);
        // Raw hashing (no codec parameters) is over the bytes: framing matters there.
        QVERIFY(hashOf(PayloadHash(), {annexB(nals)}) != hashOf(PayloadHash(), {lengthPrefixed(nals)}));
        QCOMPARE(hashOf(PayloadHash(), {annexB(nals)}), hashOf(PayloadHash(), {annexB(nals)}));
    }

    void joinedFileQuickCheck() {
        vfi::test::TempDir tmp;
        // H.264 with B-frames in MOV chunks, joined to MP4 (the joiner's own checks run at quick depth).
        auto plan = vfi::test::makeChunks(tmp, vfi::test::range(12, 1001), {1, 60000}, {5, 7}, "out.mp4");
        plan.verify = VerifyDepth::Quick;
        auto r = joinChunks(plan);
        VERIFY_OK(r);
        QCOMPARE(r->videoFrames, int64_t(12));
        auto quick = checkOutput(plan.outputPath, VerifyDepth::Quick);
        VERIFY_OK(quick);
        QVERIFY(quick->report.problems.empty());
        QCOMPARE(quick->report.videoFrames, int64_t(12));
        QCOMPARE(quick->videoPackets, int64_t(12));
        auto full = checkOutput(plan.outputPath, VerifyDepth::Full);
        VERIFY_OK(full);
        QCOMPARE(full->report.videoFrames, int64_t(12));
        QCOMPARE(full->payloadHash, quick->payloadHash);
        auto rep = verifyOutput(plan.outputPath);
        VERIFY_OK(rep);
        QVERIFY(std::abs(rep->durationSeconds - quick->report.durationSeconds) < 1e-9);

        // The same join at full depth writes the same bytes.
        const std::string quickBytes = readAll(plan.outputPath);
        plan.verify = VerifyDepth::Full;
        plan.overwrite = true;
        VERIFY_OK(joinChunks(plan));
        QVERIFY(readAll(plan.outputPath) == quickBytes);

        // A payload byte flipped in the joined file: same packets, another payload hash.
        QVERIFY(flipPayloadByte(plan.outputPath, 6));
        auto flipped = checkOutput(plan.outputPath, VerifyDepth::Quick);
        VERIFY_OK(flipped);
        QCOMPARE(flipped->videoPackets, int64_t(12));
        QVERIFY(flipped->payloadHash != quick->payloadHash);
    }
};

QTEST_GUILESS_MAIN(TestChunkVerify)
#include "test_chunk_verify.moc"
