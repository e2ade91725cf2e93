// Pipeline building blocks: chunk plan arithmetic, exact output timing, scene-cut detector,
// session identity mismatch and locks.
#include <QtTest>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/intreadwrite.h>
#include <libavutil/pixdesc.h>
}

#include "media/av_ptr.h"
#include "media/colour_converter.h"
#include "pipeline/chunk_plan.h"
#include "pipeline/chunk_renderer.h"
#include "pipeline/file_util.h"
#include "pipeline/output_timing.h"
#include "pipeline/scene_cut_detector.h"
#include "pipeline/session.h"
#include "pipeline/session_lock.h"
#include "vfi/frame_interpolator.h"

using namespace vfi;
using namespace vfi::pipeline;

class TestPipelineUnits : public QObject {
    Q_OBJECT
private slots:
    void chunkPlanCoversEveryOutputFrameOnce_data() {
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("factor");
        QTest::addColumn<int>("chunk");
        QTest::newRow("10x2 c4") << 10 << 2 << 4;
        QTest::newRow("10x4 c1") << 10 << 4 << 1;
        QTest::newRow("10x8 c3") << 10 << 8 << 3;
        QTest::newRow("1 frame") << 1 << 2 << 5;
        QTest::newRow("2 frames") << 2 << 2 << 1;
        QTest::newRow("61x2 c60") << 61 << 2 << 60;
    }
    void chunkPlanCoversEveryOutputFrameOnce() {
        QFETCH(int, frames);
        QFETCH(int, factor);
        QFETCH(int, chunk);
        ChunkPlan plan(frames, factor, chunk);
        QCOMPARE(plan.outputFrames(), int64_t(frames - 1) * factor + 1);
        int64_t next = 0, nextSrc = 0;
        for (int k = 0; k < plan.chunkCount(); ++k) {
            const ChunkSpan c = plan.chunk(k);
            QCOMPARE(c.outputBegin, next);
            QCOMPARE(c.sourceBegin, nextSrc);
            QVERIFY(c.outputEnd > c.outputBegin);
            QVERIFY(c.decodeEnd <= frames);
            next = c.outputEnd;
            nextSrc = c.sourceEnd;
        }
        QCOMPARE(next, plan.outputFrames());
        QCOMPARE(nextSrc, int64_t(frames));
    }
    void rangeSnapsToChunks() {
        ChunkPlan plan(100, 2, 10);
        const auto ks = plan.chunksForRange(15, 35);
        QCOMPARE(ks.size(), size_t(3));
        QCOMPARE(ks.front(), 1);
        QCOMPARE(ks.back(), 3);
        QCOMPARE(plan.chunksForRange(0, -1).size(), size_t(plan.chunkCount()));
    }
    // The queues hold at most ~256 MiB of float frames each, never fewer than 1 source / 2 output
    // frames, never more than the 1080p depths.
    void queueDepthsFollowTheFrameSize() {
        const QueueDepths hd = queueDepths(1920, 1080, 2);
        QCOMPARE(hd.source, size_t(4));
        QCOMPARE(hd.output, size_t(8));
        QCOMPARE(queueDepths(1920, 1080, 8).output, size_t(10));   // 256 MiB / 24.9 MB
        const QueueDepths uhd = queueDepths(3840, 2160, 2);
        QCOMPARE(uhd.source, size_t(2));
        QCOMPARE(uhd.output, size_t(2));
        const QueueDepths eightK = queueDepths(7680, 4320, 4);
        QCOMPARE(eightK.source, size_t(1));
        QCOMPARE(eightK.output, size_t(2));
        QCOMPARE(queueDepths(64, 48, 2).output, size_t(8));
    }

    void outputTimingIsExactForCfrAndVfr() {
        // 30000/1001 in tb 1/30000: 1001 per frame; 2x -> tb 1/60000 and 1001 per output frame.
        OutputTiming cfr({0, 1001, 2002, 3003}, 1001, 2);
        for (int64_t j = 0; j < cfr.outputFrames(); ++j) QCOMPARE(cfr.pts(j), j * 1001);
        QCOMPARE(cfr.duration(cfr.outputFrames() - 1), int64_t(2002));
        // VFR: 0, 3000, 3900, 9000 at 4x: midpoints exact in tb/4.
        OutputTiming vfr({0, 3000, 3900, 9000}, 500, 4);
        QCOMPARE(vfr.outputFrames(), int64_t(13));
        QCOMPARE(vfr.pts(4), int64_t(12000));
        QCOMPARE(vfr.pts(5), int64_t(12000 + 900));
        QCOMPARE(vfr.pts(7), int64_t(12000 + 3 * 900));
        QCOMPARE(vfr.pts(12), int64_t(36000));
        QCOMPARE(vfr.duration(12), int64_t(2000));
    }
    void sceneCutDetector() {
        RgbFrame dark(128, 72), dark2(128, 72), bright(128, 72);
        for (size_t i = 0; i < dark.data.size(); ++i) {
            dark.data[i] = 0.1f + 0.1f * float(i % 128) / 128.0f;
            dark2.data[i] = 0.1f + 0.1f * float((i + 3) % 128) / 128.0f;
            bright.data[i] = 0.9f - 0.1f * float(i % 64) / 64.0f;
        }
        const double same = sceneCutScore(makeLumaThumb(dark), makeLumaThumb(dark));
        const double moved = sceneCutScore(makeLumaThumb(dark), makeLumaThumb(dark2));
        const double cut = sceneCutScore(makeLumaThumb(dark), makeLumaThumb(bright));
        QCOMPARE(same, 0.0);
        QVERIFY2(!isSceneCut(moved, 0.35), qPrintable(QString::number(moved)));
        QVERIFY2(isSceneCut(cut, 0.35), qPrintable(QString::number(cut)));
        QVERIFY(!isSceneCut(cut, 0.0));   // 0 disables detection
    }
    void lumaThumbIsTheBlockMeanOfBt709Luma() {
        // 1000x563: step 15, a 66x37 thumbnail of whole blocks; the right 10 columns and bottom 8 rows
        // fill no block and are left out.
        RgbFrame f(1000, 563);
        uint32_t state = 12345;
        for (float& v : f.data) {
            state = state * 1664525u + 1013904223u;
            v = float(state >> 8) / float(1 << 24) * 1.2f - 0.1f;   // also out of [0,1]
        }
        const LumaThumb t = makeLumaThumb(f);
        QCOMPARE(t.width, 66);
        QCOMPARE(t.height, 37);
        QCOMPARE(t.luma.size(), size_t(66 * 37));
        double worst = 0;
        for (int ty = 0; ty < t.height; ++ty)
            for (int tx = 0; tx < t.width; ++tx) {
                double sum = 0;
                for (int y = ty * 15; y < ty * 15 + 15; ++y)
                    for (int x = tx * 15; x < tx * 15 + 15; ++x) {
                        const size_t i = size_t(y) * 1000 + x;
                        sum += 0.2126 * f.plane(0)[i] + 0.7152 * f.plane(1)[i] + 0.0722 * f.plane(2)[i];
                    }
                worst = std::max(worst, std::fabs(sum / 225 - t.luma[size_t(ty) * t.width + tx]));
            }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        // A frame narrower than 64 pixels: one pixel per block.
        RgbFrame small(10, 3);
        for (size_t i = 0; i < small.data.size(); ++i) small.data[i] = float(i % 7) / 7;
        const LumaThumb s = makeLumaThumb(small);
        QCOMPARE(s.width, 10);
        QCOMPARE(s.height, 3);
        QCOMPARE(s.luma[13], 0.2126f * small.plane(0)[13] + 0.7152f * small.plane(1)[13] + 0.0722f * small.plane(2)[13]);
    }
    void contentHashCatchesDamageAndReadsOldSessions() {
        const std::string path = (std::filesystem::path(QDir::tempPath().toStdString()) /
                                  ("vfi_content_hash_" + std::to_string(getpid()) + ".bin")).string();
        std::string bytes(3 * (1 << 20) + 12345, '\0');   // more than one read buffer
        for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
        QVERIFY(writeFileAtomic(path, bytes).ok());
        auto h = contentHashFile(path);
        QVERIFY(h.ok());
        QVERIFY2(h->rfind("murmur3-128:", 0) == 0 && h->size() == 12 + 32, qPrintable(QString::fromStdString(*h)));
        QCOMPARE(contentHashFile(path).value(), *h);   // deterministic
        QVERIFY(fileMatchesContentHash(path, *h));
        // A session recorded before the switch holds a bare SHA-256: still accepted.
        auto sha = sha256File(path);
        QVERIFY(sha.ok());
        QVERIFY(fileMatchesContentHash(path, *sha));
        QVERIFY(!fileMatchesContentHash(path, ""));
        // One flipped bit deep in the file fails both.
        bytes[2 * (1 << 20) + 7] ^= 0x10;
        QVERIFY(writeFileAtomic(path, bytes).ok());
        QVERIFY(!fileMatchesContentHash(path, *h));
        QVERIFY(!fileMatchesContentHash(path, *sha));
        QVERIFY(contentHashFile(path).value() != *h);
        std::filesystem::remove(path);
        QVERIFY(!fileMatchesContentHash(path, *h));
        QVERIFY(!contentHashFile(path).ok());
    }
    void lumaThumbFromTheLumaPlaneEqualsTheRgbOne_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("matrix");
        QTest::addColumn<int>("range");
        QTest::addColumn<bool>("direct");
        QTest::newRow("yuv420p 709 limited") << int(AV_PIX_FMT_YUV420P) << int(AVCOL_SPC_BT709) << int(AVCOL_RANGE_MPEG) << true;
        QTest::newRow("yuv420p10 709 full") << int(AV_PIX_FMT_YUV420P10LE) << int(AVCOL_SPC_BT709) << int(AVCOL_RANGE_JPEG) << true;
        QTest::newRow("nv12 709 limited") << int(AV_PIX_FMT_NV12) << int(AVCOL_SPC_BT709) << int(AVCOL_RANGE_MPEG) << true;
        QTest::newRow("gray10 any matrix") << int(AV_PIX_FMT_GRAY10LE) << int(AVCOL_SPC_SMPTE170M) << int(AVCOL_RANGE_JPEG) << true;
        QTest::newRow("yuv422p 601: RGB path") << int(AV_PIX_FMT_YUV422P) << int(AVCOL_SPC_SMPTE170M) << int(AVCOL_RANGE_MPEG) << false;
        QTest::newRow("p010 shifted: RGB path") << int(AV_PIX_FMT_P010LE) << int(AVCOL_SPC_BT709) << int(AVCOL_RANGE_MPEG) << false;
        QTest::newRow("rgb24: RGB path") << int(AV_PIX_FMT_RGB24) << int(AVCOL_SPC_BT709) << int(AVCOL_RANGE_JPEG) << false;
    }
    void lumaThumbFromTheLumaPlaneEqualsTheRgbOne() {
        QFETCH(int, format);
        QFETCH(int, matrix);
        QFETCH(int, range);
        QFETCH(bool, direct);
        // 333x190: step 5, 66x38 blocks, 3 columns left over.
        media::AvFramePtr f = media::makeFrame();
        f->format = format;
        f->width = 333;
        f->height = 190;
        QVERIFY(av_frame_get_buffer(f.get(), 0) >= 0);
        const int log2h = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(format))->log2_chroma_h;
        auto rows = [&](int p) { return p == 0 ? f->height : -((-f->height) >> log2h); };
        uint32_t state = 99;
        for (int p = 0; p < 4 && f->data[p]; ++p)
            for (int y = 0; y < rows(p); ++y)
                for (int x = 0; x < f->linesize[p]; x += 2) {
                    state = state * 1664525u + 1013904223u;
                    // Little-endian 16-bit values below 1024 (10-bit, also read as two 8-bit samples).
                    AV_WL16(f->data[p] + y * f->linesize[p] + x, static_cast<uint16_t>((state >> 16) & 0x3ff) << (format == AV_PIX_FMT_P010LE ? 6 : 0));
                }
        if (format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_NV12 || format == AV_PIX_FMT_YUV422P || format == AV_PIX_FMT_RGB24)
            for (int p = 0; p < 4 && f->data[p]; ++p)
                for (int y = 0; y < rows(p); ++y)
                    for (int x = 0; x < f->linesize[p]; ++x) f->data[p][y * f->linesize[p] + x] = static_cast<uint8_t>(16 + (x * 7 + y * 13 + p * 50) % 220);
        media::ColourSpec spec;
        spec.matrix = static_cast<AVColorSpace>(matrix);
        spec.range = static_cast<AVColorRange>(range);
        RgbFrame rgb;
        QVERIFY(media::ColourConverter(spec, 1).toRgb(*f, rgb).ok());
        const LumaThumb viaRgb = makeLumaThumb(rgb);
        LumaThumb viaLuma;
        const bool used = makeLumaThumbFromLuma(*f, matrix == AVCOL_SPC_BT709, range == AVCOL_RANGE_JPEG, viaLuma);
        QCOMPARE(used, direct);
        if (!used) return;
        QCOMPARE(viaLuma.width, viaRgb.width);
        QCOMPARE(viaLuma.height, viaRgb.height);
        QCOMPARE(viaLuma.width, 66);
        double worst = 0;
        for (size_t i = 0; i < viaRgb.luma.size(); ++i) worst = std::max(worst, double(std::fabs(viaRgb.luma[i] - viaLuma.luma[i])));
        QVERIFY2(worst < 2e-5, qPrintable(QString::number(worst)));
        QVERIFY(sceneCutScore(viaRgb, viaLuma) < 1e-3);
    }
    void blendIsTheMean() {
        auto b = createBlendInterpolator();
        QVERIFY(b->isPreviewQuality());
        RgbFrame x(4, 2), y(4, 2);
        for (size_t i = 0; i < x.data.size(); ++i) {
            x.data[i] = float(i) / 10;
            y.data[i] = 1.0f;
        }
        auto m = b->interpolate(x, y, {});
        QVERIFY(m.ok());
        for (size_t i = 0; i < x.data.size(); ++i) QCOMPARE(m->data[i], 0.5f * x.data[i] + 0.5f);
        // A frame above the streaming-store size (50 MB, an odd number of samples: the unaligned
        // head and the tail take the plain path) gives the same bits as the plain mean everywhere.
        RgbFrame big1(2049, 2049), big2(2049, 2049);
        uint32_t seed = 12345;
        auto next = [&] {
            seed = seed * 1664525u + 1013904223u;
            return static_cast<float>(static_cast<int32_t>(seed >> 8) - (1 << 23)) / float(1 << 22);   // [-2, 2)
        };
        for (size_t i = 0; i < big1.data.size(); ++i) {
            big1.data[i] = next();
            big2.data[i] = next();
        }
        auto bm = b->interpolate(big1, big2, {});
        QVERIFY(bm.ok());
        size_t wrong = 0;
        for (size_t i = 0; i < big1.data.size(); ++i) wrong += bm->data[i] != 0.5f * big1.data[i] + 0.5f * big2.data[i];
        QCOMPARE(wrong, size_t(0));
        std::atomic<bool> cancel{true};
        InterpolationCall call;
        call.cancel = &cancel;
        auto c = b->interpolate(x, y, call);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().code, ErrorCode::Cancelled);
    }
    // Chunk workers of several devices commit records and rewrite the manifest at the same time: every
    // write lands (a temporary name by pid alone made two threads write one file), and the manifest
    // comes from the in-memory index, not from reading every record again.
    void concurrentCommitsKeepEveryRecord() {
        const std::string dir = (std::filesystem::temp_directory_path() / ("vfi_conc_" + std::to_string(::getpid()))).string();
        std::filesystem::remove_all(dir);
        SessionIdentity id;
        id.settingsHash = "a";
        id.chunkFrames = 1;
        id.chunkExtension = "nut";
        auto session = Session::openOrCreate(dir, id);
        QVERIFY(session.ok());
        (void)session->scanRecords();
        std::atomic<int> failures{0};
        auto commit = [&](int from) {
            for (int k = from; k < 400; k += 4) {
                ChunkRecord r;
                r.index = k;
                r.file = session->chunkFileName(k);
                r.bytes = k;
                if (!session->writeRecord(r) || !session->rebuildManifest(400, {})) ++failures;
            }
        };
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) threads.emplace_back(commit, t);
        for (auto& t : threads) t.join();
        QCOMPARE(failures.load(), 0);
        // A record written behind the index's back is not in the manifest until the next scan.
        ChunkRecord outside;
        outside.index = 400;
        outside.file = session->chunkFileName(400);
        QVERIFY(writeFileAtomic(session->recordPath(400), outside.toJson().dump()).ok());
        QVERIFY(session->rebuildManifest(401, {}).ok());
        auto text = readFileText(dir + "/manifest.json");
        QVERIFY(text.ok());
        auto m = nlohmann::json::parse(text.value());
        QCOMPARE(m.at("chunksDone").get<int>(), 400);
        QCOMPARE(session->chunkBytes(), int64_t{399 * 400 / 2});
        QCOMPARE(session->scanRecords().size(), size_t{401});
        int leftovers = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir)) leftovers += e.path().string().find(".tmp-") != std::string::npos;
        QCOMPARE(leftovers, 0);
        std::filesystem::remove_all(dir);
    }
    void sessionRefusesOtherIdentityAndKeepsFiles() {
        const std::string dir = (std::filesystem::temp_directory_path() / ("vfi_sess_" + std::to_string(::getpid()))).string();
        std::filesystem::remove_all(dir);
        SessionIdentity id;
        id.source.size = 10;
        id.settings = {{"factor", 2}};
        id.settingsHash = "a";
        id.chunkFrames = 4;
        id.chunkExtension = "nut";
        QVERIFY(Session::openOrCreate(dir, id).ok());
        SessionIdentity other = id;
        other.settings = {{"factor", 4}};
        other.settingsHash = "b";
        auto r = Session::openOrCreate(dir, other);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::SessionMismatch);
        QVERIFY(r.error().message.find("factor 2 -> 4") != std::string::npos);
        other = id;
        other.source.size = 11;
        r = Session::openOrCreate(dir, other);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("source file changed") != std::string::npos);
        QVERIFY(std::filesystem::exists(dir + "/session.json"));
        // Locks: overlapping ranges of a live process are refused; disjoint ones are fine.
        auto a = SessionLock::acquire(dir, 0, 3);
        QVERIFY(a.ok());
        auto b = SessionLock::acquire(dir, 4, 6);
        QVERIFY(b.ok());
        // Same PID counts as live: a second overlapping lock in this process is refused too.
        auto c = SessionLock::acquire(dir, 3, 5);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().code, ErrorCode::SessionLocked);
        // The lock's fields (read by `tlbvfi status`) and its heartbeat, independent of chunks.
        auto text = readFileText(a->path());
        QVERIFY(text.ok());
        const auto j = nlohmann::json::parse(text.value());
        QCOMPARE(j.at("host").get<std::string>(), hostName());
        QCOMPARE(j.at("pid").get<long>(), static_cast<long>(::getpid()));
        QCOMPARE(j.at("first").get<int>(), 0);
        QCOMPARE(j.at("last").get<int>(), 3);
        QVERIFY(j.at("devices").is_array());
        QVERIFY(j.at("started").get<int64_t>() > 1700000000);
        a = SessionLock();
        b = SessionLock();
        qputenv("VFI_LOCK_HEARTBEAT_MS", "50");
        auto d = SessionLock::acquire(dir, 0, 3, {"cpu", "cpu"});
        qunsetenv("VFI_LOCK_HEARTBEAT_MS");
        QVERIFY(d.ok());
        const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(2);
        std::filesystem::last_write_time(d->path(), old);
        QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::last_write_time(d->path()) > old + std::chrono::hours(1), 5000);
        const std::string dpath = d->path();
        d = SessionLock();
        QVERIFY(!std::filesystem::exists(dpath));
        std::filesystem::remove_all(dir);
    }

    // ENOSPC and EDQUOT (a quota; the filesystem tests in test_e2e_disk_full fill a tmpfs for the
    // former) from FFmpeg or a system call are the resumable DiskFull, completed with the numbers.
    void diskFullErrorsAreResumableStops() {
        for (int e : {ENOSPC, EDQUOT}) {
            const Error ff = media::avError("av_write_trailer(x.mkv)", AVERROR(e));
            QCOMPARE(ff.code, ErrorCode::DiskFull);
            QVERIFY(media::isDiskFullError(e));
        }
        QCOMPARE(media::avError("av_write_trailer(x.mkv)", AVERROR(EIO)).code, ErrorCode::Ffmpeg);
        const Error done = completeDiskFull(media::avError("closing x", AVERROR(EDQUOT)), "/tmp", 4200000);
        QCOMPARE(done.code, ErrorCode::DiskFull);
        QCOMPARE(done.args.size(), size_t(3));
        QCOMPARE(done.args[0], std::string("/tmp"));
        QCOMPARE(done.args[1], std::string("4200000"));
        QVERIFY(std::stoll(done.args[2]) > 0);   // free bytes of /tmp at that moment
        QVERIFY2(QString::fromStdString(done.message).contains("about 4.2 MB needed; free space and rerun the same command"), done.message.c_str());
        // Complete errors (the disk guard's) and other codes pass unchanged.
        const Error io = makeError(ErrorCode::Io, "x", {"a", "b"});
        QCOMPARE(completeDiskFull(io, "/tmp", 1).message, std::string("x"));
        const Error guard = makeError(ErrorCode::DiskFull, "guard", {"/s", "10", "5"});
        QCOMPARE(completeDiskFull(guard, "/tmp", 1).message, std::string("guard"));
    }
};

QTEST_GUILESS_MAIN(TestPipelineUnits)
#include "test_pipeline_units.moc"
