// The version of TLBVFI Studio (the project's CMake version), for --version and the download's
// User-Agent.
#pragma once

namespace vfi {

const char* versionString();

}  // namespace vfi
