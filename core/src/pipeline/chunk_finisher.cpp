#include "pipeline/chunk_finisher.h"

#include <exception>
#include <new>

namespace vfi::pipeline {

Status ChunkFinisher::submit(Work work) {
    VFI_TRY(wait());
    m_thread = std::thread([this, w = std::move(work)] {
        Status st;
        try {
            st = w();
        } catch (const std::bad_alloc&) {
            st = makeError(ErrorCode::Internal, "out of memory while finishing a chunk");
        } catch (const std::exception& e) {
            st = makeError(ErrorCode::Internal, std::string("finishing a chunk failed: ") + e.what());
        } catch (...) {
            st = makeError(ErrorCode::Internal, "finishing a chunk failed (unknown exception)");
        }
        if (!st) {
            m_status = std::move(st);
            m_failed = true;
            if (m_stopOnError) *m_stopOnError = true;
        }
    });
    return {};
}

Status ChunkFinisher::wait() {
    if (m_thread.joinable()) m_thread.join();
    return m_status;
}

}  // namespace vfi::pipeline
