// Engine backend and JSON model config: option validation, config sections, loading tiny.pth through
// the public factory (config candidates), seeded noise reproducibility, cancel, release, fingerprint.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "golden_support.h"
#include "model/memory_plan.h"
#include "model/tlbvfi_interpolator.h"
#include "pipeline/model_config_json.h"
#include "vfi/frame_interpolator.h"
#include "vfi/stage_profile.h"

using namespace vfi;

namespace {

using vfi::test::goldenDir;

ModelOptions tinyOptions() {
    ModelOptions o;
    o.checkpointPath = goldenDir() + "/tiny.pth";
    o.configPath = goldenDir() + "/tiny-config.json";
    o.steps = 3;
    o.threads = 2;
    return o;
}

RgbFrame pattern(int w, int h, float shift) {
    RgbFrame f(w, h);
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                f.plane(c)[y * w + x] = 0.5f + 0.4f * std::sin(0.09f * (x + shift) + 0.05f * y + 1.3f * c);
    return f;
}

std::unique_ptr<FrameInterpolator> loadedTiny(const ModelOptions& o) {
    auto r = createTlbvfiInterpolator(o);
    if (!r.ok() || !(*r)->load().ok()) return nullptr;
    return std::move(r).value();
}

// The runner's bisection order (chunk_renderer.cpp): level by level, left to right; frame ids as
// the runner numbers them. Returns the factor - 1 generated frames of the pair.
std::vector<RgbFrame> bisect(FrameInterpolator& m, const RgbFrame& a, const RgbFrame& b, int factor,
                             int64_t pairIndex) {
    std::vector<std::optional<RgbFrame>> frames(static_cast<size_t>(factor) + 1);
    frames[0] = a;
    frames[static_cast<size_t>(factor)] = b;
    int step = 0;
    for (int span = factor; span >= 2; span /= 2) {
        for (int lo = 0; lo + span <= factor; lo += span) {
            InterpolationCall call{7, pairIndex, step++, pairIndex * factor + lo, pairIndex * factor + lo + span, nullptr};
            auto mid = m.interpolate(*frames[static_cast<size_t>(lo)], *frames[static_cast<size_t>(lo + span)], call);
            if (!mid.ok()) {
                qWarning("interpolate failed: %s", mid.error().message.c_str());
                return {};
            }
            frames[static_cast<size_t>(lo + span / 2)] = std::move(mid).value();
        }
    }
    std::vector<RgbFrame> out;
    for (int r = 1; r < factor; ++r) out.push_back(std::move(*frames[static_cast<size_t>(r)]));
    return out;
}

ErrorCode createCode(const ModelOptions& o) {
    auto r = createTlbvfiInterpolator(o);
    return r.ok() ? ErrorCode::Ok : r.error().code;
}

}  // namespace

class TestTlbvfiInterpolator : public QObject {
    Q_OBJECT
private slots:
    void configSections() {
        auto all = pipeline::loadModelConfigFile(goldenDir() + "/tiny-config.json");
        QVERIFY2(all.ok(), all.ok() ? "" : all.error().message.c_str());
        QCOMPARE(all->size(), size_t{2});
        QCOMPARE(all->at(0).name, std::string("official"));
        QCOMPARE(all->at(0).config.vqgan.ch, 64);
        QCOMPARE(all->at(1).name, std::string("tiny"));
        QCOMPARE(all->at(1).config.vqgan.ch, 8);
        QCOMPARE(all->at(1).config.vqgan.chMult, (std::vector<int>{1, 2, 2, 2, 4}));
        QCOMPARE(all->at(1).config.unet.attentionResolutions, (std::vector<int>{8, 4, 2}));
        QCOMPARE(all->at(1).config.bb.sampleSteps, 10);
        auto tiny = pipeline::loadModelConfig(goldenDir() + "/tiny-config.json#tiny");
        QVERIFY(tiny.ok());
        QCOMPARE(tiny->vqgan.ch, 8);
        auto ambiguous = pipeline::loadModelConfig(goldenDir() + "/tiny-config.json");
        QVERIFY(!ambiguous.ok());
        QVERIFY(ambiguous.error().message.find("PATH#SECTION") != std::string::npos);
        auto unknown = pipeline::loadModelConfig(goldenDir() + "/tiny-config.json#huge");
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.find("available: official, tiny") != std::string::npos);
    }

    void configErrors() {
        auto notJson = pipeline::parseModelConfigSections("{ nope", "x.json");
        QVERIFY(!notJson.ok());
        QCOMPARE(notJson.error().code, ErrorCode::InvalidArgument);
        QVERIFY(notJson.error().message.find("x.json is not valid JSON") != std::string::npos);
        auto badField = pipeline::parseModelConfigSections(R"({"vqgan":{"ddconfig":{"ch":"wide"}}})", "x.json");
        QVERIFY(!badField.ok());
        QVERIFY2(badField.error().message.find("vqgan.ddconfig.ch: expected a positive integer") != std::string::npos,
                 badField.error().message.c_str());
        auto fixed = pipeline::parseModelConfigSections(R"({"tiny":{"unet":{"dims":2}}})", "x.json");
        QVERIFY(!fixed.ok());
        QVERIFY2(fixed.error().message.find("tiny.unet.dims: only 3 is supported") != std::string::npos,
                 fixed.error().message.c_str());
        auto steps = pipeline::parseModelConfigSections(R"({"bb":{"sample_step":2}})", "x.json");
        QVERIFY(!steps.ok());
        auto none = pipeline::parseModelConfigSections(R"({"a":1})", "x.json");
        QVERIFY(!none.ok());
        auto missing = pipeline::loadModelConfig("/nonexistent/config.json");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::InputNotFound);
    }

    void optionValidation() {
        ModelOptions o = tinyOptions();
        QCOMPARE(createCode(o), ErrorCode::Ok);
        o.steps = 2;
        auto r = createTlbvfiInterpolator(o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY(r.error().message.find("at least 3") != std::string::npos);
        o = tinyOptions();
        o.flowScale = 0.3;
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o = tinyOptions();
        o.precision = "fp16";
        r = createTlbvfiInterpolator(o);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("need CUDA") != std::string::npos);
        o = tinyOptions();
        o.precision = "int8";
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o = tinyOptions();
        o.device = "gpu";
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o.device = "cuda:0";
        r = createTlbvfiInterpolator(o);   // CPU-only LibTorch in CI
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::DeviceUnavailable);
        QVERIFY2(r.error().message.find("'cuda:0' is not available") != std::string::npos &&
                     r.error().message.find("no CUDA") != std::string::npos,
                 r.error().message.c_str());
        o.device = "cuda:x";
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o.device = "mps";   // no MPS in Linux LibTorch builds
        r = createTlbvfiInterpolator(o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::DeviceUnavailable);
        QVERIFY2(r.error().message.find("'mps' is not available") != std::string::npos, r.error().message.c_str());
        // Reduced precisions are CUDA only: refused on the CPU with the reason, each of them.
        for (const char* p : {"tf32", "fp16", "bf16"}) {
            o = tinyOptions();
            o.precision = p;
            r = createTlbvfiInterpolator(o);
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(r.error().message.find(std::string("precision '") + p + "'") != std::string::npos &&
                         r.error().message.find("only fp32 is supported on cpu") != std::string::npos,
                     r.error().message.c_str());
        }
        o = tinyOptions();
        o.memoryBudgetMb = -1;
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o = tinyOptions();
        o.featureCacheFrames = -2;
        QCOMPARE(createCode(o), ErrorCode::InvalidArgument);
        o = tinyOptions();
        o.checkpointPath = "/nonexistent/vimeo_unet.pth";
        auto missing = createTlbvfiInterpolator(o);
        QVERIFY(missing.ok());   // validation does not touch the file...
        auto st = (*missing)->load();
        QVERIFY(!st.ok());       // ...load() does
        QCOMPARE(st.error().code, ErrorCode::CheckpointMissing);
    }

    void officialConfigRejectsTinyCheckpoint() {
        ModelOptions o = tinyOptions();
        o.configPath.clear();   // official configuration
        auto r = createTlbvfiInterpolator(o);
        QVERIFY(r.ok());
        auto st = (*r)->load();
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(st.error().message.find("'official'") != std::string::npos, st.error().message.c_str());
        QVERIFY(!(*r)->loaded());
    }

    void interpolatesReproducibly() {
        auto r = createTlbvfiInterpolator(tinyOptions());
        QVERIFY(r.ok());
        FrameInterpolator& m = **r;
        QVERIFY(!m.isPreviewQuality());
        auto st = m.load();
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
        QVERIFY(m.loaded());
        const std::string fp = m.fingerprint();
        QVERIFY2(fp.find("config=tiny") != std::string::npos && fp.find("device=cpu") != std::string::npos &&
                     fp.find("libtorch=") != std::string::npos && fp.find("weights=not-loaded") == std::string::npos,
                 fp.c_str());

        const RgbFrame a = pattern(256, 256, 0.0f), b = pattern(256, 256, 6.0f);
        InterpolationCall call;
        call.jobSeed = 42;
        call.pairIndex = 7;
        auto o1 = m.interpolate(a, b, call);
        QVERIFY2(o1.ok(), o1.ok() ? "" : o1.error().message.c_str());
        QCOMPARE(o1->width, 256);
        QCOMPARE(o1->height, 256);
        for (float v : o1->data) QVERIFY(std::isfinite(v) && v >= -1e-6f && v <= 1.0f + 1e-6f);
        auto o2 = m.interpolate(a, b, call);
        QVERIFY(o2.ok());
        QVERIFY(o1->data == o2->data);   // same (seed, pair, step): bit-identical
        call.bisectionStep = 1;
        auto o3 = m.interpolate(a, b, call);
        QVERIFY(o3.ok());
        QVERIFY(o1->data != o3->data);   // different noise

        std::atomic<bool> cancel{true};
        call.cancel = &cancel;
        auto c = m.interpolate(a, b, call);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().code, ErrorCode::Cancelled);

        RgbFrame small(128, 64);
        call.cancel = nullptr;
        auto bad = m.interpolate(a, small, call);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::ModelError);

        QCOMPARE(m.deviceMemory().usedBytes, int64_t{-1});   // CPU: not applicable
        m.release();
        QVERIFY(!m.loaded());
        QVERIFY(!model::featureCacheStats(m).has_value());   // the cache went with the weights
        auto afterRelease = m.interpolate(a, b, call);
        QVERIFY(!afterRelease.ok());
        QVERIFY(m.load().ok());
        auto o4 = m.interpolate(a, b, InterpolationCall{42, 7, 0, -1, -1, nullptr});
        QVERIFY(o4.ok());
        QVERIFY(o1->data == o4->data);   // reload (resume) reproduces the frame
        m.release();
        m.release();   // twice: harmless
        QVERIFY(!m.loaded());
    }

    // Item 6b: the encoder feature cache is on by default and reuses the frame shared by two
    // consecutive pairs (and, for 4x, the generated middle frame); outputs are bit-identical to the
    // uncached model over a sequence of pairs, 2x and 4x.
    void featureCacheMatchesUncached() {
        ModelOptions cachedOpts = tinyOptions();
        QCOMPARE(cachedOpts.featureCacheFrames, -1);   // default: automatic (on)
        ModelOptions uncachedOpts = tinyOptions();
        uncachedOpts.featureCacheFrames = 0;
        auto cached = loadedTiny(cachedOpts), uncached = loadedTiny(uncachedOpts);
        QVERIFY(cached && uncached);
        QVERIFY(model::memoryBudgetBytes(*cached) > 0);   // automatic budget from available RAM

        std::vector<RgbFrame> source;
        for (int i = 0; i < 4; ++i) source.push_back(pattern(256, 256, 5.0f * static_cast<float>(i)));
        for (int factor : {2, 4}) {
            for (int64_t p = 0; p + 1 < static_cast<int64_t>(source.size()); ++p) {
                const auto& a = source[static_cast<size_t>(p)];
                const auto& b = source[static_cast<size_t>(p + 1)];
                const auto withCache = bisect(*cached, a, b, factor, p);
                const auto without = bisect(*uncached, a, b, factor, p);
                QCOMPARE(withCache.size(), static_cast<size_t>(factor - 1));
                QCOMPARE(without.size(), withCache.size());
                for (size_t k = 0; k < withCache.size(); ++k) {
                    QVERIFY2(withCache[k].data == without[k].data,
                             qPrintable(QStringLiteral("factor %1 pair %2 frame %3").arg(factor).arg(p).arg(k)));
                }
            }
        }
        const auto on = model::featureCacheStats(*cached), off = model::featureCacheStats(*uncached);
        QVERIFY(on.has_value() && off.has_value());
        QCOMPARE(on->capacity, size_t{8});
        QCOMPARE(off->capacity, size_t{0});
        // 2x: 3 pairs x 5 lookups (prev, zero, next; reduced prev, next); from the second pair on,
        // prev, zero and reduced prev are hits. 4x adds the middle frame's reuse.
        QVERIFY2(on->hits >= 6, qPrintable(QString::number(on->hits)));
        QVERIFY2(on->misses < on->hits, qPrintable(QStringLiteral("%1 misses").arg(on->misses)));
    }

    // Item 6: the engine hands the memory budget to the model's exact tiling. A 1 MiB budget tiles
    // every full-resolution stage of a 256² frame into 16-row bands; the frames equal the untiled
    // run within float rounding. Without a budget, the plan follows the machine's total memory (the
    // same on every run) and leaves a frame this small untiled.
    void memoryBudgetTilesExactly() {
        ModelOptions tiledOpts = tinyOptions();
        tiledOpts.memoryBudgetMb = 1;
        tiledOpts.featureCacheFrames = 0;
        ModelOptions autoOpts = tinyOptions();
        autoOpts.featureCacheFrames = 0;
        auto tiled = loadedTiny(tiledOpts), untiled = loadedTiny(autoOpts);
        QVERIFY(tiled && untiled);
        QCOMPARE(model::tilingBudgetBytes(*tiled), int64_t{1024 * 1024});
        const int64_t automatic = model::tilingBudgetBytes(*untiled);
        QVERIFY2(automatic >= int64_t{1} << 30, qPrintable(QString::number(automatic)));   // half the RAM
        QCOMPARE(model::tilingBudgetBytes(*untiled), automatic);                          // stable
        model::MemoryPlan plan;
        plan.budgetBytes = model::tilingBudgetBytes(*tiled);
        QVERIFY(model::bandRowsFor(plan, 256, 256, 8) > 0);   // the tiny model's widest stage is banded
        plan.budgetBytes = automatic;
        QCOMPARE(model::bandRowsFor(plan, 256, 256, 8), int64_t{0});

        const RgbFrame a = pattern(256, 256, 0.0f), b = pattern(256, 256, 6.0f);
        const InterpolationCall call{42, 3, 0, -1, -1, nullptr};
        auto t = tiled->interpolate(a, b, call), u = untiled->interpolate(a, b, call);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message.c_str());
        QVERIFY2(u.ok(), u.ok() ? "" : u.error().message.c_str());
        QCOMPARE(t->data.size(), u->data.size());
        float maxDiff = 0;
        for (size_t i = 0; i < t->data.size(); ++i) maxDiff = std::max(maxDiff, std::abs(t->data[i] - u->data[i]));
        QVERIFY2(maxDiff <= 1e-4f, qPrintable(QStringLiteral("max |tiled - untiled| = %1").arg(maxDiff)));
        QCOMPARE(model::tilingBudgetBytes(*tiled), int64_t{1024 * 1024});
    }

    // Whole CPU frames keep freed memory in the heap (no fresh mapping per tensor), banded ones return
    // it (model_process.h); VFI_CPU_MEMORY=system leaves glibc as it is. Observed through glibc:
    // whether a 64 MiB block is served by a mapping of its own.
    void cpuMemoryPolicyFollowsBanding() {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
        QSKIP("glibc's allocator only (ASan replaces it)");
#else
        const auto largeBlockIsMapped = [] {
            const size_t before = mallinfo2().hblkhd;
            auto* p = static_cast<volatile char*>(std::malloc(64u << 20));
            p[0] = 1;
            const size_t during = mallinfo2().hblkhd;
            std::free(const_cast<char*>(p));
            return during >= before + (64u << 20);
        };
        ModelOptions tiledOpts = tinyOptions();
        tiledOpts.memoryBudgetMb = 1;
        tiledOpts.featureCacheFrames = 0;
        ModelOptions wholeOpts = tinyOptions();
        wholeOpts.featureCacheFrames = 0;
        auto tiled = loadedTiny(tiledOpts), whole = loadedTiny(wholeOpts);
        QVERIFY(tiled && whole);
        const RgbFrame a = pattern(256, 256, 0.0f), b = pattern(256, 256, 6.0f);
        const InterpolationCall call{42, 3, 0, -1, -1, nullptr};
        QVERIFY(whole->interpolate(a, b, call).ok());
        QVERIFY2(!largeBlockIsMapped(), "whole frames: freed memory should stay in the heap");
        QVERIFY(tiled->interpolate(a, b, call).ok());
        QVERIFY2(largeBlockIsMapped(), "banded frames: large blocks should be mapped and returned");
        QVERIFY(whole->interpolate(a, b, call).ok());
        QVERIFY(!largeBlockIsMapped());
        qputenv("VFI_CPU_MEMORY", "system");
        QVERIFY(tiled->interpolate(a, b, call).ok());
        QVERIFY2(!largeBlockIsMapped(), "VFI_CPU_MEMORY=system must leave the allocator as it was");
        qputenv("VFI_CPU_MEMORY", "return");
        QVERIFY(whole->interpolate(a, b, call).ok());
        QVERIFY(largeBlockIsMapped());
        qunsetenv("VFI_CPU_MEMORY");
#endif
    }

    // Issue 13: several requests as one batch through the interpolator (FrameTransfer with CPU
    // tensors, TlbvfiModel::sampleBatch): each frame equals its one-by-one call within the golden
    // tolerance (reruns of a batch: test_speed_paths, test_e2e_model_cli).
    void batchMatchesSingleCalls() {
        ModelOptions o = tinyOptions();
        o.batchPairs = 2;
        o.featureCacheFrames = 0;
        auto m = loadedTiny(o);
        QVERIFY(m);
        QCOMPARE(m->batchSize(256, 256), 2);
        o.batchPairs = 0;   // automatic: one pair at a time on the CPU
        auto automatic = loadedTiny(o);
        QVERIFY(automatic);
        QCOMPARE(automatic->batchSize(1920, 1080), 1);
        const RgbFrame a = pattern(256, 256, 0.0f), b = pattern(256, 256, 6.0f), c = pattern(256, 256, 12.0f);
        const std::vector<InterpolationRequest> requests{{&a, &b, InterpolationCall{42, 0, 0, 0, 2, nullptr}},
                                                         {&b, &c, InterpolationCall{42, 1, 0, 2, 4, nullptr}}};
        auto batch = m->interpolateBatch(requests);
        QVERIFY2(batch.ok(), batch.ok() ? "" : batch.error().message.c_str());
        QCOMPARE(batch->size(), size_t{2});
        for (size_t k = 0; k < 2; ++k) {
            auto alone = m->interpolate(*requests[k].a, *requests[k].b, requests[k].call);
            QVERIFY(alone.ok());
            float maxDiff = 0;
            for (size_t i = 0; i < alone->data.size(); ++i)
                maxDiff = std::max(maxDiff, std::abs(alone->data[i] - (*batch)[k].data[i]));
            // Frames are in [0, 1]: half the model's [-1, 1] tolerance of 1e-4.
            QVERIFY2(maxDiff <= 0.5e-4f, qPrintable(QStringLiteral("request %1: max diff %2").arg(k).arg(maxDiff)));
        }
        QVERIFY((*batch)[0].data != (*batch)[1].data);
    }

    // Issue 13: the stage profile of interpolate() calls: every model stage is there with the
    // right number of calls, and the model thread's stages add up to the calls' wall time.
    void profileCoversTheModelCall() {
        auto m = loadedTiny(tinyOptions());
        QVERIFY(m);
        const RgbFrame a = pattern(256, 256, 0.0f), b = pattern(256, 256, 6.0f);
        profile::Profiler profiler;
        profile::setActive(&profiler);
        profiler.start();
        double callsMs = 0;
        for (int64_t p = 0; p < 1; ++p) {
            const auto t0 = std::chrono::steady_clock::now();
            auto out = m->interpolate(a, b, InterpolationCall{1, p, 0, -1, -1, nullptr});
            callsMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            QVERIFY(out.ok());
        }
        profiler.stop();
        profile::setActive(nullptr);
        QCOMPARE(profiler.generatedFrames(), int64_t{1});
        double modelMs = 0;
        auto calls = [&](const std::string& stage) -> int64_t {
            for (const auto& s : profiler.totals())
                if (s.thread == profile::kModelThread && s.stage == stage) return s.calls;
            return -1;
        };
        for (const auto& s : profiler.totals()) {
            QCOMPARE(s.thread, std::string(profile::kModelThread));
            QVERIFY(s.ms >= 0 && !s.deviceTimed);
            modelMs += s.ms;
        }
        for (const char* stage : {"upload", "encoder (full res)", "UNet step 0", "UNet step 1", "UNet step 2",
                                  "codebook lookup", "encoder (reduced res)", "flow: IFNet", "flow: refinement",
                                  "decoder: warps", "decoder: mid", "decoder: level 4", "decoder: level 0",
                                  "decoder: head", "download", "host sync (min<0, stats)", "other (model thread)"})
            QVERIFY2(calls(stage) == (std::string(stage).rfind("host sync", 0) == 0 ? 3 : 1), stage);
        QCOMPARE(calls("UNet step 3"), int64_t{-1});   // 3 steps
        // Exclusive stages: their sum is the time spent in the calls (less what the profiler's own
        // bookkeeping outside the timeline takes).
        QVERIFY2(modelMs <= callsMs && modelMs >= 0.95 * callsMs,
                 qPrintable(QStringLiteral("stages %1 ms, calls %2 ms").arg(modelMs).arg(callsMs)));
        const std::string table = profiler.table();
        QVERIFY2(table.find("UNet step 2") != std::string::npos && table.find("model thread busy") != std::string::npos,
                 table.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTlbvfiInterpolator)
#include "test_tlbvfi_interpolator.moc"
