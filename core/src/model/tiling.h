// Exact row-band tiling helpers for the full-resolution stages (issue 3, item 6; memory_plan.h).
// A Stage produces any rows [a, b) of a (1, C, H, W) tensor on demand, computing them from the rows
// its input stage produces (with halos), so a chain of stages never holds a whole image. GroupNorm
// needs whole-image statistics: a pass over the bands of its input gathers them first (GroupStats),
// then the bands are normalised with them. Batch 1 only.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "profiling.h"

namespace vfi::model::tiling {

// Rows [a, b) of a stage's output.
struct Band {
    torch::Tensor x;
    int64_t a = 0, b = 0;
};

struct Stage {
    std::function<Band(int64_t, int64_t)> rows;  // rows [a, b), 0 <= a < b <= height
    int64_t height = 0;
};

// Conv3x3 (padding 1, any groups) evaluated for output rows [a, b) from a band covering [a-1, b+1) ∩ [0, height):
// zero rows are added only where the band touches the image border, as the full conv would.
inline Band conv3Rows(const Band& in, torch::nn::Conv2dImpl& conv, int64_t a, int64_t b, int64_t height) {
    namespace F = torch::nn::functional;
    const int64_t top = in.a == 0 ? 1 : 0, bottom = in.b == height ? 1 : 0;
    auto x = (top + bottom) > 0 ? F::pad(in.x, F::PadFuncOptions({0, 0, top, bottom})) : in.x;
    auto y = F::conv2d(x, conv.weight,
                       F::Conv2dFuncOptions().bias(conv.bias).padding({0, 1}).groups(conv.options.groups()));
    const int64_t first = in.a - top + 1;  // image row of y's first row
    return {y.slice(2, a - first, b - first), a, b};
}

// GroupNorm over the whole image from per-group sums (double), applied as x * scale + shift.
class GroupStats {
public:
    explicit GroupStats(torch::nn::GroupNormImpl& gn) : m_gn(gn) {}
    // The sums stay on the band's device (double there as on the host: the same additions in the
    // same order), so a GPU is not stopped for a host copy after every band.
    void add(const torch::Tensor& x) {
        auto g = x.to(torch::kDouble).reshape({m_gn.options.num_groups(), -1});
        if (!m_sum.defined()) {
            m_sum = torch::zeros({g.size(0)}, g.options());
            m_sq = torch::zeros({g.size(0)}, g.options());
        }
        m_sum += g.sum(1);
        m_sq += (g * g).sum(1);
        m_count += g.size(1);
    }
    void finish() {
        prof::Stage sync(prof::kHostSync);
        m_sum = m_sum.cpu();
        m_sq = m_sq.cpu();
        const int64_t channels = m_gn.options.num_channels(), groups = m_gn.options.num_groups();
        auto mean = m_sum / static_cast<double>(m_count);
        auto var = (m_sq / static_cast<double>(m_count) - mean * mean).clamp_min(0);
        auto rstd = (var + m_gn.options.eps()).rsqrt();
        auto rstdC = rstd.repeat_interleave(channels / groups);
        auto meanC = mean.repeat_interleave(channels / groups);
        auto scale = m_gn.weight.to(torch::kCPU, torch::kDouble) * rstdC;
        auto shift = m_gn.bias.to(torch::kCPU, torch::kDouble) - meanC * scale;
        m_scale = scale.to(m_gn.weight.device(), m_gn.weight.scalar_type()).view({1, channels, 1, 1});
        m_shift = shift.to(m_gn.weight.device(), m_gn.weight.scalar_type()).view({1, channels, 1, 1});
    }
    torch::Tensor apply(const torch::Tensor& x) const { return x * m_scale + m_shift; }

private:
    torch::nn::GroupNormImpl& m_gn;
    torch::Tensor m_sum, m_sq, m_scale, m_shift;
    int64_t m_count = 0;
};

// A whole tensor as a stage.
inline Stage source(const torch::Tensor& x) {
    return {[x](int64_t a, int64_t b) { return Band{x.slice(2, a, b), a, b}; }, x.size(2)};
}

// Conv3x3 padding 1 over `in`.
inline Stage conv3(Stage in, torch::nn::Conv2dImpl& conv) {
    const int64_t h = in.height;
    return {[in, &conv, h](int64_t a, int64_t b) {
                return conv3Rows(in.rows(std::max<int64_t>(a - 1, 0), std::min(b + 1, h)), conv, a, b, h);
            },
            h};
}

// Whole-image statistics of `in` for `gn`, one pass over bands of `rows` rows.
inline std::shared_ptr<GroupStats> gatherStats(const Stage& in, torch::nn::GroupNormImpl& gn, int64_t rows) {
    auto stats = std::make_shared<GroupStats>(gn);
    for (int64_t r = 0; r < in.height; r += rows) {
        stats->add(in.rows(r, std::min(r + rows, in.height)).x);
    }
    stats->finish();
    return stats;
}

// GroupNorm with gathered statistics, then a pointwise activation, per band.
inline Stage normAct(Stage in, std::shared_ptr<GroupStats> stats,
                     std::function<torch::Tensor(const torch::Tensor&)> act) {
    const int64_t h = in.height;
    return {[in, stats, act](int64_t a, int64_t b) {
                auto band = in.rows(a, b);
                band.x = act(stats->apply(band.x));
                return band;
            },
            h};
}

// model.py:Downsample: zero pad (0,1,0,1), conv3 stride 2 no padding. Output row o reads input rows
// 2o .. 2o+2, the last of which may be the zero pad row.
inline Stage downsample(Stage in, torch::nn::Conv2dImpl& conv) {
    namespace F = torch::nn::functional;
    const int64_t hin = in.height;
    const int64_t hout = (hin + 1 - 3) / 2 + 1;
    return {[in, &conv, hin](int64_t a, int64_t b) {
                const int64_t ia = 2 * a, ib = std::min(2 * b + 1, hin);
                const int64_t bottom = 2 * b + 1 - ib;
                auto x = F::pad(in.rows(ia, ib).x, F::PadFuncOptions({0, 1, 0, bottom}));
                auto y = F::conv2d(x, conv.weight, F::Conv2dFuncOptions().bias(conv.bias).stride(2));
                return Band{y, a, b};
            },
            hout};
}

// Writes all rows of `stage` into one tensor, `rows` at a time.
inline torch::Tensor materialize(const Stage& stage, int64_t rows) {
    torch::Tensor out;
    for (int64_t r = 0; r < stage.height; r += rows) {
        const int64_t e = std::min(r + rows, stage.height);
        auto band = stage.rows(r, e).x;
        if (!out.defined()) {
            auto sizes = band.sizes().vec();
            sizes[2] = stage.height;
            out = torch::empty(sizes, band.options());
        }
        out.slice(2, r, e).copy_(band);
    }
    return out;
}

}  // namespace vfi::model::tiling
