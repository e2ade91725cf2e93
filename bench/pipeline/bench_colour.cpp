// bench_colour: milliseconds per frame of media::ColourConverter::toRgb and ::fromRgb, fast path vs
// the generic reference path (ColourConverter::Path::Reference), at 1920x1080 and 3840x2160, yuv420p
// and yuv420p10le, with 1 thread (what the pipeline uses) and the default thread count.
// Usage: bench_colour [--repeat N]   (median and fastest of N calls per row; default 15; on a shared
// machine the fastest call is the one least slowed by other jobs)
// Frames are random codes; the destination is reused, so allocation is not timed. Last, the blend
// backend's mean of two float frames at both sizes.
extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "media/colour_converter.h"
#include "vfi/frame_interpolator.h"

using namespace vfi;
using namespace vfi::media;

namespace {

AvFramePtr randomFrame(AVPixelFormat fmt, int w, int h, std::mt19937& rng) {
    AvFramePtr f = makeFrame();
    f->format = fmt;
    f->width = w;
    f->height = h;
    if (av_frame_get_buffer(f.get(), 0) < 0) return nullptr;
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
    const int depth = d->comp[0].depth;
    std::uniform_int_distribution<int> dist(16 << (depth - 8), 235 << (depth - 8));
    for (int c = 0; c < d->nb_components; ++c) {
        const int cw = c == 0 ? w : AV_CEIL_RSHIFT(w, d->log2_chroma_w);
        const int ch = c == 0 ? h : AV_CEIL_RSHIFT(h, d->log2_chroma_h);
        for (int y = 0; y < ch; ++y) {
            uint8_t* row = f->data[d->comp[c].plane] + static_cast<ptrdiff_t>(y) * f->linesize[d->comp[c].plane];
            for (int x = 0; x < cw; ++x) {
                const int v = dist(rng);
                if (depth > 8) {
                    const auto s = static_cast<uint16_t>(v);
                    std::memcpy(row + 2 * x, &s, 2);
                } else {
                    row[x] = static_cast<uint8_t>(v);
                }
            }
        }
    }
    return f;
}

struct Timing {
    double median, fastest;
};

template <typename Fn>
Timing timeMs(int repeat, Fn fn) {
    fn();  // warm-up: page faults, caches
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return {ms[static_cast<size_t>(repeat / 2)], ms.front()};
}

}  // namespace

int main(int argc, char** argv) {
    int repeat = 15;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: bench_colour [--repeat N]\n");
            return 2;
        }
    }
    const int defaultThreads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8);
    std::printf("bench_colour: ms per frame, median (fastest) of %d calls; default threads = %d\n", repeat, defaultThreads);
    std::printf("%-10s %-12s %-7s %-8s %16s %16s\n", "size", "format", "threads", "path", "toRgb", "fromRgb");
    std::mt19937 rng(1);
    const struct { int w, h; const char* name; } sizes[] = {{1920, 1080, "1920x1080"}, {3840, 2160, "3840x2160"}};
    const AVPixelFormat formats[] = {AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P10LE};
    ColourSpec spec = ColourSpec::defaultFor(1080);
    for (const auto& sz : sizes)
        for (AVPixelFormat fmt : formats) {
            AvFramePtr src = randomFrame(fmt, sz.w, sz.h, rng);
            AvFramePtr dst = randomFrame(fmt, sz.w, sz.h, rng);
            if (!src || !dst) return 1;
            for (int threads : {1, 0})
                for (auto path : {ColourConverter::Path::Reference, ColourConverter::Path::Auto}) {
                    const ColourConverter conv(spec, threads, path);
                    RgbFrame rgb;
                    bool ok = conv.toRgb(*src, rgb).ok();
                    const Timing to = timeMs(repeat, [&] { ok = conv.toRgb(*src, rgb).ok() && ok; });
                    const Timing from = timeMs(repeat, [&] { ok = conv.fromRgb(rgb, *dst).ok() && ok; });
                    if (!ok) {
                        std::fprintf(stderr, "conversion failed\n");
                        return 1;
                    }
                    std::printf("%-10s %-12s %-7d %-8s %7.2f (%6.2f) %7.2f (%6.2f)\n", sz.name, av_get_pix_fmt_name(fmt),
                                threads ? threads : defaultThreads, path == ColourConverter::Path::Auto ? "fast" : "generic",
                                to.median, to.fastest, from.median, from.fastest);
                    std::fflush(stdout);
                }
        }
    // The blend backend's mean of two float frames (the generated frame's buffer comes from the frame
    // cache after the warm-up call, as in a job).
    auto blend = createBlendInterpolator();
    for (const auto& sz : sizes) {
        RgbFrame a = RgbFrame::uninitialized(sz.w, sz.h), b = RgbFrame::uninitialized(sz.w, sz.h);
        std::uniform_real_distribution<float> unit(0.0f, 1.0f);
        for (size_t i = 0; i < a.data.size(); ++i) {
            a.data[i] = unit(rng);
            b.data[i] = unit(rng);
        }
        bool ok = true;
        const Timing t = timeMs(repeat, [&] { ok = blend->interpolate(a, b, {}).ok() && ok; });
        if (!ok) return 1;
        std::printf("%-10s blend (BlendInterpolator::interpolate) %7.2f (%6.2f)\n", sz.name, t.median, t.fastest);
    }
    return 0;
}
