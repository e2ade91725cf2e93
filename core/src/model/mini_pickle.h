// A deliberately small pickle (protocol 2) interpreter for PyTorch checkpoints. LibTorch 1.13's
// torch::pickle_load cannot read state_dict OrderedDicts (pytorch#100741), so we read them ourselves.
// Only what torch.save writes for a dict of state dicts is accepted (model-spec §3); any other opcode
// or Python global is an error naming it, so foreign files (e.g. Lightning checkpoints) fail clearly.
// Tensors are NOT materialised here: _rebuild_tensor_v2 yields a TensorRef describing where the data
// lives, so the caller reads only the storages it needs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vfi/result.h"

namespace vfi::model::pickle {

struct Value;
// The root of a parsed pickle; it keeps every value of the pickle alive (they live in one arena owned
// by the parse, so a pickle whose containers hold each other (memo + APPEND/SETITEM) leaks nothing
// and freeing it never recurses). Values inside refer to each other by plain pointers.
using ValuePtr = std::shared_ptr<const Value>;

// Persistent storage reference: ('storage', torch.<Type>Storage, key, location, numel).
struct StorageRef {
    std::string typeName;   // "FloatStorage", "LongStorage", ...
    std::string key;        // record name under data/
    std::string location;   // "cpu", "cuda:0", ... (always mapped to CPU by the reader)
    int64_t numel = 0;
};

struct TensorRef {
    std::shared_ptr<StorageRef> storage;
    int64_t offset = 0;
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;
};

struct Value {
    enum class Kind { None, Bool, Int, Float, Str, Tuple, List, Dict, Global, Storage, Tensor };
    Kind kind = Kind::None;
    bool ordered = false;                 // Dict built from collections.OrderedDict
    bool b = false;
    int64_t i = 0;
    double f = 0.0;
    std::string s;                        // Str; Global "module.name"
    std::vector<Value*> items;            // Tuple, List (values of the same parse)
    std::vector<std::pair<Value*, Value*>> dict;   // Dict, insertion order
    std::shared_ptr<StorageRef> storage;  // Storage
    std::shared_ptr<TensorRef> tensor;    // Tensor

    // Dict lookup by string key; nullptr when absent or not a dict.
    const Value* get(std::string_view key) const;
};

const char* kindName(Value::Kind k);

// Parses a whole pickle. Errors carry ErrorCode::CheckpointInvalid and name the offending opcode
// (with its byte offset) or the Python global; `source` is used in messages.
Result<ValuePtr> parse(const uint8_t* data, size_t size, const std::string& source);

}  // namespace vfi::model::pickle
