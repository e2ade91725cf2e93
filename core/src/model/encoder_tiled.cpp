// Exact row-band tiling of the encoder's down path (FIEncoder::downPathTiled; issue 3, item 6).
// A level = ResnetBlock(s) (GN → swish → conv3 → GN → swish → conv3, + shortcut) then the stride-2
// downsample. Tiled, the level becomes a chain of tiling::Stage: each GroupNorm's whole-image
// statistics are gathered by a pass over the bands of its input (recomputing the chain up to it),
// then the final pass writes the downsampled output band by band. Only the level outputs (each a
// quarter of the level's input pixels) are ever whole; conv_in's 64-channel full-resolution output
// is materialised only when the caller keeps it (phi_list[0], read by the scale = 1 refinement).
// Levels with MaxViT attention (grid attention reaches across the image) run untiled; they sit at
// 1/16 of the resolution.
#include <algorithm>

#include "encoder.h"
#include "tiled_blocks.h"
#include "tiling.h"

namespace vfi::model {

FrameFeatures FIEncoderImpl::downPathTiled(const torch::Tensor& frame, size_t depth, bool keepFirst) {
    FrameFeatures feats;
    tiling::Stage cur;
    torch::Tensor curWhole;  // defined when `cur` is a whole tensor
    const int64_t width = frame.size(3);
    const int64_t ch0 = conv_in->options.out_channels();
    if (keepFirst || bandRowsFor(m_memoryPlan, frame.size(2), width, ch0) == 0) {
        curWhole = conv_in(frame);
        feats.push_back(curWhole);
        cur = tiling::source(curWhole);
    } else {
        feats.emplace_back();
        cur = tiling::conv3(tiling::source(frame), *conv_in);
    }
    int64_t levelWidth = width;
    for (size_t level = 0; level < down->size() && feats.size() < depth; ++level) {
        auto lvl = down[level]->as<EncoderLevelImpl>();
        const int64_t channels =
            std::max(lvl->block[0]->as<VqResnetBlockImpl>()->conv1->options.in_channels(),
                     lvl->block[0]->as<VqResnetBlockImpl>()->conv1->options.out_channels());
        const int64_t rows = lvl->attn->is_empty() ? bandRowsFor(m_memoryPlan, cur.height, levelWidth, channels) : 0;
        if (rows == 0) {
            auto h = curWhole.defined() ? curWhole : cur.rows(0, cur.height).x;
            for (size_t i = 0; i < lvl->block->size(); ++i) {
                h = lvl->block[i]->as<VqResnetBlockImpl>()->forward(h);
                if (!lvl->attn->is_empty()) {
                    h = lvl->attn[i]->as<MaxAttentionBlockImpl>()->forward(h);
                }
            }
            curWhole = lvl->downsample(h);
        } else {
            for (size_t i = 0; i < lvl->block->size(); ++i) {
                cur = tiling::resnetStage(cur, *lvl->block[i]->as<VqResnetBlockImpl>(), rows);
            }
            auto out = tiling::downsample(cur, *lvl->downsample->conv);
            curWhole = tiling::materialize(out, std::max<int64_t>(1, rows / 2));
        }
        feats.push_back(curWhole);
        cur = tiling::source(curWhole);
        levelWidth = curWhole.size(3);
    }
    return feats;
}

}  // namespace vfi::model
