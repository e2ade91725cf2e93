#include "vfi/frame_interpolator.h"

namespace vfi {
// Replaced by the TLB-VFI port (issue 3).
Result<std::unique_ptr<FrameInterpolator>> createTlbvfiInterpolator(const ModelOptions&) {
    return makeError(ErrorCode::ModelError, "the TLB-VFI backend is not built in this version");
}
}  // namespace vfi
