#include "media/colour_converter.h"

extern "C" {
#include <libavutil/intreadwrite.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include "media/colour_fast_path.h"
#include "media/video_source.h"

namespace vfi::media {

namespace {

struct Layout {
    bool rgb = false;
    bool gray = false;
    bool hasAlpha = false;
    int depth = 8;
    int log2w = 0, log2h = 0;
    AVComponentDescriptor comp[4] = {};
};

bool describe(AVPixelFormat format, Layout& l) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
    if (!d) return false;
    const uint64_t refused = AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL |
                             AV_PIX_FMT_FLAG_BAYER | AV_PIX_FMT_FLAG_FLOAT;
    if ((d->flags & refused) || d->nb_components < 1 || d->nb_components > 4) return false;
    if (std::string(d->name).find("xyz") != std::string::npos) return false;
    l.rgb = (d->flags & AV_PIX_FMT_FLAG_RGB) != 0;
    l.hasAlpha = (d->flags & AV_PIX_FMT_FLAG_ALPHA) != 0;
    l.gray = !l.rgb && d->nb_components <= 2;
    l.depth = d->comp[0].depth;
    l.log2w = d->log2_chroma_w;
    l.log2h = d->log2_chroma_h;
    const int colourComps = l.gray ? 1 : 3;
    for (int c = 0; c < colourComps; ++c) {
        l.comp[c] = d->comp[c];
        if (d->comp[c].depth != l.depth || l.depth > 16) return false;
        const int bytes = l.depth > 8 ? 2 : 1;
        if (l.depth > 8 && (d->comp[c].step % 2 || d->comp[c].offset % 2)) return false;
        if (d->comp[c].step < bytes) return false;
    }
    if (l.hasAlpha) l.comp[3] = d->comp[d->nb_components - 1];
    return true;
}

inline int readSample(const AVFrame& f, const AVComponentDescriptor& c, int depth, int x, int y) {
    const uint8_t* p = f.data[c.plane] + static_cast<ptrdiff_t>(y) * f.linesize[c.plane] + x * c.step + c.offset;
    const int mask = (1 << c.depth) - 1;
    if (depth > 8) return (AV_RL16(p) >> c.shift) & mask;
    return (p[0] >> c.shift) & mask;
}

inline void writeSample(AVFrame& f, const AVComponentDescriptor& c, int depth, int x, int y, int value) {
    uint8_t* p = f.data[c.plane] + static_cast<ptrdiff_t>(y) * f.linesize[c.plane] + x * c.step + c.offset;
    if (depth > 8) {
        AV_WL16(p, static_cast<uint16_t>(value << c.shift));
    } else {
        p[0] = static_cast<uint8_t>(value << c.shift);
    }
}

// Added to every code value before rounding: a half-way value (the average of two codes, as in every
// blended frame) then rounds up, as (a + b + 1) >> 1 does, instead of whichever way float error
// leaning a few 1e-5 codes to either side decided. That left 62 % of such samples rounded down and
// 38 % up at random, a noise that cost FFV1 7 % more bytes than the same frames rounded one way.
// 1/256 code is far above that error and far below anything visible.
constexpr double kTieBias = 1.0 / 256;

inline int quantize(double v, int maxv) {
    const long q = std::lrint(v + kTieBias);
    return static_cast<int>(std::clamp<long>(q, 0, maxv));
}

struct Scale {
    double offY, scaleY, offC, scaleC;
};

Scale scaleFor(int depth, AVColorRange range) {
    const double maxv = (1 << depth) - 1;
    if (range == AVCOL_RANGE_JPEG) return {0.0, maxv, static_cast<double>(1 << (depth - 1)), maxv};
    const double m = 1 << (depth - 8);
    return {16 * m, 219 * m, 128 * m, 224 * m};
}

// Runs fn(groupBegin, groupEnd) over [0, groups) split into contiguous bands.
template <typename Fn>
void parallelRows(int groups, int threads, Fn fn) {
    int n = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
    n = std::clamp(n, 1, 8);
    n = std::min(n, std::max(1, groups / 16));
    if (n <= 1) {
        fn(0, groups);
        return;
    }
    std::vector<std::thread> pool;
    pool.reserve(static_cast<size_t>(n));
    for (int t = 0; t < n; ++t) {
        const int b = groups * t / n, e = groups * (t + 1) / n;
        pool.emplace_back([=] { fn(b, e); });
    }
    for (auto& th : pool) th.join();
}

template <typename T>
const T* rowOf(const AVFrame& f, const fastpath::FastLayout& fl, int c, int y) {
    return reinterpret_cast<const T*>(f.data[fl.plane[c]] + static_cast<ptrdiff_t>(y) * f.linesize[fl.plane[c]]) + fl.offset[c];
}

template <typename T>
T* rowOf(AVFrame& f, const fastpath::FastLayout& fl, int c, int y) {
    return reinterpret_cast<T*>(f.data[fl.plane[c]] + static_cast<ptrdiff_t>(y) * f.linesize[fl.plane[c]]) + fl.offset[c];
}

// 16-bit samples are read through uint16_t pointers: odd addresses or strides go the generic way.
bool alignedFor(const AVFrame& f, const fastpath::FastLayout& fl) {
    if (fl.bytes == 1) return true;
    for (int c = 0; c < (fl.gray ? 1 : 3); ++c)
        if ((reinterpret_cast<uintptr_t>(f.data[fl.plane[c]]) | static_cast<uintptr_t>(f.linesize[fl.plane[c]])) & 1) return false;
    return true;
}

template <typename T>
void toRgbFast(const AVFrame& in, const fastpath::FastLayout& fl, const fastpath::ToRgbCoeffs& k, int threads, RgbFrame& out) {
    const int w = in.width, h = in.height;
    const int cw = AV_CEIL_RSHIFT(w, fl.log2w);
    parallelRows(h, threads, [&](int b, int e) {
        // tr/tg/tb: chroma terms per luma column; c*: per chroma column when they are replicated.
        std::vector<float> buf(fl.gray ? 0 : static_cast<size_t>(3 * w + (fl.log2w ? 3 * cw : 0)));
        float* t[3] = {};
        float* cterm[3] = {};
        for (int i = 0; i < 3 && !fl.gray; ++i) {
            t[i] = buf.data() + i * w;
            cterm[i] = fl.log2w ? buf.data() + 3 * w + i * cw : t[i];
        }
        int lastCy = -1;
        for (int y = b; y < e; ++y) {
            const size_t row = static_cast<size_t>(y) * w;
            float* R = out.plane(0) + row;
            float* G = out.plane(1) + row;
            float* B = out.plane(2) + row;
            if (fl.gray) {
                fastpath::grayToRgb(rowOf<T>(in, fl, 0, y), w, k, R, G, B);
                continue;
            }
            const int cy = y >> fl.log2h;
            if (cy != lastCy) {
                const T* u = rowOf<T>(in, fl, 1, cy);
                const T* v = rowOf<T>(in, fl, 2, cy);
                if (fl.step[1] == 2) fastpath::chromaTerms<T, 2>(u, v, cw, k, cterm[0], cterm[1], cterm[2]);
                else fastpath::chromaTerms<T, 1>(u, v, cw, k, cterm[0], cterm[1], cterm[2]);
                if (fl.log2w)
                    for (int i = 0; i < 3; ++i) fastpath::replicate2(cterm[i], w, t[i]);
                lastCy = cy;
            }
            fastpath::lumaToRgb(rowOf<T>(in, fl, 0, y), w, k, t[0], t[1], t[2], R, G, B);
        }
    });
}

template <typename T, int Log2w, int Step>
void chromaFromRgb(const float* R, const float* G, const float* B, int w, int rows, const fastpath::FromRgbCoeffs& k, AVFrame& out,
                   const fastpath::FastLayout& fl, int cy) {
    T* u = rowOf<T>(out, fl, 1, cy);
    T* v = rowOf<T>(out, fl, 2, cy);
    if (rows == 2) fastpath::rgbToChroma<T, Log2w, 2, Step>(R, G, B, w, k, u, v);
    else fastpath::rgbToChroma<T, Log2w, 1, Step>(R, G, B, w, k, u, v);
}

template <typename T>
void fromRgbFast(const RgbFrame& rgb, const fastpath::FastLayout& fl, const fastpath::FromRgbCoeffs& k, int threads, AVFrame& out) {
    const int w = rgb.width, h = rgb.height;
    const int bh = 1 << fl.log2h;
    const int groups = (h + bh - 1) / bh;
    parallelRows(groups, threads, [&](int gb, int ge) {
        for (int g = gb; g < ge; ++g) {
            const int y0 = g * bh, rows = std::min(h, y0 + bh) - y0;
            const float* P[3];
            for (int y = y0; y < y0 + rows; ++y) {
                for (int c = 0; c < 3; ++c) P[c] = rgb.plane(c) + static_cast<size_t>(y) * w;
                fastpath::rgbToLuma(P[0], P[1], P[2], w, k, rowOf<T>(out, fl, 0, y));
            }
            if (fl.gray) continue;
            for (int c = 0; c < 3; ++c) P[c] = rgb.plane(c) + static_cast<size_t>(y0) * w;
            const int kind = fl.log2w * 2 + (fl.step[1] == 2 ? 1 : 0);
            switch (kind) {
                case 0: chromaFromRgb<T, 0, 1>(P[0], P[1], P[2], w, rows, k, out, fl, g); break;
                case 1: chromaFromRgb<T, 0, 2>(P[0], P[1], P[2], w, rows, k, out, fl, g); break;
                case 2: chromaFromRgb<T, 1, 1>(P[0], P[1], P[2], w, rows, k, out, fl, g); break;
                default: chromaFromRgb<T, 1, 2>(P[0], P[1], P[2], w, rows, k, out, fl, g); break;
            }
        }
    });
}

}  // namespace

void matrixCoefficients(AVColorSpace matrix, double& kr, double& kb) {
    switch (matrix) {
        case AVCOL_SPC_BT470BG:
        case AVCOL_SPC_SMPTE170M: kr = 0.299; kb = 0.114; break;
        case AVCOL_SPC_BT2020_NCL:
        case AVCOL_SPC_BT2020_CL: kr = 0.2627; kb = 0.0593; break;
        case AVCOL_SPC_SMPTE240M: kr = 0.212; kb = 0.087; break;
        case AVCOL_SPC_FCC: kr = 0.30; kb = 0.11; break;
        default: kr = 0.2126; kb = 0.0722; break;
    }
}

ColourSpec ColourSpec::defaultFor(int height) {
    ColourSpec s;
    s.matrix = height > 576 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
    s.range = AVCOL_RANGE_MPEG;
    return s;
}

ColourSpec ColourSpec::fromSource(const SourceInfo& source) {
    ColourSpec s = defaultFor(source.height);
    if (source.matrix != AVCOL_SPC_UNSPECIFIED && source.matrix != AVCOL_SPC_RESERVED) s.matrix = source.matrix;
    Layout l;
    const bool rgbOrGray = describe(source.pixFmt, l) && (l.rgb || l.gray);
    if (source.range != AVCOL_RANGE_UNSPECIFIED) s.range = source.range;
    else if (rgbOrGray) s.range = AVCOL_RANGE_JPEG;
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(source.pixFmt);
    if (d && std::string(d->name).rfind("yuvj", 0) == 0) s.range = AVCOL_RANGE_JPEG;
    s.primaries = source.primaries;
    s.transfer = source.transfer;
    s.chromaLocation = source.chromaLocation;
    return s;
}

ColourConverter::ColourConverter(ColourSpec spec, int threads, Path path) : m_spec(spec), m_threads(threads), m_path(path) {}

bool ColourConverter::supports(AVPixelFormat format) {
    Layout l;
    return describe(format, l);
}

bool ColourConverter::hasFastPath(AVPixelFormat format) {
    fastpath::FastLayout fl;
    return fastpath::describeFast(format, fl);
}

Status ColourConverter::toRgb(const AVFrame& in, RgbFrame& out) const {
    Layout l;
    const auto format = static_cast<AVPixelFormat>(in.format);
    if (!describe(format, l))
        return makeError(ErrorCode::UnsupportedFormat,
                         std::string("pixel format ") + (av_get_pix_fmt_name(format) ? av_get_pix_fmt_name(format) : "?") +
                             " cannot be converted to RGB",
                         {"", av_get_pix_fmt_name(format) ? av_get_pix_fmt_name(format) : "?", ""});
    const int w = in.width, h = in.height;
    if (out.width != w || out.height != h || out.data.size() != static_cast<size_t>(w) * h * 3) out = RgbFrame(w, h);
    float* R = out.plane(0);
    float* G = out.plane(1);
    float* B = out.plane(2);
    const double maxv = (1 << l.depth) - 1;
    if (l.rgb) {
        parallelRows(h, m_threads, [&](int b, int e) {
            for (int y = b; y < e; ++y)
                for (int x = 0; x < w; ++x) {
                    const size_t i = static_cast<size_t>(y) * w + x;
                    R[i] = static_cast<float>(readSample(in, l.comp[0], l.depth, x, y) / maxv);
                    G[i] = static_cast<float>(readSample(in, l.comp[1], l.depth, x, y) / maxv);
                    B[i] = static_cast<float>(readSample(in, l.comp[2], l.depth, x, y) / maxv);
                }
        });
        return {};
    }
    double kr = 0, kb = 0;
    matrixCoefficients(m_spec.matrix, kr, kb);
    const double kg = 1 - kr - kb;
    const Scale s = scaleFor(l.depth, m_spec.range);
    const double rv = 2 * (1 - kr), bu = 2 * (1 - kb), gu = 2 * kb * (1 - kb) / kg, gv = 2 * kr * (1 - kr) / kg;
    fastpath::FastLayout fl;
    if (m_path == Path::Auto && fastpath::describeFast(format, fl) && alignedFor(in, fl)) {
        const fastpath::ToRgbCoeffs k{static_cast<float>(s.offY), static_cast<float>(1 / s.scaleY),
                                      static_cast<float>(s.offC), static_cast<float>(1 / s.scaleC),
                                      static_cast<float>(rv), static_cast<float>(gu), static_cast<float>(gv),
                                      static_cast<float>(bu), fl.shift, (1 << fl.depth) - 1};
        if (fl.bytes == 2) toRgbFast<uint16_t>(in, fl, k, m_threads, out);
        else toRgbFast<uint8_t>(in, fl, k, m_threads, out);
        return {};
    }
    parallelRows(h, m_threads, [&](int b, int e) {
        for (int y = b; y < e; ++y)
            for (int x = 0; x < w; ++x) {
                const size_t i = static_cast<size_t>(y) * w + x;
                const double yy = (readSample(in, l.comp[0], l.depth, x, y) - s.offY) / s.scaleY;
                if (l.gray) {
                    R[i] = G[i] = B[i] = static_cast<float>(yy);
                    continue;
                }
                const int cx = x >> l.log2w, cy = y >> l.log2h;
                const double u = (readSample(in, l.comp[1], l.depth, cx, cy) - s.offC) / s.scaleC;
                const double v = (readSample(in, l.comp[2], l.depth, cx, cy) - s.offC) / s.scaleC;
                R[i] = static_cast<float>(yy + rv * v);
                G[i] = static_cast<float>(yy - gu * u - gv * v);
                B[i] = static_cast<float>(yy + bu * u);
            }
    });
    return {};
}

Result<AvFramePtr> ColourConverter::fromRgb(const RgbFrame& rgb, AVPixelFormat format) const {
    AvFramePtr f = makeFrame();
    if (!f) return makeError(ErrorCode::Internal, "av_frame_alloc failed", {"out of memory"});
    f->format = format;
    f->width = rgb.width;
    f->height = rgb.height;
    const int rc = av_frame_get_buffer(f.get(), 0);
    if (rc < 0) return avError("av_frame_get_buffer", rc);
    VFI_TRY(fromRgb(rgb, *f));
    return f;
}

Status ColourConverter::fromRgb(const RgbFrame& rgb, AVFrame& out) const {
    Layout l;
    const auto format = static_cast<AVPixelFormat>(out.format);
    const char* name = av_get_pix_fmt_name(format) ? av_get_pix_fmt_name(format) : "?";
    if (!describe(format, l))
        return makeError(ErrorCode::UnsupportedFormat, std::string("cannot convert RGB to pixel format ") + name, {"", name, ""});
    if (out.width != rgb.width || out.height != rgb.height || rgb.empty())
        return makeError(ErrorCode::InvalidArgument, "RGB frame size does not match the output frame", {"size", ""});
    const int w = rgb.width, h = rgb.height;
    const float* R = rgb.plane(0);
    const float* G = rgb.plane(1);
    const float* B = rgb.plane(2);
    const int maxv = (1 << l.depth) - 1;
    out.color_range = l.rgb ? AVCOL_RANGE_JPEG : m_spec.range;
    out.colorspace = l.rgb ? AVCOL_SPC_RGB : m_spec.matrix;
    out.color_primaries = m_spec.primaries;
    out.color_trc = m_spec.transfer;
    out.chroma_location = m_spec.chromaLocation;
    if (l.rgb) {
        parallelRows(h, m_threads, [&](int b, int e) {
            for (int y = b; y < e; ++y)
                for (int x = 0; x < w; ++x) {
                    const size_t i = static_cast<size_t>(y) * w + x;
                    writeSample(out, l.comp[0], l.depth, x, y, quantize(R[i] * maxv, maxv));
                    writeSample(out, l.comp[1], l.depth, x, y, quantize(G[i] * maxv, maxv));
                    writeSample(out, l.comp[2], l.depth, x, y, quantize(B[i] * maxv, maxv));
                    if (l.hasAlpha) writeSample(out, l.comp[3], l.comp[3].depth, x, y, (1 << l.comp[3].depth) - 1);
                }
        });
        return {};
    }
    double kr = 0, kb = 0;
    matrixCoefficients(m_spec.matrix, kr, kb);
    const double kg = 1 - kr - kb;
    const Scale s = scaleFor(l.depth, m_spec.range);
    fastpath::FastLayout fl;
    if (m_path == Path::Auto && fastpath::describeFast(format, fl) && alignedFor(out, fl)) {
        // The generic path's per-pixel (B - Y)/(2(1 - Kb)) averaged over the block is linear in R, G, B:
        // here the block's RGB sum goes through the combined matrix once.
        const double cu = s.scaleC / (2 * (1 - kb)), cv = s.scaleC / (2 * (1 - kr));
        const fastpath::FromRgbCoeffs k{
            static_cast<float>(kr * s.scaleY), static_cast<float>(kg * s.scaleY), static_cast<float>(kb * s.scaleY),
            static_cast<float>(s.offY + kTieBias), static_cast<float>(-kr * cu),      static_cast<float>(-kg * cu),
            static_cast<float>((1 - kb) * cu),     static_cast<float>((1 - kr) * cv), static_cast<float>(-kg * cv),
            static_cast<float>(-kb * cv),          static_cast<float>(s.offC + kTieBias), static_cast<float>(maxv),
            fl.shift};
        if (fl.bytes == 2) fromRgbFast<uint16_t>(rgb, fl, k, m_threads, out);
        else fromRgbFast<uint8_t>(rgb, fl, k, m_threads, out);
        return {};
    }
    const int bw = 1 << l.log2w, bh = 1 << l.log2h;
    const int groups = (h + bh - 1) / bh;
    parallelRows(groups, m_threads, [&](int gb, int ge) {
        for (int g = gb; g < ge; ++g) {
            const int y0 = g * bh, y1 = std::min(h, y0 + bh);
            for (int y = y0; y < y1; ++y)
                for (int x = 0; x < w; ++x) {
                    const size_t i = static_cast<size_t>(y) * w + x;
                    const double yy = kr * R[i] + kg * G[i] + kb * B[i];
                    writeSample(out, l.comp[0], l.depth, x, y, quantize(yy * s.scaleY + s.offY, maxv));
                }
            if (l.gray) continue;
            for (int cx = 0; cx * bw < w; ++cx) {
                const int x0 = cx * bw, x1 = std::min(w, x0 + bw);
                double su = 0, sv = 0;
                int n = 0;
                for (int y = y0; y < y1; ++y)
                    for (int x = x0; x < x1; ++x) {
                        const size_t i = static_cast<size_t>(y) * w + x;
                        const double yy = kr * R[i] + kg * G[i] + kb * B[i];
                        su += (B[i] - yy) / (2 * (1 - kb));
                        sv += (R[i] - yy) / (2 * (1 - kr));
                        ++n;
                    }
                writeSample(out, l.comp[1], l.depth, cx, g, quantize(su / n * s.scaleC + s.offC, maxv));
                writeSample(out, l.comp[2], l.depth, cx, g, quantize(sv / n * s.scaleC + s.offC, maxv));
            }
        }
    });
    if (l.hasAlpha)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) writeSample(out, l.comp[3], l.comp[3].depth, x, y >> 0, (1 << l.comp[3].depth) - 1);
    return {};
}

}  // namespace vfi::media
