// Fuzz target: the .npy reader (header dict, dtype, shape, data) through a file.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"
#include "model/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const vfi::fuzz::MemFile file("npy");
    file.set(data, size);
    auto r = vfi::model::readNpy(file.path());
    if (r && r->numel() > 0) {
        const auto* bytes = static_cast<const volatile uint8_t*>(r->data_ptr());
        (void)bytes[r->numel() * r->element_size() - 1];
    }
    return 0;
}
