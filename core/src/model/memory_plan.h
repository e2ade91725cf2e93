// Memory plan of one model (issue 3, item 6): how the full-resolution stages are tiled.
// Tiling is exact: row bands with halos for the convolutions, whole-image GroupNorm statistics
// gathered in separate passes, nothing sampled per band, no blending. So a plan changes memory and
// time, never the result (equal to the untiled run within float rounding of the statistics).
#pragma once

#include <algorithm>
#include <cstdint>

namespace vfi::model {

struct MemoryPlan {
    // Whole-process budget in bytes the caller wants to stay under; 0 = untiled (the reference's
    // order of operations). The band height of a stage follows from it, its width and channels.
    int64_t budgetBytes = 0;
    // Tests and benchmarks: force this band height (rows at the stage's own resolution) whatever the
    // budget; 0 = derive from the budget.
    int64_t forceBandRows = 0;
    // Bytes of one activation value: 4 in fp32, 2 when the model runs in fp16 / bf16 (autocast), so
    // a reduced-precision run gets bands twice as tall for the same budget (fewer bands, fewer
    // halo rows recomputed, fewer statistics passes per band).
    int64_t activationBytes = 4;

    bool tiled() const { return budgetBytes > 0 || forceBandRows > 0; }
};

// Band height for a stage of `height` x `width` pixels whose band working set holds about
// `liveTensors` tensors of `channels` channels of `elementBytes` each (0: the plan's activation
// size). A quarter of the budget goes to the band working set (the rest: weights, kept features,
// frame queues). Returns 0 (run untiled) when the plan is untiled or the whole stage fits in one band.
inline int64_t bandRowsFor(const MemoryPlan& plan, int64_t height, int64_t width, int64_t channels,
                           int64_t liveTensors = 10, int64_t elementBytes = 0) {
    if (plan.forceBandRows > 0) {
        return plan.forceBandRows >= height ? 0 : plan.forceBandRows;
    }
    if (plan.budgetBytes <= 0) {
        return 0;
    }
    const int64_t bytes = elementBytes > 0 ? elementBytes : std::max<int64_t>(1, plan.activationBytes);
    const int64_t perRow = std::max<int64_t>(1, width * channels * bytes * liveTensors);
    const int64_t rows = std::max<int64_t>(16, plan.budgetBytes / 4 / perRow);
    return rows >= height ? 0 : rows;
}

}  // namespace vfi::model
