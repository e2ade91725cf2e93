#include "mini_pickle.h"

#include <cstring>
#include <deque>
#include <map>
#include <unordered_map>

namespace vfi::model::pickle {

const Value* Value::get(std::string_view key) const {
    if (kind != Kind::Dict) return nullptr;
    for (const auto& [k, v] : dict)
        if (k && k->kind == Kind::Str && k->s == key) return v;
    return nullptr;
}

const char* kindName(Value::Kind k) {
    switch (k) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return "bool";
    case Value::Kind::Int: return "int";
    case Value::Kind::Float: return "float";
    case Value::Kind::Str: return "str";
    case Value::Kind::Tuple: return "tuple";
    case Value::Kind::List: return "list";
    case Value::Kind::Dict: return "dict";
    case Value::Kind::Global: return "global";
    case Value::Kind::Storage: return "storage";
    case Value::Kind::Tensor: return "tensor";
    }
    return "?";
}

namespace {

const char* const kStorageTypes[] = {"FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage",
                                     "LongStorage",  "IntStorage",    "ShortStorage", "CharStorage",
                                     "ByteStorage",  "BoolStorage"};

bool isAllowedGlobal(const std::string& module, const std::string& name) {
    if (module == "collections" && name == "OrderedDict") return true;
    if (module == "torch._utils" && name == "_rebuild_tensor_v2") return true;
    if (module == "torch")
        for (const char* t : kStorageTypes)
            if (name == t) return true;
    return false;
}

// Every value of one parse; owned together, so references between values may form cycles.
using Arena = std::deque<Value>;

class Parser {
public:
    Parser(const uint8_t* d, size_t n, const std::string& src, Arena& arena) : m_d(d), m_n(n), m_src(src), m_arena(arena) {}

    Result<Value*> run() {
        while (true) {
            if (m_pos >= m_n) return fail("the pickle ends without a STOP opcode (truncated data.pkl)");
            m_opPos = m_pos;
            const uint8_t op = m_d[m_pos++];
            Status st = step(op);
            if (!st) return st.takeError();
            if (m_stopped) break;
        }
        if (m_stack.size() != 1) return fail("the pickle leaves " + std::to_string(m_stack.size()) +
                                             " values on the stack (expected 1)");
        return m_stack.back();
    }

private:
    Value* make(Value::Kind k) {
        m_arena.emplace_back();
        m_arena.back().kind = k;
        return &m_arena.back();
    }
    Error fail(const std::string& what) const {
        return makeError(ErrorCode::CheckpointInvalid,
                         "Checkpoint " + m_src + " is not a supported PyTorch checkpoint: " + what + ".",
                         {m_src, what});
    }
    Error failAt(const std::string& what) const {
        return fail(what + " at byte " + std::to_string(m_opPos) + " of data.pkl");
    }

    bool need(size_t k) const { return m_pos + k <= m_n; }
    Error truncated() const { return failAt("truncated opcode argument"); }

    Result<uint64_t> readLe(int bytes) {
        if (!need(static_cast<size_t>(bytes))) return truncated();
        uint64_t v = 0;
        for (int b = 0; b < bytes; ++b) v |= static_cast<uint64_t>(m_d[m_pos + b]) << (8 * b);
        m_pos += static_cast<size_t>(bytes);
        return v;
    }
    Result<std::string> readLine() {
        size_t e = m_pos;
        while (e < m_n && m_d[e] != '\n') ++e;
        if (e >= m_n) return truncated();
        std::string s(reinterpret_cast<const char*>(m_d + m_pos), e - m_pos);
        m_pos = e + 1;
        return s;
    }
    Result<std::string> readBytes(uint64_t len) {
        if (len > m_n || !need(static_cast<size_t>(len))) return truncated();
        std::string s(reinterpret_cast<const char*>(m_d + m_pos), static_cast<size_t>(len));
        m_pos += static_cast<size_t>(len);
        return s;
    }
    Result<Value*> pop() {
        if (m_stack.empty() || (!m_marks.empty() && m_marks.back() >= m_stack.size()))
            return failAt("stack underflow");
        Value* v = m_stack.back();
        m_stack.pop_back();
        return v;
    }
    Result<std::vector<Value*>> popMark() {
        if (m_marks.empty()) return failAt("opcode needs a MARK but none is set");
        const size_t m = m_marks.back();
        m_marks.pop_back();
        std::vector<Value*> out(m_stack.begin() + static_cast<std::ptrdiff_t>(m), m_stack.end());
        m_stack.resize(m);
        return out;
    }
    Result<Value*> top(Value::Kind want, const char* opName) {
        if (m_stack.empty() || (!m_marks.empty() && m_marks.back() >= m_stack.size()))
            return failAt(std::string(opName) + " on an empty stack");
        if (m_stack.back()->kind != want)
            return failAt(std::string(opName) + " applied to a " + kindName(m_stack.back()->kind));
        return m_stack.back();
    }
    void push(Value* v) { m_stack.push_back(std::move(v)); }
    Status pushInt(int64_t i) {
        auto v = make(Value::Kind::Int);
        v->i = i;
        push(v);
        return {};
    }
    Status memoPut(uint64_t idx) {
        if (m_stack.empty()) return failAt("memo store on an empty stack");
        m_memo[idx] = m_stack.back();
        return {};
    }
    Status memoGet(uint64_t idx) {
        auto it = m_memo.find(idx);
        if (it == m_memo.end()) return failAt("memo index " + std::to_string(idx) + " was never stored");
        push(it->second);
        return {};
    }
    Status tuple(std::vector<Value*> items) {
        auto t = make(Value::Kind::Tuple);
        t->items = std::move(items);
        push(t);
        return {};
    }

    Status reduce() {
        VFI_ASSIGN_OR_RETURN(Value* args, pop());
        VFI_ASSIGN_OR_RETURN(Value* fn, pop());
        if (fn->kind != Value::Kind::Global || args->kind != Value::Kind::Tuple)
            return failAt("REDUCE of a " + std::string(kindName(fn->kind)) + " (only known globals are callable)");
        if (fn->s == "collections.OrderedDict") {
            if (!args->items.empty()) return failAt("collections.OrderedDict called with arguments");
            auto d = make(Value::Kind::Dict);
            d->ordered = true;
            push(d);
            return {};
        }
        if (fn->s == "torch._utils._rebuild_tensor_v2") return rebuildTensor(*args);
        return failAt("unsupported call of Python global '" + fn->s + "'");
    }

    Status rebuildTensor(const Value& args) {
        const auto& a = args.items;
        auto isIntTuple = [](const Value* v) {
            if (v->kind != Value::Kind::Tuple) return false;
            for (const auto& x : v->items)
                if (x->kind != Value::Kind::Int) return false;
            return true;
        };
        if (a.size() < 6 || a.size() > 7 || a[0]->kind != Value::Kind::Storage || a[1]->kind != Value::Kind::Int ||
            !isIntTuple(a[2]) || !isIntTuple(a[3]) || a[2]->items.size() != a[3]->items.size())
            return failAt("malformed torch._utils._rebuild_tensor_v2 arguments");
        if (a[5]->kind == Value::Kind::Dict && !a[5]->dict.empty())
            return failAt("tensor with backward hooks");
        auto t = std::make_shared<TensorRef>();
        t->storage = a[0]->storage;
        t->offset = a[1]->i;
        for (size_t k = 0; k < a[2]->items.size(); ++k) {
            t->sizes.push_back(a[2]->items[k]->i);
            t->strides.push_back(a[3]->items[k]->i);
        }
        auto v = make(Value::Kind::Tensor);
        v->tensor = std::move(t);
        push(v);
        return {};
    }

    Status persistentLoad() {
        VFI_ASSIGN_OR_RETURN(Value* pid, pop());
        const auto& it = pid->items;
        if (pid->kind != Value::Kind::Tuple || it.size() != 5 || it[0]->kind != Value::Kind::Str ||
            it[0]->s != "storage" || it[1]->kind != Value::Kind::Global || it[2]->kind != Value::Kind::Str ||
            it[3]->kind != Value::Kind::Str || it[4]->kind != Value::Kind::Int)
            return failAt("unsupported persistent id (expected a torch storage reference)");
        const std::string typeName = it[1]->s.substr(it[1]->s.rfind('.') + 1);
        auto& slot = m_storages[it[2]->s];
        if (!slot) {
            slot = std::make_shared<StorageRef>();
            slot->typeName = typeName;
            slot->key = it[2]->s;
            slot->location = it[3]->s;
            slot->numel = it[4]->i;
        } else if (slot->typeName != typeName || slot->numel != it[4]->i) {
            return failAt("storage '" + it[2]->s + "' referenced with two different types or sizes");
        }
        auto v = make(Value::Kind::Storage);
        v->storage = slot;
        push(v);
        return {};
    }

    Status step(uint8_t op) {
        switch (op) {
        case 0x80: {  // PROTO
            VFI_ASSIGN_OR_RETURN(uint64_t p, readLe(1));
            if (p > 2) return failAt("pickle protocol " + std::to_string(p) + " (only protocol 2 is supported)");
            return {};
        }
        case '.': m_stopped = true; return {};
        case '(': m_marks.push_back(m_stack.size()); return {};
        case '}': push(make(Value::Kind::Dict)); return {};
        case ']': push(make(Value::Kind::List)); return {};
        case ')': return tuple({});
        case 't': { VFI_ASSIGN_OR_RETURN(auto items, popMark()); return tuple(std::move(items)); }
        case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
            const int n = op - 0x84;
            std::vector<Value*> items(static_cast<size_t>(n));
            for (int k = n - 1; k >= 0; --k) {
                VFI_ASSIGN_OR_RETURN(items[static_cast<size_t>(k)], pop());
            }
            return tuple(std::move(items));
        }
        case 'q': { VFI_ASSIGN_OR_RETURN(uint64_t i, readLe(1)); return memoPut(i); }
        case 'r': { VFI_ASSIGN_OR_RETURN(uint64_t i, readLe(4)); return memoPut(i); }
        case 0x94: return memoPut(m_memo.size());  // MEMOIZE
        case 'h': { VFI_ASSIGN_OR_RETURN(uint64_t i, readLe(1)); return memoGet(i); }
        case 'j': { VFI_ASSIGN_OR_RETURN(uint64_t i, readLe(4)); return memoGet(i); }
        case 'K': { VFI_ASSIGN_OR_RETURN(uint64_t i, readLe(1)); return pushInt(static_cast<int64_t>(i)); }
        case 'M': { VFI_ASSIGN_OR_RETURN(uint64_t i, readLe(2)); return pushInt(static_cast<int64_t>(i)); }
        case 'J': {
            VFI_ASSIGN_OR_RETURN(uint64_t i, readLe(4));
            return pushInt(static_cast<int32_t>(static_cast<uint32_t>(i)));
        }
        case 0x8a: {  // LONG1: little-endian two's complement
            VFI_ASSIGN_OR_RETURN(uint64_t n, readLe(1));
            if (n > 8) return failAt("integer wider than 64 bits");
            if (n == 0) return pushInt(0);
            VFI_ASSIGN_OR_RETURN(uint64_t raw, readLe(static_cast<int>(n)));
            if (n < 8 && (raw >> (8 * n - 1)) & 1) raw |= ~uint64_t{0} << (8 * n);
            return pushInt(static_cast<int64_t>(raw));
        }
        case 'G': {  // BINFLOAT: big-endian double
            if (!need(8)) return truncated();
            uint64_t bits = 0;
            for (int b = 0; b < 8; ++b) bits = (bits << 8) | m_d[m_pos + static_cast<size_t>(b)];
            m_pos += 8;
            auto v = make(Value::Kind::Float);
            std::memcpy(&v->f, &bits, sizeof bits);
            push(v);
            return {};
        }
        case 'X': case 0x8c: {  // BINUNICODE, SHORT_BINUNICODE
            VFI_ASSIGN_OR_RETURN(uint64_t len, readLe(op == 'X' ? 4 : 1));
            auto v = make(Value::Kind::Str);
            VFI_ASSIGN_OR_RETURN(v->s, readBytes(len));
            push(v);
            return {};
        }
        case 'N': push(make(Value::Kind::None)); return {};
        case 0x88: case 0x89: {
            auto v = make(Value::Kind::Bool);
            v->b = op == 0x88;
            push(v);
            return {};
        }
        case 's': {
            VFI_ASSIGN_OR_RETURN(Value* val, pop());
            VFI_ASSIGN_OR_RETURN(Value* key, pop());
            VFI_ASSIGN_OR_RETURN(Value* d, top(Value::Kind::Dict, "SETITEM"));
            d->dict.emplace_back(std::move(key), std::move(val));
            return {};
        }
        case 'u': {
            VFI_ASSIGN_OR_RETURN(auto items, popMark());
            if (items.size() % 2) return failAt("SETITEMS with an odd number of items");
            VFI_ASSIGN_OR_RETURN(Value* d, top(Value::Kind::Dict, "SETITEMS"));
            for (size_t k = 0; k < items.size(); k += 2) d->dict.emplace_back(items[k], items[k + 1]);
            return {};
        }
        case 'a': {
            VFI_ASSIGN_OR_RETURN(Value* val, pop());
            VFI_ASSIGN_OR_RETURN(Value* l, top(Value::Kind::List, "APPEND"));
            l->items.push_back(std::move(val));
            return {};
        }
        case 'e': {
            VFI_ASSIGN_OR_RETURN(auto items, popMark());
            VFI_ASSIGN_OR_RETURN(Value* l, top(Value::Kind::List, "APPENDS"));
            l->items.insert(l->items.end(), items.begin(), items.end());
            return {};
        }
        case 'c': {
            VFI_ASSIGN_OR_RETURN(std::string module, readLine());
            VFI_ASSIGN_OR_RETURN(std::string name, readLine());
            if (!isAllowedGlobal(module, name))
                return failAt("unsupported Python global '" + module + "." + name +
                              "' (only plain state dicts of tensors can be read)");
            auto v = make(Value::Kind::Global);
            v->s = module + "." + name;
            push(v);
            return {};
        }
        case 'R': return reduce();
        case 'Q': return persistentLoad();
        case 'b': {  // BUILD: an OrderedDict's attributes (state_dict _metadata), not needed
            VFI_ASSIGN_OR_RETURN(Value* state, pop());
            VFI_ASSIGN_OR_RETURN(Value* d, top(Value::Kind::Dict, "BUILD"));
            if (state->kind != Value::Kind::Dict || !d->ordered) return failAt("BUILD of an unsupported object");
            return {};
        }
        default: break;
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        std::string name = (op >= 0x20 && op < 0x7f) ? std::string(" '") + static_cast<char>(op) + "'" : "";
        return failAt(std::string("unsupported pickle opcode ") + hex + name);
    }

    const uint8_t* m_d;
    size_t m_n;
    const std::string& m_src;
    Arena& m_arena;
    size_t m_pos = 0;
    size_t m_opPos = 0;
    bool m_stopped = false;
    std::vector<Value*> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, Value*> m_memo;
    std::map<std::string, std::shared_ptr<StorageRef>> m_storages;
};

}  // namespace

Result<ValuePtr> parse(const uint8_t* data, size_t size, const std::string& source) {
    auto arena = std::make_shared<Arena>();
    Parser p(data, size, source, *arena);
    VFI_ASSIGN_OR_RETURN(Value* root, p.run());
    return ValuePtr(arena, root);   // shares the arena's ownership
}

}  // namespace vfi::model::pickle
