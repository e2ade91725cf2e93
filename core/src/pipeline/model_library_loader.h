// Loads libvfi_model (the TLB-VFI model and LibTorch) on first use; see model/model_library.h for why
// it is not linked. Search order, first existing file wins:
//   1. $VFI_MODEL_LIBRARY (a full path: packagers, tests of a relocated build); when set, only it;
//   2. next to the executable;
//   3. <executable>/../lib and <executable>/../<install libdir> (installed layout: bin/ and lib/);
//   4. the build tree's library (a build or test run from the build directory).
// Thread-safe; the library stays loaded until the process exits (its objects may outlive any caller).
#pragma once

#include "model/model_library.h"
#include "vfi/result.h"

namespace vfi::pipeline {

// The library's API, or ModelError naming every path tried and the loader's own message.
Result<const model::LibraryApi*> modelLibrary();

}  // namespace vfi::pipeline
