// Fuzz target: the pickle interpreter of the checkpoint reader (model/mini_pickle), on data.pkl bytes.
// Every value of an accepted pickle is visited (iteratively: the structure comes from the input).
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "model/mini_pickle.h"

using namespace vfi::model::pickle;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto r = parse(data, size, "fuzz.pkl");
    if (!r) return 0;
    std::vector<const Value*> todo{r.value().get()};
    std::unordered_set<const Value*> seen;
    while (!todo.empty()) {
        const Value* v = todo.back();
        todo.pop_back();
        if (!v || !seen.insert(v).second) continue;
        (void)kindName(v->kind);
        (void)v->get("model");
        for (const Value* x : v->items) todo.push_back(x);
        for (const auto& [k, x] : v->dict) {
            todo.push_back(k);
            todo.push_back(x);
        }
        if (v->tensor && v->tensor->sizes.size() != v->tensor->strides.size()) __builtin_trap();
    }
    return 0;
}
