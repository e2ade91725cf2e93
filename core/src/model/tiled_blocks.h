// Row-band forms of blocks that both tiled passes use (encoder_tiled.cpp, decoder_tiled.cpp).
#pragma once

#include "tiling.h"
#include "vq_blocks.h"

namespace vfi::model::tiling {

// VqResnetBlock (GN → swish → conv3 → GN → swish → conv3, + shortcut) over a banded stage: whole-image
// GroupNorm statistics first, then rows on demand.
inline Stage resnetStage(Stage in, VqResnetBlockImpl& blk, int64_t rows) {
    auto s1 = gatherStats(in, *blk.norm1, rows);
    auto c1 = conv3(normAct(in, s1, swish), *blk.conv1);
    auto s2 = gatherStats(c1, *blk.norm2, rows);
    auto c2 = conv3(normAct(c1, s2, swish), *blk.conv2);
    const bool shortcut = blk.conv1->options.in_channels() != blk.conv2->options.out_channels();
    VqResnetBlockImpl* block = &blk;
    return {[in, c2, shortcut, block](int64_t a, int64_t b) {
                auto h = c2.rows(a, b);
                auto x = in.rows(a, b).x;
                h.x = shortcut ? h.x + block->nin_shortcut->forward(x) : h.x + x;
                return h;
            },
            in.height};
}

}  // namespace vfi::model::tiling
