#include "pipeline/device_pool.h"

#include <chrono>
#include <exception>

namespace vfi::pipeline {

int ChunkQueue::next(int worker) {
    std::unique_lock lk(m_mutex);
    if (m_busy.erase(worker) > 0) m_cv.notify_all();
    for (;;) {
        if (m_stop && m_stop->load()) return -1;
        for (auto it = m_retries.begin(); it != m_retries.end(); ++it) {
            if (it->second == worker) continue;
            const int k = it->first;
            m_retries.erase(it);
            m_busy.insert(worker);
            return k;
        }
        if (m_taking && !m_pending.empty()) {
            const int k = m_pending.front();
            m_pending.pop_front();
            m_busy.insert(worker);
            return k;
        }
        if (m_busy.empty()) return -1;
        // Polled: pause and cancel set `stop` without this queue's knowledge.
        m_cv.wait_for(lk, std::chrono::milliseconds(100));
    }
}

bool ChunkQueue::retryElsewhere(int chunk, int worker) {
    std::lock_guard lk(m_mutex);
    if (m_live <= 1 || !m_retried.insert(chunk).second) return false;
    m_retries.emplace_back(chunk, worker);
    m_cv.notify_all();
    return true;
}

void ChunkQueue::stopTaking() {
    std::lock_guard lk(m_mutex);
    m_taking = false;
}

void ChunkQueue::leave(int worker) {
    std::lock_guard lk(m_mutex);
    m_busy.erase(worker);
    --m_live;
    m_cv.notify_all();
}

DevicePool::DevicePool(int workers, Create create) : m_create(std::move(create)) {
    m_made.resize(static_cast<size_t>(workers), Result<std::shared_ptr<FrameInterpolator>>(std::shared_ptr<FrameInterpolator>()));
    for (int w = 0; w < workers; ++w) m_threads.emplace_back([this, w] { main(w); });
}

DevicePool::~DevicePool() {
    {
        std::lock_guard lk(m_mutex);
        m_end = true;
    }
    m_cv.notify_all();
    for (auto& t : m_threads) t.join();
}

void DevicePool::main(int worker) {
    Result<std::shared_ptr<FrameInterpolator>> made = [&]() -> Result<std::shared_ptr<FrameInterpolator>> {
        try {
            return m_create(worker);
        } catch (const std::exception& e) {
            return makeError(ErrorCode::Internal, std::string("creating the interpolator failed: ") + e.what());
        }
    }();
    std::shared_ptr<FrameInterpolator> interp = made ? made.value() : nullptr;
    std::unique_lock lk(m_mutex);
    m_made[static_cast<size_t>(worker)] = std::move(made);
    ++m_madeCount;
    m_cv.notify_all();
    m_cv.wait(lk, [this] { return m_go || m_end; });
    if (m_go && !m_end && interp) {
        const Work* work = m_work;
        lk.unlock();
        (*work)(worker, *interp);
        lk.lock();
    }
    m_made[static_cast<size_t>(worker)] = std::shared_ptr<FrameInterpolator>();
    --m_running;
    m_cv.notify_all();
    lk.unlock();
    interp.reset();   // destroyed on its own thread (the injected one lives on in the runner)
}

Result<std::vector<FrameInterpolator*>> DevicePool::created() {
    std::unique_lock lk(m_mutex);
    m_cv.wait(lk, [this] { return m_madeCount == static_cast<int>(m_threads.size()); });
    std::vector<FrameInterpolator*> out;
    for (auto& m : m_made) {
        if (!m) return m.error();
        out.push_back(m.value().get());
    }
    return out;
}

void DevicePool::run(const Work& work) {
    std::unique_lock lk(m_mutex);
    m_cv.wait(lk, [this] { return m_madeCount == static_cast<int>(m_threads.size()); });
    m_work = &work;
    m_running = static_cast<int>(m_threads.size());
    m_go = true;
    m_cv.notify_all();
    m_cv.wait(lk, [this] { return m_running <= 0; });
}

}  // namespace vfi::pipeline
