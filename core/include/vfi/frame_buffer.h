// Storage for large frame buffers (float RGB frames): recycled instead of returned to the system.
//
// A 4K float RGB frame is 100 MB, above glibc's largest dynamic mmap threshold (32 MiB), so every
// frame was a fresh mmap: the kernel zero-filled it page by page and the vector zero-filled it again
// before a converter overwrote it (a fifth of a 4K blend job's CPU). Buffers of 1 MiB and more come
// from the system (mmap / VirtualAlloc, not malloc, so one that is let go leaves the process instead
// of fragmenting the heap); freed ones are kept, a few at most, and handed out again for the same
// size. Smaller ones use the heap.
// The cache is bounded by count and bytes, so it holds no more than the queues that just freed the
// frames did: memory stays bounded by the pipeline's queue depths, not by the video's length.
#pragma once

#include <cstddef>
#include <new>
#include <utility>

namespace vfi {

namespace frame_buffer {
// Bounds of the cache. Its buffers were all in use at once before (a buffer is only allocated when
// none of its size is cached), so the bounds do not raise the peak; they only decide how much of it
// stays resident between the pipeline's bursts. 16: a 1080p job holds up to about 15 frames at a time
// (queues of 4 + 8, the pair in the interpolator, the frame being converted); with 6 it let go of
// buffers it asked for again a moment later, 41 fresh 25 MB frames in a 300-frame FFV1 job, 13 now.
// The bytes bound keeps a 4K job to 10 (it peaks at 8).
inline constexpr std::size_t kMaxCachedBuffers = 16;
inline constexpr std::size_t kMaxCachedBytes = std::size_t(1) << 30;

void* acquire(std::size_t bytes);
void release(void* p, std::size_t bytes) noexcept;
// Frees every cached buffer (end of a job, before a large model allocation).
void trim() noexcept;
struct Stats {
    std::size_t cachedBuffers = 0;
    std::size_t cachedBytes = 0;
    std::size_t reused = 0;      // acquisitions served from the cache since start
    std::size_t allocated = 0;   // acquisitions of 1 MiB or more that needed new memory
};
Stats stats() noexcept;
}  // namespace frame_buffer

// std::allocator replacement for frame storage: recycled large buffers, and elements that are
// default-initialised (not zeroed) when a container grows without a value, so a buffer that is about
// to be overwritten is written once.
template <typename T>
struct FrameAllocator {
    using value_type = T;
    FrameAllocator() noexcept = default;
    template <typename U>
    FrameAllocator(const FrameAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) { return static_cast<T*>(frame_buffer::acquire(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { frame_buffer::release(p, n * sizeof(T)); }

    template <typename U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }

    template <typename U>
    bool operator==(const FrameAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace vfi
