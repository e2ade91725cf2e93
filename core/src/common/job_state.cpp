#include "vfi/job_state.h"

#include <array>

namespace vfi {

namespace {
constexpr std::array<const char*, 9> kNames = {"queued",    "running", "paused",    "joining",    "verifying",
                                               "succeeded", "failed",  "cancelled", "interrupted"};
}

const char* jobStateName(JobState s) { return kNames[static_cast<size_t>(s)]; }

std::optional<JobState> parseJobState(const std::string& s) {
    for (size_t i = 0; i < kNames.size(); ++i) {
        if (s == kNames[i]) return static_cast<JobState>(i);
    }
    return std::nullopt;
}

bool isActive(JobState s) {
    return s == JobState::Running || s == JobState::Paused || s == JobState::Joining ||
           s == JobState::Verifying;
}

bool isTerminal(JobState s) {
    return s == JobState::Succeeded || s == JobState::Failed || s == JobState::Cancelled;
}

bool isTransitionAllowed(JobState from, JobState to) {
    using S = JobState;
    if (to == S::Failed || to == S::Cancelled) return isActive(from) || (to == S::Cancelled && from == S::Queued) ||
                                                      (to == S::Cancelled && from == S::Interrupted);
    switch (from) {
        case S::Queued: return to == S::Running;
        case S::Running: return to == S::Paused || to == S::Joining || to == S::Interrupted;
        case S::Paused: return to == S::Running || to == S::Interrupted;
        case S::Joining: return to == S::Verifying || to == S::Interrupted;
        case S::Verifying: return to == S::Succeeded;
        case S::Interrupted: return to == S::Queued || to == S::Running;
        case S::Failed:
        case S::Cancelled: return to == S::Queued;  // retry = new attempt
        case S::Succeeded: return false;
    }
    return false;
}

bool JobStateMachine::transition(JobState to) {
    if (!isTransitionAllowed(m_state, to)) return false;
    if (to == JobState::Queued && (m_state == JobState::Failed || m_state == JobState::Cancelled ||
                                   m_state == JobState::Interrupted)) {
        ++m_attempt;
    }
    m_state = to;
    return true;
}

}  // namespace vfi
