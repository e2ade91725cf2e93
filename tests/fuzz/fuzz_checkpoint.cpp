// Fuzz target: the checkpoint reader end to end (zip container, data.pkl, storage records, tensor
// views), through a file as the product reads it. Both weight sets are read; every tensor's last
// element is then read here (instrumented code), so a view that escapes its storage is an ASan report.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"
#include "model/checkpoint_reader.h"

using namespace vfi::model;

namespace {

void touch(const NamedTensors& tensors) {
    for (const auto& [name, t] : tensors) {
        if (!t.defined() || t.numel() == 0) continue;
        int64_t last = t.storage_offset();
        for (int64_t d = 0; d < t.dim(); ++d) last += (t.size(d) - 1) * t.stride(d);
        const auto* base = static_cast<const volatile uint8_t*>(t.storage().data());
        const size_t item = t.element_size();
        (void)base[static_cast<size_t>(last) * item + item - 1];
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const vfi::fuzz::MemFile file("checkpoint");
    file.set(data, size);
    if (auto r = readCheckpoint(file.path())) touch(r->model);
    CheckpointReadOptions ema;
    ema.weights = WeightSet::Ema;
    ema.readEmaDict = true;
    if (auto r = readCheckpoint(file.path(), ema)) {
        touch(r->model);
        touch(r->ema);
    }
    return 0;
}
