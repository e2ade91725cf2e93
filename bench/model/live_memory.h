// Live-tensor memory meter for bench_model: wraps LibTorch's CPU allocator and counts the bytes of
// CPU storages alive now and at their peak, so a run reports activation memory (the model-spec §5
// "live-tensor" figure) next to whole-process RSS. Scratch buffers that oneDNN allocates itself and
// allocator slack are not tensors and are not counted.
#pragma once

#include <c10/core/CPUAllocator.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "torch_compat.h"

namespace vfi::bench {

class LiveMemoryMeter final : public c10::Allocator {
public:
    // Installs the meter in front of the current CPU allocator for the rest of the process. The base
    // allocator must be the default one (context == data pointer, a raw deleter), which it is unless
    // another library replaced it.
    static LiveMemoryMeter& install() {
        static LiveMemoryMeter meter(c10::GetCPUAllocator());
        c10::SetCPUAllocator(&meter, /*priority=*/100);
        return meter;
    }

    c10::DataPtr allocate(size_t n) VFI_ALLOCATOR_ALLOCATE_CONST override {
        auto inner = m_base->allocate(n);
        void* data = inner.get();
        if (data == nullptr) return inner;
        // Keep the allocation but hand it out with our deleter, which counts the free.
        TORCH_CHECK(inner.get_context() == data && inner.get_deleter() == m_baseDeleter,
                    "LiveMemoryMeter: unexpected base CPU allocator");
        (void)inner.release_context();
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_sizes[data] = n;
        }
        const int64_t now = m_current.fetch_add(static_cast<int64_t>(n)) + static_cast<int64_t>(n);
        int64_t peak = m_peak.load();
        while (now > peak && !m_peak.compare_exchange_weak(peak, now)) {
        }
        return {data, data, &LiveMemoryMeter::deleteCounted, inner.device()};
    }

    c10::DeleterFnPtr raw_deleter() const override { return &LiveMemoryMeter::deleteCounted; }

#if VFI_ALLOCATOR_HAS_COPY_DATA
    void copy_data(void* dest, const void* src, std::size_t count) const override {
        default_copy_data(dest, src, count);
    }
#endif

    int64_t current() const { return m_current.load(); }
    int64_t peak() const { return m_peak.load(); }
    // Starts a new phase: its peak is measured from what is alive now.
    void resetPeak() { m_peak.store(m_current.load()); }

private:
    explicit LiveMemoryMeter(c10::Allocator* base) : m_base(base), m_baseDeleter(base->raw_deleter()) {
        TORCH_CHECK(m_baseDeleter != nullptr, "LiveMemoryMeter: base CPU allocator has no raw deleter");
        s_instance = this;
    }

    static void deleteCounted(void* data) {
        auto* self = s_instance;
        size_t n = 0;
        {
            std::lock_guard<std::mutex> lock(self->m_mutex);
            auto it = self->m_sizes.find(data);
            if (it != self->m_sizes.end()) {
                n = it->second;
                self->m_sizes.erase(it);
            }
        }
        self->m_current.fetch_sub(static_cast<int64_t>(n));
        self->m_baseDeleter(data);
    }

    static inline LiveMemoryMeter* s_instance = nullptr;
    c10::Allocator* m_base;
    c10::DeleterFnPtr m_baseDeleter;
    mutable std::mutex m_mutex;
    mutable std::unordered_map<void*, size_t> m_sizes;
    mutable std::atomic<int64_t> m_current{0};
    mutable std::atomic<int64_t> m_peak{0};
};

}  // namespace vfi::bench
