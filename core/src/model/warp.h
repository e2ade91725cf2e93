// VFI/archs/warplayer.py:warp — backward warping with the reference's grid: linspace(-1, 1) per axis
// plus the flow scaled by ((size - 1) / 2), grid_sample(bilinear, border, align_corners=True).
#pragma once

#include <torch/torch.h>

namespace vfi::model {

// input (B, C, Hi, Wi), flow (B, 2, H, W) in pixels of the input; returns (B, C, H, W).
torch::Tensor warp(const torch::Tensor& input, const torch::Tensor& flow);

// Rows [firstRow, firstRow + flowRows.size(2)) of warp(input, flow) for a flow of `fullHeight` rows:
// the whole source is read (the flow reaches anywhere), only the band is written. Same grid values
// as the whole warp (the linspace is built for the full height, then sliced), so bands are exact.
torch::Tensor warpRows(const torch::Tensor& input, const torch::Tensor& flowRows, int64_t firstRow,
                       int64_t fullHeight);

// F.interpolate(x, scale_factor=s, mode="bilinear", align_corners=False) with the scale factor
// passed through to the kernel (Python's default recompute_scale_factor=None).
torch::Tensor resizeBilinear(const torch::Tensor& x, double scale);

// resizeBilinear(flow, s) * s: the flow pyramid step used by IFNet and the refinement.
torch::Tensor resizeFlow(const torch::Tensor& flow, double scale);

}  // namespace vfi::model
