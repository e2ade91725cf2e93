#pragma once
// The declared sizes in a zip archive's central directory, checked against the file before LibTorch
// reads a record. PyTorchStreamReader::getRecord allocates a record's declared uncompressed size
// before it reads a byte, so a 4 KB file declaring a 4 GB data.pkl ran the process out of memory
// (fuzz_checkpoint). torch.save writes stored (uncompressed) records; those must lie inside the
// file, and a deflated record may not claim more than deflate can expand to.

#include <cstdint>
#include <string>

#include "vfi/result.h"

namespace vfi::model {

// The largest uncompressed size the archive declares for any record, or why the directory cannot be
// trusted (message without the file name: the caller says which checkpoint).
Result<uint64_t> checkZipDirectory(const std::string& path);

}  // namespace vfi::model
