// Exact row-band tiling of the decoder's up levels without MaxViT self-attention (issue 3, item 6):
// at the official configuration these are the ½ to 1/16 resolution levels, the largest of which
// (level 0: 64 channels, a 256-channel context and MBConv / feed-forward expansions at ½ resolution)
// held the decoder's live-tensor peak. A tiled level is, band by band:
//   - the previous level's upsample (nearest x2 + conv3, halo) and the ResnetBlock(s) as a chain of
//     tiling::Stage (two-pass GroupNorm statistics);
//   - the cross-attention context: phi rows, and the warped phi rows (warps read the whole source and
//     write the band); the MBConv projection with halos for its depthwise conv3 and a two-pass
//     squeeze-excite (pass 1 sums the pre-SE activation over all bands, pass 2 applies the gate);
//   - block window attention + feed-forward on bands of whole windows (no halo: windows never cross
//     a band edge);
//   - grid window attention + feed-forward on groups of grid rows: grid window (x, y) holds the pixels
//     (w1·X + x, w2·Y + y), so a range of x gathers 8 row strips spread over the image; each group is
//     computed whole and scattered back.
// Only the level's input, the projected context and the attention output (layer-dim channels) are
// ever whole; nothing is sampled per band and nothing is blended.
#include <algorithm>
#include <cmath>

#include "decoder.h"
#include "tiled_blocks.h"
#include "tiling.h"
#include "warp.h"

namespace vfi::model {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

using tiling::Band;
using tiling::Stage;

namespace {

// VqUpsample (nearest x2 then conv3 p1) of a whole tensor, by output rows.
Stage upsampleStage(const torch::Tensor& low, nn::Conv2dImpl& conv) {
    const int64_t height = low.size(2) * 2;
    return {[low, &conv, height](int64_t a, int64_t b) {
                const int64_t ua = std::max<int64_t>(a - 1, 0), ub = std::min(b + 1, height);
                const int64_t ha = ua / 2, hb = (ub + 1) / 2;
                auto u = F::interpolate(low.slice(2, ha, hb), F::InterpolateFuncOptions()
                                                                   .scale_factor(std::vector<double>{2.0, 2.0})
                                                                   .mode(torch::kNearest));
                return tiling::conv3Rows({u.slice(2, ua - 2 * ha, ub - 2 * ha), ua, ub}, conv, a, b, height);
            },
            height};
}

// The decoder's cross-attention context of one level: cat(phi frame 0, phi frame 1) and, where the
// level takes the warped features (flows defined), their warps by the level's flows.
Stage contextStage(const torch::Tensor& phi, const torch::Tensor& flow0, const torch::Tensor& flow1) {
    const int64_t height = phi.size(2);
    return {[phi, flow0, flow1, height](int64_t a, int64_t b) {
                auto p0 = phi.slice(0, 0, 1);
                auto p1 = phi.slice(0, 1, 2);
                if (!flow0.defined()) {
                    return Band{torch::cat({p0.slice(2, a, b), p1.slice(2, a, b)}, 1), a, b};
                }
                auto w0 = warpRows(p0, flow0.slice(2, a, b), a, height);
                auto w1 = warpRows(p1, flow1.slice(2, a, b), a, height);
                return Band{torch::cat({p0.slice(2, a, b), p1.slice(2, a, b), w0, w1}, 1), a, b};
            },
            height};
}

// maxvit.py:MBConv (no residual): 1x1, BN, GELU, depthwise 3x3, BN, GELU, SqueezeExcitation, 1x1,
// BN. The SE gate needs the mean of its input over the whole image: gathered by a first pass.
torch::Tensor mbconvTiled(const Stage& in, nn::Sequential& proj, int64_t rows) {
    auto& expand = *proj[0]->as<nn::Conv2dImpl>();
    auto& bn1 = *proj[1]->as<nn::BatchNorm2dImpl>();
    auto& act1 = *proj[2]->as<nn::GELUImpl>();
    auto& depthwise = *proj[3]->as<nn::Conv2dImpl>();
    auto& bn2 = *proj[4]->as<nn::BatchNorm2dImpl>();
    auto& act2 = *proj[5]->as<nn::GELUImpl>();
    auto& se = *proj[6]->as<SqueezeExcitationImpl>();
    auto& project = *proj[7]->as<nn::Conv2dImpl>();
    auto& bn3 = *proj[8]->as<nn::BatchNorm2dImpl>();
    const int64_t height = in.height;
    auto preSe = [&](int64_t a, int64_t b) {
        const int64_t ea = std::max<int64_t>(a - 1, 0), eb = std::min(b + 1, height);
        auto t = act1.forward(bn1.forward(expand.forward(in.rows(ea, eb).x)));
        auto d = tiling::conv3Rows({t, ea, eb}, depthwise, a, b, height).x;
        return act2.forward(bn2.forward(d));
    };
    torch::Tensor sum;
    int64_t count = 0;
    for (int64_t r = 0; r < height; r += rows) {
        auto p = preSe(r, std::min(r + rows, height));
        auto s = p.sum({2, 3}, false, torch::kDouble);
        sum = sum.defined() ? sum + s : s;
        count += p.size(2) * p.size(3);
    }
    const int64_t channels = sum.size(1);
    // The gate's own mean over a 1x1 map is the identity: it sees the whole-image mean.
    auto mean = (sum / static_cast<double>(count)).to(expand.weight.scalar_type()).view({1, channels, 1, 1});
    auto gate = se.gate->forward(mean);
    torch::Tensor out;
    for (int64_t r = 0; r < height; r += rows) {
        const int64_t e = std::min(r + rows, height);
        auto band = bn3.forward(project.forward(preSe(r, e) * gate));
        if (!out.defined()) {
            auto sizes = band.sizes().vec();
            sizes[2] = height;
            out = torch::empty(sizes, band.options());
        }
        out.slice(2, r, e).copy_(band);
    }
    return out;
}

// Rows {w1·X + x : w1 < window, x0 <= x < x0 + m} of (1, C, window·X, W) as a (1, C, window·m, W)
// tensor whose grid layout is that of the full tensor restricted to grid rows x0 .. x0+m-1.
torch::Tensor gridRows(const torch::Tensor& t, int64_t window, int64_t x0, int64_t m) {
    const int64_t c = t.size(1), bigX = t.size(2) / window, w = t.size(3);
    return t.reshape({1, c, window, bigX, w}).narrow(3, x0, m).reshape({1, c, window * m, w});
}

}  // namespace

std::vector<std::pair<torch::Tensor, torch::Tensor>> FlowDecoderWithResidualImpl::contextFlows(
    const torch::Tensor& flow, size_t levels) {
    // The same resize chain as FlowRefineNetMultis::getContext, so the warps see the same flows.
    std::vector<std::pair<torch::Tensor, torch::Tensor>> out;
    auto f0 = flow.slice(1, 0, 2);
    auto f1 = flow.slice(1, 2, 4);
    for (size_t level = 0; level < levels; ++level) {
        if (level > 0) {
            f0 = resizeFlow(f0, 0.5);
            f1 = resizeFlow(f1, 0.5);
        }
        out.emplace_back(f0, f1);
    }
    return out;
}

torch::Tensor FlowDecoderWithResidualImpl::levelTiled(int64_t i, const torch::Tensor& hIn, VqUpsampleImpl* upIn,
                                                      const torch::Tensor& phi, const torch::Tensor& flow0,
                                                      const torch::Tensor& flow1, int64_t rows) {
    TORCH_CHECK(hIn.size(0) == 1 && phi.size(0) == 2, "tiled decoder level: batch 1 only");
    auto level = up[static_cast<size_t>(i)]->as<DecoderLevelImpl>();
    auto& xattn = *level->cross_attn;
    const auto window = static_cast<int64_t>(
        std::lround((std::sqrt(static_cast<double>(xattn.attn_block->fn->rel_pos_bias->options.num_embeddings())) + 1) /
                    2));
    // Bands of whole attention windows.
    rows = std::max<int64_t>(window, (rows + window - 1) / window * window);

    Stage cur = upIn != nullptr ? upsampleStage(hIn, *upIn->conv) : tiling::source(hIn);
    for (size_t k = 0; k < level->block->size(); ++k) {
        cur = tiling::resnetStage(cur, *level->block[k]->as<VqResnetBlockImpl>(), rows);
    }
    const int64_t height = cur.height;
    auto ctx = mbconvTiled(contextStage(phi, flow0, flow1), xattn.proj_in, rows);

    Stage blockAttn{[&](int64_t a, int64_t b) {
                        auto x = maxvitBlockIn(cur.rows(a, b).x, window);
                        auto c = maxvitBlockIn(ctx.slice(2, a, b), window);
                        x = xattn.attn_block->forward(x, c);
                        x = xattn.ff_block->forward(x);
                        return Band{maxvitBlockOut(x), a, b};
                    },
                    height};
    auto x = tiling::materialize(blockAttn, rows);
    cur = Stage{};  // the chain's statistics and captured input are no longer needed

    // A grid group reads and writes only its own rows: the result goes back into x in place.
    const int64_t bigX = height / window, group = std::max<int64_t>(1, rows / window);
    const int64_t c = x.size(1), w = x.size(3);
    for (int64_t x0 = 0; x0 < bigX; x0 += group) {
        const int64_t m = std::min(group, bigX - x0);
        auto xg = maxvitGridIn(gridRows(x, window, x0, m), window);
        auto cg = maxvitGridIn(gridRows(ctx, window, x0, m), window);
        xg = xattn.attn_grid->forward(xg, cg);
        xg = xattn.ff_grid->forward(xg);
        x.view({1, c, window, bigX, w}).narrow(3, x0, m).copy_(maxvitGridOut(xg).view({1, c, window, m, w}));
    }
    return x;
}

}  // namespace vfi::model
