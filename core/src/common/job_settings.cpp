#include "vfi/job_settings.h"

#include <cctype>
#include <numeric>

namespace vfi {

namespace {

// Digits only (no sign, no spaces), at most 9 of them.
std::optional<int64_t> digits(const std::string& s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    int64_t v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<Rational> parseFrameRate(const std::string& s) {
    int64_t num = 0, den = 1;
    if (const auto slash = s.find('/'); slash != std::string::npos) {
        auto n = digits(s.substr(0, slash)), d = digits(s.substr(slash + 1));
        if (!n || !d) return std::nullopt;
        num = *n;
        den = *d;
    } else {
        const auto dot = s.find('.');
        auto whole = digits(s.substr(0, dot));
        const std::string fraction = dot == std::string::npos ? "" : s.substr(dot + 1);
        if (!whole || (dot != std::string::npos && (fraction.empty() || fraction.size() > 6))) return std::nullopt;
        auto frac = fraction.empty() ? std::optional<int64_t>(0) : digits(fraction);
        if (!frac) return std::nullopt;
        for (size_t i = 0; i < fraction.size(); ++i) den *= 10;
        num = *whole * den + *frac;
        if (fraction.size() >= 2) {
            // An NTSC rate written as a decimal: F * 1000/1001 for the next integer F, cut or rounded.
            const int64_t f = (num + den - 1) / den;
            const int64_t scaled = f * 1000 * den;
            if (num != f * den && (num == scaled / 1001 || num == (2 * scaled + 1001) / 2002)) {
                num = f * 1000;
                den = 1001;
            }
        }
    }
    if (num <= 0 || den <= 0) return std::nullopt;
    const int64_t g = std::gcd(num, den);
    num /= g;
    den /= g;
    if (num > 10000 * den || num > 2000000000 || den > 2000000000) return std::nullopt;
    return Rational{static_cast<int>(num), static_cast<int>(den)};
}

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
