// The chunk workers of a job (design.md §5 "Several devices in one process"): one thread per device,
// which creates its interpolator, renders the chunks it takes from a shared queue, and destroys the
// interpolator again, all on that thread (a CUDA context and its allocations stay with one thread).
// Threading: the pool's methods are called from the job's thread; the queue from any worker.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "vfi/frame_interpolator.h"
#include "vfi/result.h"

namespace vfi::pipeline {

// Chunk indices in plan order, handed out one at a time to whichever worker asks next (a fast and a
// slow device both stay busy). After a device failure (stopTaking) it hands out only chunks put
// back for a retry on another device, each at most once. A worker that finds nothing waits while
// another is still rendering (its chunk may come back for a retry), unless `stop` is set.
class ChunkQueue {
public:
    ChunkQueue(std::vector<int> chunks, int workers, const std::atomic<bool>* stop)
        : m_pending(chunks.begin(), chunks.end()), m_live(workers), m_stop(stop) {}
    // The next chunk for `worker` (whose previous chunk is done), or -1 when none is left for it.
    int next(int worker);
    // Puts `chunk`, which failed on `worker`, back once for another worker; false if it was retried
    // already or no other worker is left.
    bool retryElsewhere(int chunk, int worker);
    void stopTaking();
    // `worker` takes no more chunks (done or failed).
    void leave(int worker);

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<int> m_pending;
    std::deque<std::pair<int, int>> m_retries;   // chunk, the worker it failed on
    std::set<int> m_retried;
    std::set<int> m_busy;                         // workers rendering a chunk
    int m_live;
    const std::atomic<bool>* m_stop;
    bool m_taking = true;
};

class DevicePool {
public:
    using Create = std::function<Result<std::shared_ptr<FrameInterpolator>>(int worker)>;
    using Work = std::function<void(int worker, FrameInterpolator& interpolator)>;

    // Starts `workers` threads; each calls create(worker) and waits for run() or the destructor.
    DevicePool(int workers, Create create);
    ~DevicePool();   // ends workers that never ran; joins all
    DevicePool(const DevicePool&) = delete;
    DevicePool& operator=(const DevicePool&) = delete;

    // Waits until every worker has created its interpolator; the first error (worker order), else
    // the interpolators (owned by their workers; valid until the pool is destroyed).
    Result<std::vector<FrameInterpolator*>> created();
    // Runs work(worker, interpolator) on every worker and waits for all. Once per pool. work must not
    // throw.
    void run(const Work& work);

private:
    void main(int worker);

    Create m_create;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<Result<std::shared_ptr<FrameInterpolator>>> m_made;
    int m_madeCount = 0;
    const Work* m_work = nullptr;
    bool m_go = false;
    bool m_end = false;
    int m_running = 0;
    std::vector<std::thread> m_threads;
};

}  // namespace vfi::pipeline
