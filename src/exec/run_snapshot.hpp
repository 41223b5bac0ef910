#pragma once

// Live per-scenario progress (k6's progress bars and exec.scenario.progress): counters the
// scenario drivers update with relaxed atomics, and the plain snapshot the display reads.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "config/options.hpp"
#include "exec/clock.hpp"

namespace volley::exec {

// What a scenario's driver publishes as it runs. Written by the control thread and the
// scenario's VU coroutines, read by any thread (relaxed: statistics, not synchronisation).
struct ScenarioCounters {
    std::atomic<std::int64_t> started_ns{-1};             // clock time of the start; -1 before
    std::atomic<std::int64_t> finished_ns{-1};            // clock time of the end; -1 before
    std::atomic<std::uint64_t> vus_active{0};             // VUs the scenario holds now
    std::atomic<std::uint64_t> iterations_completed{0};   // completed or failed
    std::atomic<std::uint64_t> iterations_interrupted{0}; // cut by gracefulStop / stop
};

// What a scenario looks like from its config alone (computed once, before the run), in this
// instance's execution segment: every count is the segment's share, as k6's descriptions show.
struct ScenarioPlan {
    bool has_work = true;                // false: this segment has nothing of it (k6's HasWork)
    Duration regular{0};                 // time from which no iteration starts
    std::uint64_t vus = 0;               // shared-/per-vu-iterations, constant-vus
    std::uint64_t pre_allocated_vus = 0; // arrival-rate
    std::uint64_t max_vus = 0;           // most VUs it may hold (maxVUs for arrival-rate)
    std::uint64_t total_iterations = 0;  // iteration-based executors; 0 when time-based
    double rate_per_second = 0;          // constant-arrival-rate; the peak for ramping-arrival-rate
};

ScenarioPlan plan_scenario(const config::ScenarioConfig& config,
                           const config::ExecutionTuple& tuple = config::ExecutionTuple());

// One scenario at one instant.
struct ScenarioSnapshot {
    enum class State { kWaiting, kRunning, kDone };
    const config::ScenarioConfig* config = nullptr; // outlives the snapshot's use (run options)
    ScenarioPlan plan;
    State state = State::kWaiting;
    Duration elapsed{0}; // since the scenario started; frozen at its end
    std::uint64_t vus_active = 0;
    std::uint64_t iterations_completed = 0;
    std::uint64_t iterations_interrupted = 0;
    double progress = 0; // 0..1, as k6's progress bar and exec.scenario.progress
};

// The whole run at one instant.
struct RunSnapshot {
    Duration elapsed{0}; // since the scenarios started (0 before)
    std::uint64_t vus_active = 0;
    std::uint64_t vus_max = 0; // initialised VUs
    std::uint64_t iterations_completed = 0;
    std::uint64_t iterations_interrupted = 0;
    std::vector<ScenarioSnapshot> scenarios; // in the order of the options
};

// Reads `counters` at clock time `now`: k6's progress is the share of iterations done for
// shared-iterations and per-vu-iterations and the share of the regular duration elapsed for
// the other executors, clamped to [0, 1] and 1 once the scenario has finished.
ScenarioSnapshot snapshot_scenario(const config::ScenarioConfig& config, const ScenarioPlan& plan,
                                   const ScenarioCounters& counters, Duration now);

} // namespace volley::exec
