#include "checkpoint_reader.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "mini_pickle.h"
#include "zip_directory.h"

namespace vfi::model {
namespace {

namespace fs = std::filesystem;
using pickle::Value;
using pickle::ValuePtr;

Error invalid(const std::string& path, const std::string& what) {
    return makeError(ErrorCode::CheckpointInvalid, "Checkpoint " + path + " cannot be read: " + what + ".",
                     {path, what});
}

std::string firstLine(const char* text) {
    std::string s(text);
    const auto nl = s.find('\n');
    return nl == std::string::npos ? s : s.substr(0, nl);
}

// Cheap 64-bit content hash (FNV-style over 8-byte words): identifies weights in fingerprints, not a
// cryptographic digest.
void hashBytes(uint64_t& h, const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
    h ^= n;
}

std::optional<torch::Dtype> storageDtype(const std::string& typeName) {
    static const std::map<std::string, torch::Dtype> kTypes = {
        {"FloatStorage", torch::kFloat32}, {"DoubleStorage", torch::kFloat64}, {"HalfStorage", torch::kFloat16},
        {"BFloat16Storage", torch::kBFloat16}, {"LongStorage", torch::kInt64}, {"IntStorage", torch::kInt32},
        {"ShortStorage", torch::kInt16}, {"CharStorage", torch::kInt8}, {"ByteStorage", torch::kUInt8},
        {"BoolStorage", torch::kBool}};
    auto it = kTypes.find(typeName);
    if (it == kTypes.end()) return std::nullopt;
    return it->second;
}

using RefList = std::vector<std::pair<std::string, std::shared_ptr<pickle::TensorRef>>>;

Result<RefList> tensorRefs(const std::string& path, const Value& dict, const std::string& what) {
    RefList out;
    out.reserve(dict.dict.size());
    for (const auto& [k, v] : dict.dict) {
        if (k->kind != Value::Kind::Str)
            return invalid(path, what + " has a key of type " + pickle::kindName(k->kind));
        if (v->kind != Value::Kind::Tensor)
            return invalid(path, what + " entry '" + k->s + "' is a " + pickle::kindName(v->kind) + ", not a tensor");
        out.emplace_back(k->s, v->tensor);
    }
    return out;
}

class Materialiser {
public:
    Materialiser(caffe2::serialize::PyTorchStreamReader& reader, const std::string& path, uint64_t& hash)
        : m_reader(reader), m_path(path), m_hash(hash) {}

    Result<torch::Tensor> tensor(const std::string& key, const pickle::TensorRef& ref) {
        const auto dtype = storageDtype(ref.storage->typeName);
        if (!dtype) return invalid(m_path, "tensor '" + key + "' uses unsupported storage type " + ref.storage->typeName);
        VFI_ASSIGN_OR_RETURN(c10::Storage storage, load(*ref.storage, *dtype));
        int64_t last = ref.offset;
        bool empty = false;
        for (size_t d = 0; d < ref.sizes.size(); ++d) {
            if (ref.sizes[d] < 0 || ref.strides[d] < 0)
                return invalid(m_path, "tensor '" + key + "' has a negative size or stride");
            if (ref.sizes[d] == 0) empty = true;
            else last += (ref.sizes[d] - 1) * ref.strides[d];
        }
        if (ref.offset < 0 || (!empty && last >= ref.storage->numel))
            return invalid(m_path, "tensor '" + key + "' lies outside its storage '" + ref.storage->key + "'");
        return torch::empty({0}, torch::TensorOptions().dtype(*dtype)).set_(storage, ref.offset, ref.sizes, ref.strides);
    }

    int64_t bytesRead() const { return m_bytes; }

private:
    Result<c10::Storage> load(const pickle::StorageRef& s, torch::Dtype dtype) {
        auto it = m_cache.find(s.key);
        if (it != m_cache.end()) return it->second;
        const std::string record = "data/" + s.key;
        if (!m_reader.hasRecord(record)) return invalid(m_path, "storage record '" + record + "' is missing");
        at::DataPtr data;
        size_t size = 0;
        try {
            std::tie(data, size) = m_reader.getRecord(record);
        } catch (const c10::Error& e) {
            return invalid(m_path, "storage record '" + record + "' is damaged (" + firstLine(e.what_without_backtrace()) + ")");
        }
        const size_t expected = static_cast<size_t>(s.numel) * c10::elementSize(dtype);
        if (size != expected)
            return invalid(m_path, "storage record '" + record + "' has " + std::to_string(size) + " bytes, expected " +
                                       std::to_string(expected));
        hashBytes(m_hash, data.get(), size);
        m_bytes += static_cast<int64_t>(size);
        c10::Storage storage(c10::Storage::use_byte_size_t(), size, std::move(data), nullptr, false);
        m_cache.emplace(s.key, storage);
        return storage;
    }

    caffe2::serialize::PyTorchStreamReader& m_reader;
    const std::string& m_path;
    uint64_t& m_hash;
    std::map<std::string, c10::Storage> m_cache;
    int64_t m_bytes = 0;
};

Result<NamedTensors> materialise(Materialiser& m, const RefList& refs) {
    NamedTensors out;
    out.reserve(refs.size());
    for (const auto& [k, ref] : refs) {
        VFI_ASSIGN_OR_RETURN(torch::Tensor t, m.tensor(k, *ref));
        out.emplace_back(k, std::move(t));
    }
    return out;
}

Status checkFileHeader(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return makeError(ErrorCode::CheckpointMissing, "Checkpoint " + path + " does not exist.", {path});
    if (fs::is_directory(path, ec)) return invalid(path, "it is a directory");
    const auto size = fs::file_size(path, ec);
    if (ec) return invalid(path, "its size cannot be read (" + ec.message() + ")");
    if (size == 0) return invalid(path, "the file is empty (0 bytes)");
    std::ifstream in(path, std::ios::binary);
    unsigned char magic[4] = {0, 0, 0, 0};
    in.read(reinterpret_cast<char*>(magic), 4);
    if (!in) return invalid(path, "the file is too short to be a zip archive");
    if (std::memcmp(magic, "PK\x03\x04", 4) == 0) return {};
    if (magic[0] == 0x80)
        return invalid(path, "it is in the legacy (non-zip) torch.save format; re-save it with "
                             "torch.save(obj, path) from PyTorch >= 1.6");
    return invalid(path, "it is not a zip archive (PyTorch checkpoints are zip files)");
}

}  // namespace

Result<CheckpointData> readCheckpoint(const std::string& path, const CheckpointReadOptions& options) {
    VFI_TRY(checkFileHeader(path));
    if (auto dir = checkZipDirectory(path); !dir) return invalid(path, dir.error().message);
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
    at::DataPtr pkl;
    size_t pklSize = 0;
    try {
        reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
        if (!reader->hasRecord("data.pkl"))
            return invalid(path, "the zip archive has no data.pkl record (not a torch.save checkpoint)");
        std::tie(pkl, pklSize) = reader->getRecord("data.pkl");
    } catch (const c10::Error& e) {
        return invalid(path, "the zip archive is truncated or damaged (" + firstLine(e.what_without_backtrace()) + ")");
    }

    VFI_ASSIGN_OR_RETURN(ValuePtr root, pickle::parse(static_cast<const uint8_t*>(pkl.get()), pklSize, path));
    if (root->kind != Value::Kind::Dict)
        return invalid(path, std::string("the checkpoint holds a ") + pickle::kindName(root->kind) + ", not a dict");

    CheckpointData out;
    uint64_t hash = 0xcbf29ce484222325ULL;
    hashBytes(hash, pkl.get(), pklSize);
    for (const auto& [k, v] : root->dict)
        out.topLevelKeys.push_back(k->kind == Value::Kind::Str ? k->s : std::string("<") + pickle::kindName(k->kind) + ">");

    const Value* modelDict = root->get("model");
    const Value* stateDict = nullptr;
    if (modelDict && modelDict->kind == Value::Kind::Dict) {
        stateDict = modelDict;
        if (auto s = root->get("step"); s && s->kind == Value::Kind::Int) out.step = s->i;
        if (auto e = root->get("epoch"); e && e->kind == Value::Kind::Int) out.epoch = e->i;
    } else {
        bool allTensors = !root->dict.empty();
        for (const auto& kv : root->dict) allTensors = allTensors && kv.second->kind == Value::Kind::Tensor;
        if (!allTensors) {
            std::string keys;
            for (size_t i = 0; i < out.topLevelKeys.size() && i < 10; ++i) keys += (i ? ", " : "") + out.topLevelKeys[i];
            return invalid(path, "it has neither a 'model' state dict nor is it a bare state dict (top-level keys: " +
                                     keys + ")");
        }
        stateDict = root.get();
        out.bareStateDict = true;
    }
    VFI_ASSIGN_OR_RETURN(RefList modelRefs, tensorRefs(path, *stateDict, "the 'model' state dict"));

    const bool wantEma = options.weights == WeightSet::Ema || options.readEmaDict;
    RefList emaRefs;
    if (wantEma) {
        const Value* ema = out.bareStateDict ? nullptr : root->get("ema");
        if (!ema || ema->kind != Value::Kind::Dict)
            return invalid(path, "EMA weights were requested but the checkpoint has no 'ema' dict");
        VFI_ASSIGN_OR_RETURN(emaRefs, tensorRefs(path, *ema, "the 'ema' dict"));
    }
    if (options.weights == WeightSet::Ema) {
        std::map<std::string, size_t> index;
        for (size_t i = 0; i < modelRefs.size(); ++i) index.emplace(modelRefs[i].first, i);
        for (const auto& [k, ref] : emaRefs) {
            auto it = index.find(k);
            if (it == index.end()) return invalid(path, "EMA key '" + k + "' is not in the 'model' state dict");
            if (modelRefs[it->second].second->sizes != ref->sizes)
                return invalid(path, "EMA tensor '" + k + "' has a different shape than in 'model'");
            // Replaced before materialisation, so the raw UNet storages are never read.
            modelRefs[it->second].second = ref;
        }
        out.emaApplied = true;
    }

    try {
        Materialiser mat(*reader, path, hash);
        VFI_ASSIGN_OR_RETURN(out.model, materialise(mat, modelRefs));
        if (wantEma) {
            VFI_ASSIGN_OR_RETURN(out.ema, materialise(mat, emaRefs));
        }
        out.storageBytesRead = mat.bytesRead();
    } catch (const c10::Error& e) {
        return invalid(path, firstLine(e.what_without_backtrace()));
    }
    out.contentHash = hash;
    return out;
}

}  // namespace vfi::model
