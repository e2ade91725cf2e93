// Reading the official TLB-VFI checkpoint (vimeo_unet.pth: torch.save zip of
// {'step','model','epoch','ema'}) or a bare state dict, and strictly loading it into a module.
//
// Typical use (model code / parity tests):
//   VFI_ASSIGN_OR_RETURN(auto ckpt, readCheckpoint(path, {.weights = WeightSet::Model}));
//   VFI_TRY(loadStateDict(*model, ckpt.model));           // strict, all-or-nothing
//
// Reading is lazy: the pickle is parsed without touching tensor data, then only the storages that
// the chosen dictionaries reference are read, each once (aliases such as cond_stage_model.* share
// the vqgan.* storages, as in the file). Everything is mapped to CPU.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "vfi/result.h"

namespace vfi::model {

// Ordered (file order / state_dict order) name → tensor list.
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

enum class WeightSet {
    Model,  // 'model' as is (what the reference interpolate.py uses)
    Ema,    // 'model' with every denoise_fn.* tensor replaced by the 'ema' value (paper evaluation)
};

struct CheckpointReadOptions {
    WeightSet weights = WeightSet::Model;
    bool readEmaDict = false;   // also return the raw 'ema' dict in CheckpointData::ema
};

struct CheckpointData {
    NamedTensors model;          // the state dict to load (EMA already substituted for WeightSet::Ema)
    NamedTensors ema;            // 'ema' entries; filled for WeightSet::Ema or readEmaDict
    bool bareStateDict = false;  // the file was a state dict, not the {'model',...} layout
    bool emaApplied = false;
    std::optional<int64_t> step;
    std::optional<int64_t> epoch;
    std::vector<std::string> topLevelKeys;   // keys of the outer dict, in file order
    uint64_t contentHash = 0;    // hash of data.pkl + every storage read (weights identity)
    int64_t storageBytesRead = 0;
};

// Errors: CheckpointMissing (no such file), CheckpointInvalid (empty, not a zip, truncated/damaged
// zip, unsupported pickle opcode or Python global — named in the message —, a missing storage
// record, tensors out of bounds, no 'model'/'ema' where required).
Result<CheckpointData> readCheckpoint(const std::string& path, const CheckpointReadOptions& options = {});

// True for buffers PyTorch registers with persistent=False (not in state_dict()): MaxViT's
// rel_pos_indices. LibTorch has no such flag, so key listings and the loader skip these names.
bool isDefaultNonPersistent(const std::string& key);

struct LoadOptions {
    // Keys of the checkpoint that alias another key (same storage): "cond_stage_model.X" must equal
    // "vqgan.X". Loaded once through the target; the alias is verified and skipped.
    std::string aliasPrefix = "cond_stage_model.";
    std::string aliasTarget = "vqgan.";
    // Optional EMA dict: its tensors replace entries of the same name (all must exist there, same shape).
    const NamedTensors* ema = nullptr;
    std::function<bool(const std::string&)> isNonPersistent = isDefaultNonPersistent;
    // Checkpoint keys accepted and not loaded although the module lacks them (exact names). Empty by
    // default: strict.
    std::vector<std::string> ignoredKeys;
};

// Strict load: every persistent parameter/buffer of `module` must be in `entries` with the same
// shape and a compatible dtype (floating↔floating, integer↔integer), and every entry must belong to
// the module (or be a verified alias / ignored). Everything is checked before the first copy: on
// error nothing is modified. The error (ErrorCode::CheckpointInvalid) lists the first ten missing,
// unexpected and mis-shaped keys with counts.
Status loadStateDict(torch::nn::Module& module, const NamedTensors& entries, const LoadOptions& options = {});

// The module's state_dict() in PyTorch's order: per module its own parameters, its own buffers, then
// its children recursively in registration order; undefined tensors and non-persistent buffers skipped.
NamedTensors stateDictEntries(const torch::nn::Module& module,
                              const std::function<bool(const std::string&)>& isNonPersistent = isDefaultNonPersistent);

// Appends `aliasPrefix + X` for every `targetPrefix + X` entry, in order, sharing the tensors: the
// reference registers vqgan a second time as cond_stage_model, the C++ model registers it once.
// stateDictEntries + this reproduces the checkpoint's 1776-key list.
NamedTensors appendAliasEntries(NamedTensors entries, const std::string& targetPrefix = "vqgan.",
                                const std::string& aliasPrefix = "cond_stage_model.");

}  // namespace vfi::model
