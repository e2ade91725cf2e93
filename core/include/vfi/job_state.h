// Explicit job state machine shared by the CLI, the GUI queue and the session logic.
//   Queued -> Running <-> Paused ; Running -> Joining -> Verifying -> Succeeded
//   Failed / Cancelled from any active state; Interrupted = found unfinished at start (resumable).
//   A retry is a new attempt: Failed/Cancelled/Interrupted -> Queued.
#pragma once

#include <optional>
#include <string>

namespace vfi {

enum class JobState { Queued, Running, Paused, Joining, Verifying, Succeeded, Failed, Cancelled, Interrupted };

const char* jobStateName(JobState s);             // "queued", "running", ...
std::optional<JobState> parseJobState(const std::string& s);
bool isTransitionAllowed(JobState from, JobState to);
bool isActive(JobState s);                         // Running, Paused, Joining, Verifying
bool isTerminal(JobState s);                       // Succeeded, Failed, Cancelled

// Tracks one job's state; transition() refuses (returns false) what the diagram above does not allow.
class JobStateMachine {
public:
    explicit JobStateMachine(JobState initial = JobState::Queued) : m_state(initial) {}
    JobState state() const { return m_state; }
    bool transition(JobState to);
    int attempt() const { return m_attempt; }      // 1-based; incremented by a retry

private:
    JobState m_state;
    int m_attempt = 1;
};

}  // namespace vfi
