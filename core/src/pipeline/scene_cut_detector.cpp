#include "pipeline/scene_cut_detector.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
}

namespace vfi::pipeline {

LumaThumb makeLumaThumb(const RgbFrame& f) {
    LumaThumb t;
    if (f.empty()) return t;
    const int step = std::max(1, f.width / 64);
    t.width = std::max(1, f.width / step);
    t.height = std::max(1, f.height / step);
    // Whole step x step blocks only (t.width * step <= width): the last columns/rows that do not fill
    // a block are left out. A row's luma is computed in one pass the compiler vectorises, then summed
    // per block; this runs for every source frame, so it stays a small fraction of a 4K frame's cost.
    const int usedW = t.width * step, usedH = t.height * step;
    std::vector<double> acc(static_cast<size_t>(t.width) * t.height, 0.0);
    std::vector<float> row(static_cast<size_t>(usedW));
    for (int y = 0; y < usedH; ++y) {
        const size_t o = static_cast<size_t>(y) * f.width;
        const float* r = f.plane(0) + o;
        const float* g = f.plane(1) + o;
        const float* b = f.plane(2) + o;
        for (int x = 0; x < usedW; ++x) row[static_cast<size_t>(x)] = 0.2126f * r[x] + 0.7152f * g[x] + 0.0722f * b[x];
        double* a = acc.data() + static_cast<size_t>(y / step) * t.width;
        for (int tx = 0; tx < t.width; ++tx) {
            const float* p = row.data() + static_cast<size_t>(tx) * step;
            float sum = 0;
            for (int k = 0; k < step; ++k) sum += p[k];
            a[tx] += sum;
        }
    }
    const double n = static_cast<double>(step) * step;
    t.luma.resize(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) t.luma[i] = static_cast<float>(acc[i] / n);
    return t;
}

bool makeLumaThumbFromLuma(const AVFrame& frame, bool bt709Matrix, bool fullRange, LumaThumb& out) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
    if (!d || frame.width <= 0 || frame.height <= 0 || !frame.data[0]) return false;
    if (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL |
                    AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_BAYER))
        return false;
    const bool gray = d->nb_components <= 2;
    if (!gray && !bt709Matrix) return false;   // other matrices weigh R, G, B differently from the thumbnail
    const AVComponentDescriptor& y = d->comp[0];
    const int depth = y.depth;
    const int bytes = depth > 8 ? 2 : 1;
    if (depth > 16 || y.plane != 0 || y.offset != 0 || y.shift != 0 || y.step != bytes) return false;
    if (std::strstr(d->name, "xyz")) return false;

    const int w = frame.width, h = frame.height;
    const int step = std::max(1, w / 64);
    out.width = std::max(1, w / step);
    out.height = std::max(1, h / step);
    const int usedH = out.height * step;
    std::vector<int64_t> acc(static_cast<size_t>(out.width) * out.height, 0);
    for (int row = 0; row < usedH; ++row) {
        const uint8_t* line = frame.data[0] + static_cast<ptrdiff_t>(row) * frame.linesize[0];
        int64_t* a = acc.data() + static_cast<size_t>(row / step) * out.width;
        for (int tx = 0; tx < out.width; ++tx) {
            int32_t sum = 0;   // at most 64 * 65535 per block row
            if (bytes == 1) {
                const uint8_t* p = line + static_cast<size_t>(tx) * step;
                for (int k = 0; k < step; ++k) sum += p[k];
            } else {
                const uint8_t* p = line + static_cast<size_t>(tx) * step * 2;
                for (int k = 0; k < step; ++k) sum += p[2 * k] | (p[2 * k + 1] << 8);
            }
            a[tx] += sum;
        }
    }
    const double scale = fullRange ? double((1 << depth) - 1) : double(219 << (depth - 8));
    const double offset = fullRange ? 0.0 : double(16 << (depth - 8));
    const double n = static_cast<double>(step) * step;
    out.luma.resize(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) out.luma[i] = static_cast<float>((static_cast<double>(acc[i]) / n - offset) / scale);
    return true;
}

double sceneCutScore(const LumaThumb& a, const LumaThumb& b) {
    if (a.luma.size() != b.luma.size() || a.luma.empty()) return 1.0;
    constexpr int kBins = 32;
    std::array<double, kBins> ha{}, hb{};
    double mad = 0;
    const double n = static_cast<double>(a.luma.size());
    auto bin = [](float v) { return std::clamp(static_cast<int>(v * kBins), 0, kBins - 1); };
    for (size_t i = 0; i < a.luma.size(); ++i) {
        ha[static_cast<size_t>(bin(a.luma[i]))] += 1.0 / n;
        hb[static_cast<size_t>(bin(b.luma[i]))] += 1.0 / n;
        mad += std::fabs(a.luma[i] - b.luma[i]) / n;
    }
    double hist = 0;
    for (int i = 0; i < kBins; ++i) hist += std::fabs(ha[static_cast<size_t>(i)] - hb[static_cast<size_t>(i)]);
    hist *= 0.5;
    return 0.5 * hist + 0.5 * std::min(1.0, 3.0 * mad);
}

}  // namespace vfi::pipeline
