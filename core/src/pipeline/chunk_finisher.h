// Runs the finishing of a rendered chunk (fsync → verify → rename → record, design.md §4) on a
// background thread while the runner renders the next chunk. One slot: submit() first waits for the
// chunk in flight, so at most one rendered chunk awaits finishing and records are written in chunk
// order. Work reports failure as a Status (exceptions are caught on the worker thread and turned into
// an Error); a failure sets the stop flag so the render in flight ends early, and every later
// submit()/wait() returns that first error.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include "vfi/result.h"

namespace vfi::pipeline {

class ChunkFinisher {
public:
    using Work = std::function<Status()>;
    explicit ChunkFinisher(std::atomic<bool>* stopOnError) : m_stopOnError(stopOnError) {}
    ~ChunkFinisher() { (void)wait(); }
    ChunkFinisher(const ChunkFinisher&) = delete;
    ChunkFinisher& operator=(const ChunkFinisher&) = delete;

    // Waits for the previous work; if it failed, returns its error and does not start `work`.
    Status submit(Work work);
    // Waits for the work in flight (if any); returns the first error seen, else ok.
    Status wait();
    // True once a work item failed (readable from any thread without waiting).
    bool failed() const { return m_failed.load(); }

private:
    std::atomic<bool>* m_stopOnError;
    std::thread m_thread;
    Status m_status;           // written by the worker, read after join()
    std::atomic<bool> m_failed{false};
};

}  // namespace vfi::pipeline
