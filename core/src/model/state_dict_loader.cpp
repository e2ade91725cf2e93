// Strict state-dict loading and PyTorch-ordered key listing (declared in checkpoint_reader.h).
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "checkpoint_reader.h"

namespace vfi::model {
namespace {

void collect(const torch::nn::Module& m, const std::string& prefix, NamedTensors& out,
             const std::function<bool(const std::string&)>& isNonPersistent) {
    for (const auto& p : m.named_parameters(/*recurse=*/false))
        if (p.value().defined()) out.emplace_back(prefix + p.key(), p.value());
    for (const auto& b : m.named_buffers(/*recurse=*/false)) {
        const std::string name = prefix + b.key();
        if (b.value().defined() && !(isNonPersistent && isNonPersistent(name))) out.emplace_back(name, b.value());
    }
    for (const auto& c : m.named_children()) collect(*c.value(), prefix + c.key() + ".", out, isNonPersistent);
}

std::string shapeText(const torch::Tensor& t) {
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}

bool dtypesCompatible(const torch::Tensor& a, const torch::Tensor& b) {
    auto cls = [](const torch::Tensor& t) {
        if (t.scalar_type() == torch::kBool) return 0;
        return t.is_floating_point() ? 1 : 2;
    };
    return cls(a) == cls(b);
}

// Same storage and view, or (written separately) identical values.
bool sameTensor(const torch::Tensor& a, const torch::Tensor& b) {
    if (a.sizes() != b.sizes() || a.scalar_type() != b.scalar_type()) return false;
    if (a.storage().is_alias_of(b.storage()) && a.storage_offset() == b.storage_offset() && a.strides() == b.strides())
        return true;
    return torch::equal(a, b);
}

void appendList(std::string& msg, const char* title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    msg += " " + std::to_string(items.size()) + " " + title + ": ";
    for (size_t i = 0; i < items.size() && i < 10; ++i) msg += (i ? ", " : "") + items[i];
    if (items.size() > 10) msg += ", …";
    msg += ".";
}

}  // namespace

bool isDefaultNonPersistent(const std::string& key) {
    static const std::string kSuffix = "rel_pos_indices";
    return key.size() >= kSuffix.size() && key.compare(key.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0 &&
           (key.size() == kSuffix.size() || key[key.size() - kSuffix.size() - 1] == '.');
}

NamedTensors stateDictEntries(const torch::nn::Module& module,
                              const std::function<bool(const std::string&)>& isNonPersistent) {
    NamedTensors out;
    collect(module, "", out, isNonPersistent);
    return out;
}

NamedTensors appendAliasEntries(NamedTensors entries, const std::string& targetPrefix, const std::string& aliasPrefix) {
    const size_t n = entries.size();
    for (size_t i = 0; i < n; ++i)
        if (entries[i].first.rfind(targetPrefix, 0) == 0)
            entries.emplace_back(aliasPrefix + entries[i].first.substr(targetPrefix.size()), entries[i].second);
    return entries;
}

Status loadStateDict(torch::nn::Module& module, const NamedTensors& entries, const LoadOptions& options) {
    const NamedTensors targets = stateDictEntries(module, options.isNonPersistent);
    std::unordered_map<std::string, size_t> targetIndex;
    for (size_t i = 0; i < targets.size(); ++i) targetIndex.emplace(targets[i].first, i);

    std::unordered_map<std::string, torch::Tensor> source;
    std::vector<std::string> duplicates;
    for (const auto& [k, t] : entries)
        if (!source.emplace(k, t).second) duplicates.push_back(k);

    std::vector<std::string> mismatched, unexpected, badAliases;
    if (options.ema) {
        for (const auto& [k, t] : *options.ema) {
            auto it = source.find(k);
            if (it == source.end()) unexpected.push_back(k + " (EMA)");
            else if (it->second.sizes() != t.sizes())
                mismatched.push_back(k + " (EMA " + shapeText(t) + " vs " + shapeText(it->second) + ")");
            else it->second = t;
        }
    }
    const std::set<std::string> ignored(options.ignoredKeys.begin(), options.ignoredKeys.end());

    for (const auto& [k, t0] : entries) {
        const torch::Tensor& t = source.at(k);
        auto ti = targetIndex.find(k);
        if (ti != targetIndex.end()) {
            const torch::Tensor& dst = targets[ti->second].second;
            if (dst.sizes() != t.sizes() || !dtypesCompatible(dst, t))
                mismatched.push_back(k + " (checkpoint " + shapeText(t) + " " + std::string(c10::toString(t.scalar_type())) +
                                     ", model " + shapeText(dst) + " " + c10::toString(dst.scalar_type()) + ")");
            continue;
        }
        if (ignored.count(k)) continue;
        if (!options.aliasPrefix.empty() && k.rfind(options.aliasPrefix, 0) == 0) {
            const std::string target = options.aliasTarget + k.substr(options.aliasPrefix.size());
            auto si = source.find(target);
            if (si != source.end() && targetIndex.count(target)) {
                if (!sameTensor(t0, si->second)) badAliases.push_back(k + " ≠ " + target);
                continue;
            }
        }
        unexpected.push_back(k);
    }
    std::vector<std::string> missing;
    for (const auto& [k, t] : targets)
        if (!source.count(k)) missing.push_back(k);

    if (!missing.empty() || !unexpected.empty() || !mismatched.empty() || !badAliases.empty() || !duplicates.empty()) {
        std::string msg = "The checkpoint does not match the model (nothing was loaded).";
        appendList(msg, "missing keys", missing);
        appendList(msg, "unexpected keys", unexpected);
        appendList(msg, "keys with a different shape or type", mismatched);
        appendList(msg, "aliases that differ from their target", badAliases);
        appendList(msg, "duplicate keys", duplicates);
        return makeError(ErrorCode::CheckpointInvalid, msg, {"", msg});
    }

    torch::NoGradGuard noGrad;
    for (const auto& [k, dst] : targets) {
        torch::Tensor d = dst;  // shares the module's tensor
        d.copy_(source.at(k));
    }
    return {};
}

}  // namespace vfi::model
