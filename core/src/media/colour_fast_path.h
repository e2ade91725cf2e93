// Row kernels of ColourConverter's fast paths (internal to colour_converter.cpp): planar or
// semi-planar YUV/gray, 8-bit samples or 9..12-bit samples in little-endian 16-bit containers, chroma
// subsampled by at most 2 per direction, no alpha. Same rules as the generic path (see
// colour_converter.h), in float instead of double.
//
// Why the loops look the way they do:
// - Rows are walked in blocks of kBlock samples with a compile-time trip count, then a scalar tail.
//   GCC's -O2 vectoriser (the "very-cheap" cost model of RelWithDebInfo) only vectorises a loop whose
//   trip count is a known multiple of the vector width; fixed blocks give it that without -O3 or
//   per-file flags, and clang/MSVC vectorise them as well. __restrict spares a run-time alias check.
// - roundClamp() is lrint's round-to-nearest-even without a libm call: after clamping to
//   [0, maxv] (maxv < 2^22), adding 1.5*2^23 leaves the integer part in the mantissa. It relies on
//   IEEE float evaluation (no -ffast-math, no MSVC /fp:fast). NaN becomes 0, as in the generic path.
// - Samples are read as host uint16_t: the fast path is only taken on little-endian hosts.
#pragma once

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace vfi::media::fastpath {

constexpr int kBlock = 16;

struct FastLayout {
    int bytes = 1;  // 1, or 2 for a 16-bit little-endian container
    int depth = 8;
    int shift = 0;  // p010le: samples in the high bits
    int log2w = 0, log2h = 0;
    bool gray = false;
    int plane[3] = {};
    int offset[3] = {};  // in samples
    int step[3] = {};    // in samples: 1, or 2 for semi-planar chroma
};

// Depth <= 12: float keeps the code value within ~1e-3 of the double result (16-bit would not).
inline bool describeFast(AVPixelFormat format, FastLayout& f) {
    if constexpr (std::endian::native != std::endian::little) return false;
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
    if (!d) return false;
    const uint64_t refused = AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL |
                             AV_PIX_FMT_FLAG_BAYER | AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_ALPHA;
    if ((d->flags & refused) || (d->nb_components != 1 && d->nb_components != 3)) return false;
    if (d->log2_chroma_w > 1 || d->log2_chroma_h > 1) return false;
    f.depth = d->comp[0].depth;
    if (f.depth < 8 || f.depth > 12) return false;
    f.bytes = f.depth > 8 ? 2 : 1;
    f.shift = d->comp[0].shift;
    f.gray = d->nb_components == 1;
    f.log2w = f.gray ? 0 : d->log2_chroma_w;
    f.log2h = f.gray ? 0 : d->log2_chroma_h;
    for (int c = 0; c < d->nb_components; ++c) {
        const AVComponentDescriptor& cd = d->comp[c];
        if (cd.depth != f.depth || cd.shift != f.shift || cd.step % f.bytes || cd.offset % f.bytes) return false;
        f.plane[c] = cd.plane;
        f.offset[c] = cd.offset / f.bytes;
        f.step[c] = cd.step / f.bytes;
    }
    if (f.step[0] != 1 || f.offset[0] != 0) return false;
    if (f.gray) return true;
    const bool planar = f.step[1] == 1 && f.step[2] == 1 && f.offset[1] == 0 && f.offset[2] == 0 && f.plane[1] != f.plane[2];
    const bool semiPlanar = f.step[1] == 2 && f.step[2] == 2 && f.plane[1] == f.plane[2] && f.offset[1] + f.offset[2] == 1;
    return (planar || semiPlanar) && f.plane[1] != f.plane[0] && f.plane[2] != f.plane[0];
}

inline float roundClamp(float v, float maxv) {
    v = v > 0.0f ? v : 0.0f;
    v = v < maxv ? v : maxv;
    constexpr float kMagic = 12582912.0f;  // 1.5 * 2^23
    return (v + kMagic) - kMagic;
}

template <typename T>
inline float sampleOf(T raw, int shift, int mask) {
    return static_cast<float>((static_cast<int>(raw) >> shift) & mask);
}

// Each kernel is a span function over n samples, called with Fixed = kBlock (compile-time trip count)
// for the blocks of a row and Fixed = 0 (run-time n) for the tail, by forBlocks().
template <typename Span>
inline void forBlocks(int n, Span span) {
    int x = 0;
    for (; x + kBlock <= n; x += kBlock) span(std::integral_constant<int, kBlock>{}, x, kBlock);
    if (x < n) span(std::integral_constant<int, 0>{}, x, n - x);
}

// ---- YUV -> RGB -------------------------------------------------------------------------------

struct ToRgbCoeffs {
    float offY, scaleY, offC, scaleC;  // value = (code - off) * scale
    float rv, gu, gv, bu;
    int shift, mask;
};

// Chroma contributions of n chroma samples: tr = rv*v, tg = gu*u + gv*v, tb = bu*u.
template <int Fixed, typename T, int Step>
void chromaTermsSpan(const T* __restrict u, const T* __restrict v, int n, const ToRgbCoeffs& k, float* __restrict tr,
                     float* __restrict tg, float* __restrict tb) {
    const float offC = k.offC, scaleC = k.scaleC, rv = k.rv, gu = k.gu, gv = k.gv, bu = k.bu;
    const int shift = k.shift, mask = k.mask, m = Fixed ? Fixed : n;
    for (int i = 0; i < m; ++i) {
        const float uu = (sampleOf(u[i * Step], shift, mask) - offC) * scaleC;
        const float vv = (sampleOf(v[i * Step], shift, mask) - offC) * scaleC;
        tr[i] = rv * vv;
        tg[i] = gu * uu + gv * vv;
        tb[i] = bu * uu;
    }
}

template <typename T, int Step>
void chromaTerms(const T* u, const T* v, int n, const ToRgbCoeffs& k, float* tr, float* tg, float* tb) {
    forBlocks(n, [&](auto fixed, int x, int m) {
        chromaTermsSpan<decltype(fixed)::value, T, Step>(u + x * Step, v + x * Step, m, k, tr + x, tg + x, tb + x);
    });
}

template <int Fixed>
void replicate2Span(const float* __restrict c, int n, float* __restrict t) {
    const int m = Fixed ? Fixed : n;
    for (int i = 0; i < m; ++i) {
        t[2 * i] = c[i];
        t[2 * i + 1] = c[i];
    }
}

// Replicates each of the chroma row's samples over two luma columns (w luma columns).
inline void replicate2(const float* c, int w, float* t) {
    forBlocks(w / 2, [&](auto fixed, int x, int m) { replicate2Span<decltype(fixed)::value>(c + x, m, t + 2 * x); });
    if (w & 1) t[w - 1] = c[w / 2];
}

template <int Fixed, typename T>
void lumaToRgbSpan(const T* __restrict y, int n, const ToRgbCoeffs& k, const float* __restrict tr, const float* __restrict tg,
                   const float* __restrict tb, float* __restrict R, float* __restrict G, float* __restrict B) {
    const float offY = k.offY, scaleY = k.scaleY;
    const int shift = k.shift, mask = k.mask, m = Fixed ? Fixed : n;
    for (int i = 0; i < m; ++i) {
        const float yy = (sampleOf(y[i], shift, mask) - offY) * scaleY;
        R[i] = yy + tr[i];
        G[i] = yy - tg[i];
        B[i] = yy + tb[i];
    }
}

template <typename T>
void lumaToRgb(const T* y, int w, const ToRgbCoeffs& k, const float* tr, const float* tg, const float* tb, float* R, float* G,
               float* B) {
    forBlocks(w, [&](auto fixed, int x, int m) {
        lumaToRgbSpan<decltype(fixed)::value>(y + x, m, k, tr + x, tg + x, tb + x, R + x, G + x, B + x);
    });
}

template <int Fixed, typename T>
void grayToRgbSpan(const T* __restrict y, int n, const ToRgbCoeffs& k, float* __restrict R, float* __restrict G,
                   float* __restrict B) {
    const float offY = k.offY, scaleY = k.scaleY;
    const int shift = k.shift, mask = k.mask, m = Fixed ? Fixed : n;
    for (int i = 0; i < m; ++i) R[i] = G[i] = B[i] = (sampleOf(y[i], shift, mask) - offY) * scaleY;
}

template <typename T>
void grayToRgb(const T* y, int w, const ToRgbCoeffs& k, float* R, float* G, float* B) {
    forBlocks(w, [&](auto fixed, int x, int m) { grayToRgbSpan<decltype(fixed)::value>(y + x, m, k, R + x, G + x, B + x); });
}

// ---- RGB -> YUV -------------------------------------------------------------------------------

struct FromRgbCoeffs {
    float yr, yg, yb, offY;  // code = yr*R + yg*G + yb*B + offY
    float ur, ug, ub, vr, vg, vb, offC;
    float maxv;
    int shift;
};

template <typename T>
inline T codeOf(float v, float maxv, int shift) {
    return static_cast<T>(static_cast<int>(roundClamp(v, maxv)) << shift);
}

template <int Fixed, typename T>
void rgbToLumaSpan(const float* __restrict R, const float* __restrict G, const float* __restrict B, int n, const FromRgbCoeffs& k,
                   T* __restrict y) {
    const float yr = k.yr, yg = k.yg, yb = k.yb, off = k.offY, maxv = k.maxv;
    const int shift = k.shift, m = Fixed ? Fixed : n;
    for (int i = 0; i < m; ++i) y[i] = codeOf<T>(yr * R[i] + yg * G[i] + yb * B[i] + off, maxv, shift);
}

template <typename T>
void rgbToLuma(const float* R, const float* G, const float* B, int w, const FromRgbCoeffs& k, T* y) {
    forBlocks(w, [&](auto fixed, int x, int m) { rgbToLumaSpan<decltype(fixed)::value>(R + x, G + x, B + x, m, k, y + x); });
}

// Sum of chroma block i over 2^Log2w columns of rows p0 and, if Rows == 2, p1.
template <int Log2w, int Rows>
inline float blockSum(const float* p0, const float* p1, int i) {
    float s = Log2w ? p0[2 * i] + p0[2 * i + 1] : p0[i];
    if constexpr (Rows == 2) s += Log2w ? p1[2 * i] + p1[2 * i + 1] : p1[i];
    return s;
}

// n chroma samples: block sums scaled by inv (1 / samples in the block: a power of two, exact),
// written every Step samples. Codes go through a local block first: GCC 12 could not prove the
// second row's loads independent of the (8-bit, may-alias-anything) stores and did not vectorise.
// n <= kBlock: forBlocks() passes whole blocks and a shorter tail.
template <int Fixed, typename T, int Log2w, int Rows, int Step>
void rgbToChromaSpan(const float* __restrict R0, const float* __restrict G0, const float* __restrict B0, const float* __restrict R1,
                     const float* __restrict G1, const float* __restrict B1, int n, float inv, const FromRgbCoeffs& k,
                     T* __restrict u, T* __restrict v) {
    const float ur = k.ur, ug = k.ug, ub = k.ub, vr = k.vr, vg = k.vg, vb = k.vb, off = k.offC, maxv = k.maxv;
    const int shift = k.shift, m = Fixed ? Fixed : n;
    T uq[kBlock], vq[kBlock];
    for (int i = 0; i < m; ++i) {
        const float r = blockSum<Log2w, Rows>(R0, R1, i);
        const float g = blockSum<Log2w, Rows>(G0, G1, i);
        const float b = blockSum<Log2w, Rows>(B0, B1, i);
        uq[i] = codeOf<T>((ur * r + ug * g + ub * b) * inv + off, maxv, shift);
        vq[i] = codeOf<T>((vr * r + vg * g + vb * b) * inv + off, maxv, shift);
    }
    for (int i = 0; i < m; ++i) {
        u[i * Step] = uq[i];
        v[i * Step] = vq[i];
    }
}

// One chroma row from Rows (1 or 2) consecutive RGB rows of w columns starting at R, G, B; the last
// block of an odd width averages its one column.
template <typename T, int Log2w, int Rows, int Step>
void rgbToChroma(const float* R, const float* G, const float* B, int w, const FromRgbCoeffs& k, T* u, T* v) {
    constexpr int bw = 1 << Log2w;
    const float inv = 1.0f / static_cast<float>(bw * Rows);
    const int full = w >> Log2w;
    const ptrdiff_t next = Rows == 2 ? w : 0;
    forBlocks(full, [&](auto fixed, int x, int m) {
        const ptrdiff_t c = static_cast<ptrdiff_t>(bw) * x;
        rgbToChromaSpan<decltype(fixed)::value, T, Log2w, Rows, Step>(R + c, G + c, B + c, R + c + next, G + c + next, B + c + next,
                                                                      m, inv, k, u + x * Step, v + x * Step);
    });
    if constexpr (Log2w != 0)
        if (w & 1) {
            const ptrdiff_t c = w - 1;
            rgbToChromaSpan<1, T, 0, Rows, Step>(R + c, G + c, B + c, R + c + next, G + c + next, B + c + next, 1, inv * 2, k,
                                                 u + full * Step, v + full * Step);
        }
}

}  // namespace vfi::media::fastpath
