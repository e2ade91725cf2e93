#include "pipeline/frame_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

namespace vfi::pipeline {

namespace {

constexpr int kMaxDepth = 3;   // 8x, as --factor

// a * b, or nullopt when it does not fit (all operands here are >= 0).
std::optional<int64_t> mul(int64_t a, int64_t b) {
    if (a != 0 && b > std::numeric_limits<int64_t>::max() / a) return std::nullopt;
    return a * b;
}
std::optional<int64_t> mul(std::optional<int64_t> a, int64_t b) { return a ? mul(*a, b) : std::nullopt; }

Error tooLarge() {
    return makeError(ErrorCode::InvalidArgument,
                     "the source's timestamps are too large for exact target-rate arithmetic; use --factor", {"fps", "range"});
}

// "23.976", "60": three decimals at most, no trailing zeros.
std::string fpsNumber(double fps) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", fps);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

std::string FrameSelection::describe(Rational rate) {
    std::string s = fpsNumber(rate.toDouble()) + " fps";
    if (rate.den != 1) s += " (" + std::to_string(rate.num) + "/" + std::to_string(rate.den) + ")";
    return s;
}

Rational FrameSelection::constantRate(const std::vector<int64_t>& pts, Rational tb) {
    if (pts.size() < 2 || tb.num <= 0 || tb.den <= 0) return {0, 1};
    const int64_t d = pts[1] - pts[0];
    for (size_t i = 2; i < pts.size(); ++i)
        if (pts[i] - pts[i - 1] != d) return {0, 1};
    // rate = 1 / (d * tb) = tb.den / (d * tb.num)
    auto den = mul(d, tb.num);
    if (d <= 0 || !den) return {0, 1};
    const int64_t g = std::gcd(static_cast<int64_t>(tb.den), *den);
    const int64_t num = tb.den / g, dd = *den / g;
    if (dd > std::numeric_limits<int>::max()) return {0, 1};
    return {static_cast<int>(num), static_cast<int>(dd)};
}

int FrameSelection::exactFactor(const std::vector<int64_t>& pts, Rational tb, Rational rate) {
    const Rational src = constantRate(pts, tb);
    if (src.num <= 0) return 0;
    for (int f = 2; f <= (1 << kMaxDepth); f *= 2)
        if (mul(rate.num, src.den) == mul(mul(f, src.num), rate.den)) return f;
    return 0;
}

Result<FrameSelection> FrameSelection::plan(std::vector<int64_t> pts, int64_t lastDuration, Rational tb, Rational rate) {
    if (rate.num <= 0 || rate.den <= 0)
        return makeError(ErrorCode::InvalidArgument, "the target frame rate must be above 0", {"fps", describe(rate)});
    if (pts.size() < 2)
        return makeError(ErrorCode::InvalidArgument, "a target frame rate needs a source of at least two frames", {"fps", describe(rate)});
    if (tb.num <= 0 || tb.den <= 0) return makeError(ErrorCode::InvalidArgument, "the source has no time base", {"fps", "time base"});
    FrameSelection s;
    s.m_timeBase = tb;
    s.m_rate = rate;
    s.m_lastDuration = lastDuration > 0 ? lastDuration : 1;
    const int64_t span = pts.back() - pts.front();
    if (span <= 0) return makeError(ErrorCode::InvalidArgument, "the source's timestamps do not increase", {"fps", "timestamps"});

    // Average source rate (N-1) / (span * tb) against the target, exactly:
    // 2^k * avg >= rate  <=>  2^k * (N-1) * tb.den * rate.den >= rate.num * span * tb.num.
    const auto lhs = mul(mul(static_cast<int64_t>(pts.size()) - 1, tb.den), rate.den);
    const auto rhs = mul(mul(span, tb.num), rate.num);
    if (!lhs || !rhs || !mul(*lhs, 1 << kMaxDepth)) return tooLarge();
    const Rational cfr = constantRate(pts, tb);
    const std::string source =
        cfr.num > 0 ? "the source's " + describe(cfr)
                    : "the source's average " +
                          fpsNumber(static_cast<double>(pts.size() - 1) * tb.den / (static_cast<double>(span) * tb.num)) + " fps";
    if (*rhs <= *lhs)
        return makeError(ErrorCode::InvalidArgument,
                         "target frame rate " + describe(rate) + " is not above " + source +
                             "; --fps raises the frame rate (it never drops frames)",
                         {"fps", describe(rate)});
    s.m_depth = 0;
    for (int k = 1; k <= kMaxDepth && !s.m_depth; ++k)
        if ((*lhs << k) >= *rhs) s.m_depth = k;
    if (!s.m_depth)
        return makeError(ErrorCode::InvalidArgument,
                         "target frame rate " + describe(rate) + " is more than 8x " + source +
                             " (the model bisects at most three times: 8x)",
                         {"fps", describe(rate)});

    // One output frame lasts (1 / rate) / tb = rate.den * tb.den / (rate.num * tb.num) ticks.
    const auto stepNum = mul(rate.den, tb.den);
    const auto stepDen = mul(rate.num, tb.num);
    if (!stepNum || !stepDen) return tooLarge();
    const int64_t g = std::gcd(*stepNum, *stepDen);
    s.m_stepNum = *stepNum / g;
    s.m_stepDen = *stepDen / g;
    // The largest intermediate: (E - p0) * stepDen (+ a step) times 2^(depth+2) in pick().
    const int64_t total = span + s.m_lastDuration;
    const auto bound = mul(total, s.m_stepDen);
    if (!bound || *bound > std::numeric_limits<int64_t>::max() - s.m_stepNum || !mul(*bound + s.m_stepNum, int64_t(1) << (s.m_depth + 2)))
        return tooLarge();
    // M = round((E - p0) / step) = floor((2 (E - p0) stepDen + stepNum) / (2 stepNum)).
    s.m_outputs = std::max<int64_t>(1, (2 * total * s.m_stepDen + s.m_stepNum) / (2 * s.m_stepNum));
    s.m_pts = std::move(pts);
    return s;
}

int64_t FrameSelection::firstOutputOf(int64_t i) const {
    if (i <= 0) return 0;
    if (i >= sourceFrames()) return m_outputs;
    // Smallest n with n * stepNum >= (p_i - p0) * stepDen.
    const int64_t x = (m_pts[static_cast<size_t>(i)] - m_pts.front()) * m_stepDen;
    return std::min(m_outputs, (x + m_stepNum - 1) / m_stepNum);
}

BisectionPoint FrameSelection::pick(int64_t n) const {
    const int64_t p0 = m_pts.front();
    const int64_t x = n * m_stepNum;   // T_n - p0 in ticks * stepDen
    auto it = std::upper_bound(m_pts.begin(), m_pts.end(), x, [&](int64_t v, int64_t p) { return v < (p - p0) * m_stepDen; });
    const int64_t i = static_cast<int64_t>(it - m_pts.begin()) - 1;
    if (i + 1 >= sourceFrames()) return {sourceFrames() - 1, 0};
    const int64_t length = (m_pts[static_cast<size_t>(i) + 1] - m_pts[static_cast<size_t>(i)]) * m_stepDen;
    const int64_t offset = x - (m_pts[static_cast<size_t>(i)] - p0) * m_stepDen;   // 0 <= offset < length
    // Nearest of the 2^depth + 1 points, ties to the later one.
    const int64_t step = ((offset << (m_depth + 1)) + length) / (2 * length);
    return {i, static_cast<int>(step)};
}

std::vector<bool> FrameSelection::neededSteps(int64_t pair) const {
    std::vector<bool> needed(static_cast<size_t>(factor()) + 1, false);
    const int64_t end = firstOutputOf(pair + 1);
    for (int64_t n = firstOutputOf(pair); n < end; ++n) {
        // A point at step s is the midpoint of [s - h, s + h], h = its lowest set bit: those are made
        // first (the same calls, in the same order, as the full bisection of a --factor job).
        std::vector<int> stack{pick(n).step};
        while (!stack.empty()) {
            const int st = stack.back();
            stack.pop_back();
            if (st <= 0 || st >= factor() || needed[static_cast<size_t>(st)]) continue;
            needed[static_cast<size_t>(st)] = true;
            const int h = st & -st;
            stack.push_back(st - h);
            stack.push_back(st + h);
        }
    }
    return needed;
}

double FrameSelection::maxErrorSeconds() const {
    int64_t longest = 0;
    for (size_t i = 1; i < m_pts.size(); ++i) longest = std::max(longest, m_pts[i] - m_pts[i - 1]);
    // Half a grid step of the longest pair.
    return static_cast<double>(longest) * m_timeBase.toDouble() / static_cast<double>(int64_t(2) << m_depth);
}

}  // namespace vfi::pipeline
