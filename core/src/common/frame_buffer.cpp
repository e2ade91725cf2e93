#include "vfi/frame_buffer.h"

#include <cstdlib>
#include <mutex>
#include <vector>

namespace vfi::frame_buffer {

namespace {

constexpr std::size_t kMinPooled = std::size_t(1) << 20;
// Enough for the frames one pair of a 2x/4x job frees before the next pair asks again (source frame,
// generated frames, the float copy of the next source frame); more would only keep memory resident.
constexpr std::size_t kMaxCached = 6;
constexpr std::size_t kMaxCachedBytes = std::size_t(1) << 30;
constexpr std::align_val_t kAlign{64};

struct Cached {
    void* p;
    std::size_t bytes;
};

struct Pool {
    Pool() { free.reserve(kMaxCached + 1); }
    std::mutex mutex;
    std::vector<Cached> free;   // oldest first
    std::size_t bytes = 0;
    std::size_t reused = 0;
    std::size_t allocated = 0;
};

Pool& pool() {
    static Pool* p = new Pool;   // never destroyed: frames may be released during static destruction
    return *p;
}

}  // namespace

void* acquire(std::size_t bytes) {
    if (bytes < kMinPooled) return ::operator new(bytes == 0 ? 1 : bytes, kAlign);
    Pool& p = pool();
    {
        std::lock_guard lock(p.mutex);
        for (auto it = p.free.rbegin(); it != p.free.rend(); ++it) {
            if (it->bytes != bytes) continue;
            void* hit = it->p;
            p.bytes -= bytes;
            p.free.erase(std::next(it).base());
            ++p.reused;
            return hit;
        }
        ++p.allocated;
    }
    return ::operator new(bytes, kAlign);
}

void release(void* ptr, std::size_t bytes) noexcept {
    if (!ptr) return;
    if (bytes < kMinPooled) {
        ::operator delete(ptr, kAlign);
        return;
    }
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    p.free.push_back({ptr, bytes});   // capacity reserved: cannot throw
    p.bytes += bytes;
    // Oldest first out: a buffer of a size no longer asked for (the job moved on) ages out.
    while (p.free.size() > kMaxCached || p.bytes > kMaxCachedBytes) {
        p.bytes -= p.free.front().bytes;
        ::operator delete(p.free.front().p, kAlign);
        p.free.erase(p.free.begin());
    }
}

void trim() noexcept {
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    for (const Cached& c : p.free) ::operator delete(c.p, kAlign);
    p.free.clear();
    p.bytes = 0;
}

Stats stats() noexcept {
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    return {p.free.size(), p.bytes, p.reused, p.allocated};
}

}  // namespace vfi::frame_buffer
