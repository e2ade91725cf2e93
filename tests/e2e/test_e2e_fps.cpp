// Target frame rate end to end (`tlbvfi interpolate --fps`, blend backend, generated media): output
// frame count, every timestamp, each frame's content against the grid point it must show, audio kept
// and ending with the video, resume after a kill, the model called only for the frames shown, and
// the refusals. Sources are flat frames whose blends are exact integers (FFV1, lossless), so a frame
// that shows the wrong grid point has other pixel values.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "support/cli_run.h"
#include "support/media_gen.h"
#include "vfi/frame_interpolator.h"
#include "vfi/job_runner.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

constexpr int kWidth = 64, kHeight = 48;

// Luma of the left and right halves of source frame i; neighbours differ by a non-zero multiple of
// 8, so every point of an 8x bisection grid is an integer and neighbouring points differ.
int leftLuma(int i) { return 16 + 8 * ((i * 11) % 27); }
int rightLuma(int i) { return 24 + 8 * ((i * 7 + 3) % 26); }

struct Source {
    std::vector<int64_t> pts;      // ticks of tb, first frame 0
    int64_t lastDuration = 0;
    Rational tb;
};

// NUT keeps any time base (MKV would round to 1 ms); FFV1 keeps the flat values; AAC to the end.
Source makeSource(const std::string& path, Rational rate, int frames, const std::vector<int64_t>& vfrPts = {}) {
    GenSpec g;
    g.width = kWidth;
    g.height = kHeight;
    g.frames = frames;
    g.frameRate = rate;
    g.codec = "ffv1";
    g.pixFmt = "yuv420p";
    g.audio.enabled = true;
    g.sample = [](int n, int plane, int x, int) { return plane ? 128 : (x < kWidth / 2 ? leftLuma(n) : rightLuma(n)); };
    Source s;
    if (vfrPts.empty()) {
        s.tb = {rate.den, rate.num};
        for (int i = 0; i < frames; ++i) s.pts.push_back(i);
        s.lastDuration = 1;
    } else {
        g.vfrPts = vfrPts;
        g.vfrTimeBase = {1, 90000};
        s.tb = g.vfrTimeBase;
        s.pts = vfrPts;
        s.lastDuration = vfrPts[vfrPts.size() - 1] - vfrPts[vfrPts.size() - 2];   // media_gen: the last interval
    }
    if (!generate(path, g).ok()) return {};
    return s;
}

struct Pick {
    int64_t pair = 0;
    int step = 0;
};
// What output n must show, written apart from FrameSelection: scan for the pair holding T_n = n /
// rate, then the nearest of its factor + 1 points (ties: the later). Times scaled by rate.num * tb.num.
std::vector<Pick> referencePicks(const Source& s, Rational rate, int factor, int64_t outputs) {
    const int64_t k = int64_t(rate.num) * s.tb.num;
    std::vector<Pick> out;
    size_t i = 0;
    for (int64_t n = 0; n < outputs; ++n) {
        const int64_t t = n * rate.den * s.tb.den;
        while (i + 1 < s.pts.size() && s.pts[i + 1] * k <= t) ++i;
        if (i + 1 == s.pts.size()) {
            out.push_back({int64_t(i), 0});
            continue;
        }
        const int64_t off = t - s.pts[i] * k, len = (s.pts[i + 1] - s.pts[i]) * k;
        out.push_back({int64_t(i), int((2 * off * factor + len) / (2 * len))});
    }
    return out;
}
// round((end of the source) * rate): frames whose display interval is at least half inside it.
int64_t referenceOutputs(const Source& s, Rational rate) {
    const int64_t endTicks = s.pts.back() + s.lastDuration;
    return (2 * endTicks * s.tb.num * rate.num + int64_t(s.tb.den) * rate.den) / (2 * int64_t(s.tb.den) * rate.den);
}
int expectedLuma(const Pick& p, int factor, bool left) {
    auto v = [&](int64_t i) { return left ? leftLuma(int(i)) : rightLuma(int(i)); };
    if (p.step == 0) return v(p.pair);
    return v(p.pair) + p.step * (v(p.pair + 1) - v(p.pair)) / factor;
}

QStringList fpsArgs(const std::string& src, const std::string& out, const QString& fps, const QStringList& extra = {}) {
    return outputArgs(src, out, QStringList{"--fps", fps, "--scene-threshold", "0", "--min-free-gb", "0"} + extra);
}

std::vector<std::string> chunkFiles(const std::string& session) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(session))
        if (e.path().extension() == ".nut" && e.path().filename().string().rfind("chunk_", 0) == 0) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

std::string fileBytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

struct StreamSpan {
    int64_t start = 0, end = 0;   // lowest pts, highest pts + duration (stream time base)
    Rational tb;
    std::vector<std::string> hashes;
    std::vector<int64_t> pts;     // sorted
};
StreamSpan spanOf(const std::map<int, StreamPackets>& streams, const std::string& kind) {
    StreamSpan s;
    bool first = true;
    for (const auto& [index, sp] : streams) {
        if (sp.kind != kind) continue;
        s.tb = sp.timeBase;
        for (const auto& p : sp.packets) {
            s.start = first ? p.pts : std::min(s.start, p.pts);
            s.end = first ? p.pts + p.duration : std::max(s.end, p.pts + p.duration);
            first = false;
            s.hashes.push_back(p.rawAacHash);
            s.pts.push_back(p.pts);
        }
        break;
    }
    std::sort(s.pts.begin(), s.pts.end());
    return s;
}
double seconds(int64_t t, Rational tb) { return static_cast<double>(t) * tb.num / tb.den; }

// Counts the calls a job makes; the frames are blends.
struct Case {
    Rational source;
    int frames = 0;
    QString fps;
    Rational rate;
    int factor = 0;
    std::vector<int64_t> vfrPts;
};
Case caseFor(const QString& name) {
    if (name == "23.976 -> 60") return {{24000, 1001}, 48, "60", {60, 1}, 4, {}};
    if (name == "25 -> 59.94") return {{25, 1}, 50, "59.94", {60000, 1001}, 4, {}};
    // Intervals of 1/60, 1/20, 1/30 and 1/30 s (30.4 fps on average): 50 fps renders at 2x; the
    // 1/60 s pairs are shorter than an output frame, the 1/20 s ones show their midpoint twice.
    // The last interval is the shortest: NUT stores no durations, and the index takes the last
    // frame's from the stream's frame rate (the shortest interval).
    std::vector<int64_t> pts{0};
    for (int i = 1; i < 38; ++i) pts.push_back(pts.back() + std::vector<int64_t>{3000, 1500, 4500, 3000}[size_t(i % 4)]);
    return {{30, 1}, 38, "50", {50, 1}, 2, pts};
}
void addCases() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"23.976 -> 60", "25 -> 59.94", "vfr 30 avg -> 50"}) QTest::newRow(n) << QString(n);
}
// A row's case with its source written into a fresh temporary folder.
struct Prepared {
    explicit Prepared(const QString& name) : c(caseFor(name)), src(tmp.file("src.nut")), s(makeSource(src, c.source, c.frames, c.vfrPts)) {}
    Case c;
    TempDir tmp;
    std::string src;
    Source s;
};

// An in-process target-rate job into FFV1/MKV (the interpolator is injected by the caller).
JobSettings jobAt60(const std::string& src, const std::string& out, int chunkFrames) {
    JobSettings js;
    js.inputPath = src;
    js.outputPath = out;
    js.targetFps = Rational{60, 1};
    js.chunkFrames = chunkFrames;
    js.minFreeDiskGb = 0;
    js.encode.encoder = "ffv1";
    return js;
}

class CountingInterpolator final : public FrameInterpolator {
public:
    Status load() override { return m_blend->load(); }
    void release() override { m_blend->release(); }
    bool loaded() const override { return m_blend->loaded(); }
    Result<RgbFrame> interpolate(const RgbFrame& a, const RgbFrame& b, const InterpolationCall& call) override {
        std::lock_guard lock(m_mutex);
        calls.push_back(call);
        return m_blend->interpolate(a, b, call);
    }
    std::string fingerprint() const override { return "blend/1"; }
    std::string displayName() const override { return "counting blend"; }
    bool isPreviewQuality() const override { return true; }
    std::vector<InterpolationCall> calls;

private:
    std::mutex m_mutex;
    std::unique_ptr<FrameInterpolator> m_blend = createBlendInterpolator();
};

}  // namespace

class TestE2eFps : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi"); }

    // FFV1 into MKV: frame count, exact timestamps in the chunks (MKV itself rounds to 1 ms), every
    // frame's pixels = the grid point it must show, audio packets copied.
    void framesTimesAndContent_data() { addCases(); }
    void framesTimesAndContent() {
        QFETCH(QString, name);
        const Prepared p(name);
        const auto& [c, tmp, src, s] = p;
        QVERIFY(!s.pts.empty());
        const int64_t outputs = referenceOutputs(s, c.rate);
        const std::string out = tmp.file("out.mkv"), session = tmp.file("s");
        auto r = runCli(fpsArgs(src, out, c.fps, {"--encoder", "ffv1", "--pix-fmt", "yuv420p", "--chunk-frames", "10", "--keep-chunks",
                                                  "--session", QString::fromStdString(session)}));
        CHECK_RUN(r, 0);
        {   // The source's end as the engine sees it is the one the expectations use.
            QFile index(QString::fromStdString(session + "/index.json"));
            QVERIFY(index.open(QIODevice::ReadOnly));
            const QJsonObject j = QJsonDocument::fromJson(index.readAll()).object();   // the muxer may pick another time base
            const QJsonArray tb = j["timeBase"].toArray();
            QCOMPARE(j["lastDuration"].toInteger() * tb[0].toInteger() * s.tb.den, s.lastDuration * s.tb.num * tb[1].toInteger());
        }
        QVERIFY2(r.stdOut.contains(QString("output frames: %1\n").arg(outputs)), qPrintable(r.stdOut));
        QVERIFY2(r.stdErr.contains(QString("%1x bisection grid").arg(c.factor)), qPrintable(r.stdErr));

        // Chunks: constant rate, pts n in 1/rate exactly (relative to the first).
        std::vector<FrameHash> chunkFrames;
        Rational ctb;
        for (const auto& f : chunkFiles(session)) {
            auto h = frameHashes(f);
            QVERIFY(h.ok());
            ctb = h->timeBase;
            chunkFrames.insert(chunkFrames.end(), h->frames.begin(), h->frames.end());
        }
        QCOMPARE(int64_t(chunkFrames.size()), outputs);
        for (size_t n = 0; n < chunkFrames.size(); ++n)
            QCOMPARE((chunkFrames[n].pts - chunkFrames[0].pts) * ctb.num * c.rate.num, int64_t(n) * ctb.den * c.rate.den);

        // The joined file: every frame shows its grid point; times to MKV's millisecond.
        auto pixels = framePixels(out);
        auto hashes = frameHashes(out);
        QVERIFY(pixels.ok() && hashes.ok());
        QCOMPARE(int64_t(pixels->size()), outputs);
        const auto picks = referencePicks(s, c.rate, c.factor, outputs);
        int generated = 0;
        for (int64_t n = 0; n < outputs; ++n) {
            const auto& px = (*pixels)[size_t(n)];
            const int left = px[size_t(kWidth / 4)], right = px[size_t(kWidth * kHeight - kWidth / 4)];
            const Pick& p = picks[size_t(n)];
            if (left != expectedLuma(p, c.factor, true) || right != expectedLuma(p, c.factor, false))
                QFAIL(qPrintable(QString("output %1 shows %2/%3, expected pair %4 step %5: %6/%7")
                                     .arg(n).arg(left).arg(right).arg(p.pair).arg(p.step)
                                     .arg(expectedLuma(p, c.factor, true)).arg(expectedLuma(p, c.factor, false))));
            if (p.step != 0 && p.step != c.factor) ++generated;
            const double want = static_cast<double>(n) * c.rate.den / c.rate.num;
            QVERIFY(std::abs(hashes->frames[size_t(n)].seconds - hashes->frames[0].seconds - want) <= 0.0005 + 1e-9);
        }
        QVERIFY(generated > outputs / 3);   // most outputs are in-between frames, not repeats

        auto srcPackets = packetHashes(src), outPackets = packetHashes(out);
        QVERIFY(srcPackets.ok() && outPackets.ok());
        const auto srcAudio = spanOf(*srcPackets, "audio"), outAudio = spanOf(*outPackets, "audio");
        QVERIFY(!srcAudio.hashes.empty());
        QCOMPARE(outAudio.hashes, srcAudio.hashes);
    }

    // libx264 into MP4 (exact time base): pts n / rate for every frame, a constant-rate stream that
    // lasts outputs / rate, within half an output frame of the source's end, and audio that ends
    // with it as it ended with the source's video.
    void mp4TimestampsAndAudioEnd_data() { addCases(); }
    void mp4TimestampsAndAudioEnd() {
        QFETCH(QString, name);
        const Prepared p(name);
        const auto& [c, tmp, src, s] = p;
        QVERIFY(!s.pts.empty());
        const std::string out = tmp.file("out.mp4");
        CHECK_RUN(runCli(fpsArgs(src, out, c.fps, {"--chunk-frames", "10"})), 0);
        auto srcPackets = packetHashes(src), outPackets = packetHashes(out);
        QVERIFY(srcPackets.ok() && outPackets.ok());
        const auto video = spanOf(*outPackets, "video");
        const int64_t outputs = referenceOutputs(s, c.rate);
        QCOMPARE(int64_t(video.pts.size()), outputs);
        const Rational tb = video.tb;
        for (size_t n = 0; n < video.pts.size(); ++n)
            QCOMPARE((video.pts[n] - video.pts[0]) * tb.num * c.rate.num, int64_t(n) * tb.den * c.rate.den);
        QCOMPARE((video.end - video.start) * tb.num * c.rate.num, outputs * tb.den * c.rate.den);
        const double frame = static_cast<double>(c.rate.den) / c.rate.num;
        const double sourceEnd = seconds(s.pts.back() + s.lastDuration, s.tb);
        QVERIFY(std::abs(seconds(video.end - video.start, tb) - sourceEnd) <= frame / 2 + 1e-9);

        const auto srcVideo = spanOf(*srcPackets, "video"), srcAudio = spanOf(*srcPackets, "audio");
        const auto outAudio = spanOf(*outPackets, "audio");
        QCOMPARE(outAudio.hashes, srcAudio.hashes);
        const double srcGap = seconds(srcAudio.end, srcAudio.tb) - seconds(srcVideo.end, srcVideo.tb);
        const double outGap = seconds(outAudio.end, outAudio.tb) - seconds(video.end, tb);
        QVERIFY2(std::abs(outGap - srcGap) <= frame / 2 + 0.001,
                 qPrintable(QString("audio ends %1 s after the video (source: %2 s)").arg(outGap).arg(srcGap)));
        auto st = startTimes(out), srcSt = startTimes(src);
        QVERIFY(st.ok() && srcSt.ok());
        QVERIFY(std::abs(st->avOffset() - srcSt->avOffset()) <= 0.001);
    }

    // SIGKILL in the middle of chunk 2, rerun: the finished chunks are kept, and every chunk and
    // frame is identical to an uninterrupted run's.
    void resumeAfterKillIsIdentical() {
        TempDir tmp;
        const std::string src = tmp.file("src.nut");
        QVERIFY(!makeSource(src, {24000, 1001}, 48).pts.empty());
        const QStringList opts{"--encoder", "ffv1", "--pix-fmt", "yuv420p", "--chunk-frames", "10", "--keep-chunks", "--seed", "5"};
        CHECK_RUN(runCli(fpsArgs(src, tmp.file("ref.mkv"), "60", opts)), 0);
        auto killed = runCliKilledAt("mid-encode", 2, fpsArgs(src, tmp.file("b.mkv"), "60", opts));
        QVERIFY2(killed.crashed || killed.exitCode != 0, "the kill hook did not fire");
        QVERIFY(!fs::exists(tmp.file("b.mkv")));
        auto resumed = runCli(fpsArgs(src, tmp.file("b.mkv"), "60", opts));
        CHECK_RUN(resumed, 0);
        QVERIFY2(resumed.stdOut.contains("chunks resumed: 2"), qPrintable(resumed.stdOut));
        const auto a = chunkFiles(tmp.file("ref.mkv.tlbvfi")), b = chunkFiles(tmp.file("b.mkv.tlbvfi"));
        QCOMPARE(b.size(), a.size());
        QCOMPARE(a.size(), size_t(5));
        for (size_t i = 0; i < a.size(); ++i) QVERIFY2(fileBytes(a[i]) == fileBytes(b[i]), qPrintable(QString::fromStdString(b[i])));
        auto ha = frameHashes(tmp.file("ref.mkv")), hb = frameHashes(tmp.file("b.mkv"));
        QVERIFY(ha.ok() && hb.ok());
        QCOMPARE(ha->frames.size(), size_t(120));
        QCOMPARE(hb->frames.size(), ha->frames.size());
        for (size_t i = 0; i < ha->frames.size(); ++i) QCOMPARE(hb->frames[i].hash, ha->frames[i].hash);
        // A separate join of the kept session gives the same frames at the same times.
        CHECK_RUN(runCli({"join", QString::fromStdString(tmp.file("b.mkv.tlbvfi")), "-o", QString::fromStdString(tmp.file("c.mkv"))}), 0);
        auto hc = frameHashes(tmp.file("c.mkv"));
        QVERIFY(hc.ok());
        QCOMPARE(hc->frames.size(), ha->frames.size());
        for (size_t i = 0; i < hc->frames.size(); ++i) {
            QCOMPARE(hc->frames[i].hash, ha->frames[i].hash);
            QVERIFY(std::abs(hc->frames[i].seconds - hc->frames[0].seconds - double(i) / 60) <= 0.0005 + 1e-9);   // MKV: 1 ms
        }
    }

    // The model runs for the grid points shown and the ones they are bisected from, with the step
    // numbers a --factor 4 job gives them (so their noise seeds are the same), and for no others.
    void modelCalledOnlyForNeededFrames() {
        TempDir tmp;
        const std::string src = tmp.file("src.nut");
        const Source s = makeSource(src, {24000, 1001}, 48);
        QVERIFY(!s.pts.empty());
        auto counter = std::make_shared<CountingInterpolator>();
        JobRunner runner;
        runner.setInterpolator(counter);
        JobSettings js = jobAt60(src, tmp.file("out.mkv"), 10);
        js.sceneThreshold = 0;
        auto r = runner.run(js, nullptr);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->outputFrames, int64_t(120));

        // Tree node -> bisection step of a 4x job: level by level, left to right (2, then 1, 3).
        const std::map<int, int> stepOfNode{{2, 0}, {1, 1}, {3, 2}};
        std::set<std::pair<int64_t, int>> want;
        for (const Pick& p : referencePicks(s, {60, 1}, 4, 120)) {
            if (p.step == 0 || p.step == 4) continue;
            want.insert({p.pair, stepOfNode.at(2)});
            if (p.step != 2) want.insert({p.pair, stepOfNode.at(p.step)});
        }
        std::set<std::pair<int64_t, int>> got;
        for (const auto& call : counter->calls) {
            QVERIFY2(got.insert({call.pairIndex, call.bisectionStep}).second, "a frame was generated twice");
            // The inputs are the ends of the node's interval (frame ids pair * 4 + grid position).
            const int node = call.bisectionStep == 0 ? 2 : call.bisectionStep == 1 ? 1 : 3;
            const int half = node == 2 ? 2 : 1;
            QCOMPARE(call.frameIdA, call.pairIndex * 4 + node - half);
            QCOMPARE(call.frameIdB, call.pairIndex * 4 + node + half);
        }
        QCOMPARE(got, want);
        QVERIFY(counter->calls.size() < size_t(3 * 47));   // a full 4x job makes 141
        qInfo("model calls: %zu (a --factor 4 job: 141)", counter->calls.size());
    }

    // Across a scene cut the model is not called; outputs that would show an in-between frame of
    // the cut pair show its first frame (as the factor job repeats it).
    void sceneCutHoldsTheEarlierFrame() {
        TempDir tmp;
        GenSpec g;
        g.width = kWidth;
        g.height = kHeight;
        g.frames = 24;
        g.frameRate = {24000, 1001};
        g.codec = "ffv1";
        g.sceneCutAt = 12;
        const std::string src = tmp.file("cut.nut");
        QVERIFY(generate(src, g).ok());
        auto counter = std::make_shared<CountingInterpolator>();
        JobRunner runner;
        runner.setInterpolator(counter);
        const JobSettings js = jobAt60(src, tmp.file("out.mkv"), 5);
        auto r = runner.run(js, nullptr);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->sceneCuts, std::vector<int64_t>{11});
        for (const auto& call : counter->calls) QVERIFY(call.pairIndex != 11);
        Source s;
        s.tb = {1001, 24000};
        for (int i = 0; i < 24; ++i) s.pts.push_back(i);
        s.lastDuration = 1;
        const int64_t outputs = referenceOutputs(s, {60, 1});
        QCOMPARE(r->outputFrames, outputs);
        auto in = frameHashes(src), out = frameHashes(js.outputPath);
        QVERIFY(in.ok() && out.ok());
        QCOMPARE(int64_t(out->frames.size()), outputs);
        int held = 0;
        const auto picks = referencePicks(s, {60, 1}, 4, outputs);
        for (int64_t n = 0; n < outputs; ++n) {
            const Pick& p = picks[size_t(n)];
            if (p.step == 0 || p.step == 4) {   // a source frame, passed through untouched
                QCOMPARE(out->frames[size_t(n)].hash, in->frames[size_t(p.pair + (p.step ? 1 : 0))].hash);
            } else if (p.pair == 11) {
                QCOMPARE(out->frames[size_t(n)].hash, in->frames[11].hash);
                ++held;
            }
        }
        QVERIFY(held > 0);
    }

    void refusalsAndExactMultiples() {
        TempDir tmp;
        const std::string src = tmp.file("src.nut");
        QVERIFY(!makeSource(src, {25, 1}, 20).pts.empty());
        struct Refusal {
            QStringList extra;
            QString message;
        };
        const std::vector<Refusal> refusals{
            {{"--fps", "25"}, "target frame rate 25 fps is not above the source's 25 fps"},
            {{"--fps", "23.976"}, "target frame rate 23.976 fps (24000/1001) is not above the source's 25 fps"},
            {{"--fps", "201"}, "target frame rate 201 fps is more than 8x the source's 25 fps"},
            {{"--fps", "60", "--factor", "2"}, "--fps and --factor exclude each other"},
            {{"--fps", "fast"}, "--fps must be a frame rate above 0"},
            {{"--fps", "0"}, "--fps must be a frame rate above 0"},
        };
        for (const auto& ref : refusals) {
            auto r = runCli(outputArgs(src, tmp.file("x.mkv"), ref.extra + QStringList{"--encoder", "ffv1"}));
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.stdErr.contains(ref.message), qPrintable(r.stdErr));
            QVERIFY(!fs::exists(tmp.file("x.mkv")));
        }
        // Exactly 2x a constant-rate source is the plain --factor 2 job: the same session, so a
        // --factor 2 run afterwards resumes every chunk.
        const std::string session = tmp.file("s");
        auto twice = runCli(fpsArgs(src, tmp.file("a.mkv"), "50", {"--encoder", "ffv1", "--chunk-frames", "5", "--keep-chunks", "--session",
                                                                   QString::fromStdString(session)}));
        CHECK_RUN(twice, 0);
        QVERIFY2(twice.stdErr.contains("target 50 fps is exactly 2x the source's 25 fps: rendering as --factor 2"), qPrintable(twice.stdErr));
        QVERIFY2(twice.stdOut.contains("output frames: 39\n"), qPrintable(twice.stdOut));
        QFile f(QString::fromStdString(session + "/session.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject settings = QJsonDocument::fromJson(f.readAll()).object()["settings"].toObject();
        QVERIFY(!settings.contains("targetFps"));
        QCOMPARE(settings["factor"].toInt(), 2);
        auto factor = runCli(outputArgs(src, tmp.file("b.mkv"), {"--factor", "2", "--encoder", "ffv1", "--chunk-frames", "5", "--scene-threshold",
                                                                 "0", "--min-free-gb", "0", "--session", QString::fromStdString(session)}));
        CHECK_RUN(factor, 0);
        QVERIFY2(factor.stdOut.contains("chunks rendered: 0\nchunks resumed: 4\n"), qPrintable(factor.stdOut));
        // A target-rate session is not resumed by a factor job (and the message says why).
        const std::string s60 = tmp.file("s60");
        const QStringList common{"--encoder", "ffv1", "--chunk-frames", "5"};
        CHECK_RUN(runCli(sessionArgs(src, s60, QStringList{"--fps", "60"} + common)), 0);
        auto mixed = runCli(sessionArgs(src, s60, QStringList{"--factor", "4"} + common));
        QCOMPARE(mixed.exitCode, 6);
        QVERIFY2(mixed.stdErr.contains("targetFps \"60/1\" -> none"), qPrintable(mixed.stdErr));
    }
};

QTEST_GUILESS_MAIN(TestE2eFps)
#include "test_e2e_fps.moc"
