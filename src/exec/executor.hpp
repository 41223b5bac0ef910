#pragma once

// Scheduling policies, one per k6 executor (lib/executor/*.go): pure functions of the time
// elapsed since the scenario started, with no threads, clocks or VUs of their own, so they are
// unit-tested exactly (style.md rule 24). The driver (exec/scenario_run.hpp) applies them.
//
// Two shapes:
//  * LoopingExecutor: a set of VUs each running iterations back to back (shared-iterations,
//    per-vu-iterations, constant-vus, ramping-vus).
//  * ArrivalSchedule: iteration start times fixed in advance, independent of how long
//    iterations take (constant-arrival-rate, ramping-arrival-rate): no coordinated omission.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "config/options.hpp"
#include "exec/clock.hpp"

namespace volley::exec {

class LoopingExecutor {
public:
    explicit LoopingExecutor(const config::ScenarioConfig& config) : config_(config) {}
    virtual ~LoopingExecutor() = default;
    LoopingExecutor(const LoopingExecutor&) = delete;
    LoopingExecutor& operator=(const LoopingExecutor&) = delete;

    const config::ScenarioConfig& config() const { return config_; }

    // The most VUs the scenario ever uses at once (VU indexes are 0 .. max_vus()-1).
    virtual std::uint64_t max_vus() const = 0;

    // Time after the start from which no iteration starts (running ones get gracefulStop).
    virtual Duration regular_duration() const = 0;

    // How many VUs (indexes 0..n-1) should be running iteration loops at `t`.
    virtual std::uint64_t active_vus(Duration t) const = 0;

    // VUs with an index >= this value must have their running iteration interrupted at `t`
    // (ramping-vus' gracefulRampDown). The end-of-scenario gracefulStop is the driver's job.
    virtual std::uint64_t graceful_vus(Duration /*t*/) const { return max_vus(); }

    // The first time after `t` at which active_vus() or graceful_vus() changes, if any.
    virtual std::optional<Duration> next_change(Duration /*t*/) const { return std::nullopt; }

    // Thread-safe. Decides whether VU `index`, which has run `done` iterations in this scenario,
    // starts another one at `t`; if so returns its 0-based number within the scenario
    // (k6's scenario.iterationInTest). Once it returns nullopt for an index, it keeps doing so
    // unless active_vus() later grows past that index (ramping-vus).
    virtual std::optional<std::uint64_t> claim(std::uint64_t index, std::uint64_t done,
                                               Duration t) = 0;

protected:
    std::uint64_t next_number() { return counter_.fetch_add(1, std::memory_order_relaxed); }

    const config::ScenarioConfig& config_;

private:
    std::atomic<std::uint64_t> counter_{0};
};

class ArrivalSchedule {
public:
    explicit ArrivalSchedule(const config::ScenarioConfig& config) : config_(config) {}
    virtual ~ArrivalSchedule() = default;
    ArrivalSchedule(const ArrivalSchedule&) = delete;
    ArrivalSchedule& operator=(const ArrivalSchedule&) = delete;

    const config::ScenarioConfig& config() const { return config_; }

    // VUs initialised before the test (preAllocatedVUs) and the most it may grow to (maxVUs).
    std::uint64_t pre_allocated_vus() const;
    std::uint64_t max_vus() const;

    // Time after the start from which no iteration starts.
    virtual Duration regular_duration() const = 0;

    // The start time of the next iteration (in order, each call advances), or nullopt when the
    // schedule has ended. Not thread-safe: the driver's control thread calls it.
    virtual std::optional<Duration> next_start() = 0;

protected:
    const config::ScenarioConfig& config_;
};

// Builds the policy for `config` (which must outlive it): a LoopingExecutor for the looping
// executors, else nullptr. VOLLEY_CHECKs that the config was validated.
std::unique_ptr<LoopingExecutor> make_looping_executor(const config::ScenarioConfig& config);
// An ArrivalSchedule for the arrival-rate executors, else nullptr.
std::unique_ptr<ArrivalSchedule> make_arrival_schedule(const config::ScenarioConfig& config);

} // namespace volley::exec
