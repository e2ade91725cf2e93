#include "vfi/job_settings.h"

namespace vfi {

const char* backendName(Backend b) { return b == Backend::Blend ? "blend" : "tlbvfi"; }

std::optional<Backend> parseBackend(const std::string& s) {
    if (s == "tlbvfi") return Backend::Tlbvfi;
    if (s == "blend") return Backend::Blend;
    return std::nullopt;
}

const char* verifyDepthName(VerifyDepth d) { return d == VerifyDepth::Full ? "full" : "quick"; }

std::optional<VerifyDepth> parseVerifyDepth(const std::string& s) {
    if (s == "quick") return VerifyDepth::Quick;
    if (s == "full") return VerifyDepth::Full;
    return std::nullopt;
}

}  // namespace vfi
