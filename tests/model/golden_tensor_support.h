// Tensor helpers of the parity suites (LibTorch; kept apart from golden_support.h so suites that do
// not include <torch/torch.h> stay cheap to compile).
#pragma once

#include <torch/torch.h>

#include <QJsonObject>

#include <limits>

#include "golden_support.h"
#include "model/model_config.h"

namespace vfi::test {

// Largest |a - b| in double; infinity when either is undefined or the shapes differ, so a shape
// mismatch fails every tolerance.
inline double maxAbs(const torch::Tensor& a, const torch::Tensor& b) {
    if (!a.defined() || !b.defined() || a.sizes() != b.sizes()) {
        return std::numeric_limits<double>::infinity();
    }
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

// A case's recommended absolute tolerance for `tensor` (case.json → recommended_tolerances: "atol",
// or 0 for "exact"). NaN when the case does not give one, so `d <= tol` fails rather than passes:
// each case has its own, some tighter than the README's table (the loosest across cases).
inline double caseTolerance(const QJsonObject& caseJson, const char* tensor) {
    const QJsonObject t = caseJson.value("recommended_tolerances").toObject().value(tensor).toObject();
    if (t.value("exact").toBool()) return 0.0;
    return t.contains("atol") ? t.value("atol").toDouble() : std::numeric_limits<double>::quiet_NaN();
}

// The golden cases' reduced-width configuration (shared/golden/tiny-config.json, section "tiny"):
// the official one with ch = 8.
inline model::VqganConfig tinyVqganConfig() {
    model::VqganConfig c;
    c.ch = 8;
    return c;
}

inline model::TlbvfiConfig tinyConfig() {
    model::TlbvfiConfig c;
    c.vqgan = tinyVqganConfig();
    return c;
}

}  // namespace vfi::test
