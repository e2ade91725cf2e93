// NumPy .npy (format 1.0/2.0) reader for the golden reference data: little-endian <f4 / <i8 (plus
// <f8, <i4, |u1, |b1), C order. Returns a contiguous CPU tensor that owns its data.
#pragma once

#include <string>

#include <torch/types.h>

#include "vfi/result.h"

namespace vfi::model {

// Errors: ErrorCode::Io (cannot open / short read), ErrorCode::InvalidArgument (not an .npy file,
// unsupported dtype, Fortran order); the message names the file.
Result<torch::Tensor> readNpy(const std::string& path);

// Writes a contiguous CPU float32/int64 tensor as .npy 1.0 (debug dumps, test fixtures).
Status writeNpy(const std::string& path, const torch::Tensor& tensor);

}  // namespace vfi::model
