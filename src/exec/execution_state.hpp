#pragma once

// Instance-wide counters for k6/execution (k6-behaviour.md §5.6): written by the scheduler and its
// VU coroutines, read by any VU from any thread. Relaxed atomics: the values are statistics, not
// synchronisation.

#include <atomic>
#include <cstdint>

namespace volley::exec {

// k6's lib.ExecutionStatus, as its REST API reports it (`status` in /v1/status).
enum class ExecutionStatus : int {
    kCreated = 0,
    kInitVus = 1,
    kInitExecutors = 2,
    kInitDone = 3,
    kPausedBeforeRun = 4,
    kStarted = 5,
    kSetup = 6,
    kRunning = 7,
    kTeardown = 8,
    kEnded = 9,
    kInterrupted = 10,
};

struct ExecutionState {
    std::atomic<ExecutionStatus> status{ExecutionStatus::kCreated};
    std::atomic<bool> started{false};              // past the pause before the run (setup is next)
    std::atomic<bool> ended{false};                // teardown has returned
    std::atomic<std::uint64_t> vus_active{0};      // instance.vusActive
    std::atomic<std::uint64_t> vus_initialized{0}; // instance.vusInitialized
    std::atomic<std::uint64_t> iterations_completed{0};   // instance.iterationsCompleted
    std::atomic<std::uint64_t> iterations_interrupted{0}; // instance.iterationsInterrupted
    std::atomic<std::uint64_t> dropped_iterations{0};     // arrival-rate iterations not started
    std::atomic<std::int64_t> test_start_unix_ms{0};      // set when the first scenario starts
};

} // namespace volley::exec
