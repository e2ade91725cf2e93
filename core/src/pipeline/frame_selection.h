// Target frame rate (--fps, JobSettings::targetFps): which output frames exist, when they are shown
// and which bisection frame each one shows. The model makes midpoints only, so a job renders on the
// bisection grid of the smallest factor 2^depth that reaches the target and places output frame n,
// shown at the ideal time T_n = p_0 + n / rate, on the grid point nearest to T_n (ties: the later).
// Only the grid points that some output shows, and the ones they are bisected from, are generated.
//
// All arithmetic is exact (integers in source ticks): nothing accumulates, so frame 2,000,000 is
// placed as exactly as frame 1. Units: pts and durations in the source time base ("ticks"); output
// pts in outputTimeBase() = 1 / rate, where output frame n has pts n (a constant-rate stream).
//
// Output frames: n = 0 .. M-1 with M = round((E - p_0) · rate), E = p_{N-1} + last duration (the
// source's end): a frame exists when at least half of its display interval lies inside the source,
// so the video ends within half an output frame of the source's (and the audio's) end.
//
// Source ownership: output n belongs to pair i when p_i <= T_n < p_{i+1}, to the final source frame
// when T_n >= p_{N-1}; it shows a point of that pair (or frame i+1 itself when that is nearest).
// Variable frame rate: the same rules on the real timestamps; depth comes from the average rate,
// so a pair longer than average has a coarser grid (error up to its length / 2^(depth+1)) and two
// outputs may show the same frame; a pair shorter than 1/rate may show none of its frames.
//
// Immutable after plan(); thread-safe for concurrent readers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vfi/media_info.h"
#include "vfi/result.h"

namespace vfi::pipeline {

// A point of the bisection grid: `step` / 2^depth of the way from source frame `pair` to the next.
// step 0 is source frame `pair` itself, step 2^depth source frame `pair` + 1.
struct BisectionPoint {
    int64_t pair = 0;
    int step = 0;
    bool operator==(const BisectionPoint&) const = default;
};

class FrameSelection {
public:
    FrameSelection() = default;

    // InvalidArgument when the rate is not above the source's (average) rate, more than 8x it, or
    // the source has fewer than two frames; the message names both rates.
    static Result<FrameSelection> plan(std::vector<int64_t> sourcePts, int64_t lastDuration, Rational timeBase, Rational rate);

    // Exact rate of a constant-frame-rate source (every interval equal), else {0, 1}.
    static Rational constantRate(const std::vector<int64_t>& sourcePts, Rational timeBase);
    // 2^k when rate is exactly 2^k (k = 1..3) times the rate of a constant-frame-rate source, else 0:
    // such a job is the plain factor job.
    static int exactFactor(const std::vector<int64_t>& sourcePts, Rational timeBase, Rational rate);

    int depth() const { return m_depth; }
    int factor() const { return 1 << m_depth; }
    Rational rate() const { return m_rate; }
    Rational outputTimeBase() const { return {m_rate.den, m_rate.num}; }
    int64_t sourceFrames() const { return static_cast<int64_t>(m_pts.size()); }
    int64_t outputFrames() const { return m_outputs; }

    // First output frame owned by source frame i (i = N: outputFrames()); clamped to outputFrames().
    int64_t firstOutputOf(int64_t sourceFrame) const;
    // The grid point output frame n shows.
    BisectionPoint pick(int64_t outputIndex) const;
    // Grid steps of pair i the model must make: needed[step] for step 1 .. 2^depth-1 (size 2^depth+1;
    // the ends are source frames and stay false). The points its outputs show plus every point they
    // are bisected from.
    std::vector<bool> neededSteps(int64_t pair) const;

    // Largest distance, in seconds, between an output frame's time and the time of what it shows,
    // over the whole job (frames held after the last source frame excluded: the source shows that
    // frame there too).
    double maxErrorSeconds() const;
    // "23.976 fps (24000/1001)"; "60 fps".
    static std::string describe(Rational rate);

private:
    std::vector<int64_t> m_pts;
    int64_t m_lastDuration = 1;
    Rational m_timeBase;
    Rational m_rate;
    int m_depth = 1;
    int64_t m_outputs = 0;
    // One output frame lasts m_stepNum / m_stepDen ticks (reduced).
    int64_t m_stepNum = 1;
    int64_t m_stepDen = 1;
};

}  // namespace vfi::pipeline
