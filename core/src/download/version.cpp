#include "vfi/version.h"

namespace vfi {

const char* versionString() { return VFI_VERSION; }

}  // namespace vfi
