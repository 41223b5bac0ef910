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
//
// Both take this instance's execution segment (config/execution_segment.hpp) and apply it as
// each k6 executor does: VUs, iterations and arrivals are this segment's share, and
// iteration_stripe() maps the instance's iteration numbers to the whole test's
// (k6/execution's scenario.iterationInTest).

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "config/execution_segment.hpp"
#include "config/options.hpp"
#include "exec/clock.hpp"

namespace volley::exec {

class LoopingExecutor {
public:
    explicit LoopingExecutor(const config::ScenarioConfig& config,
                             config::ExecutionTuple tuple = config::ExecutionTuple())
        : config_(config), tuple_(std::move(tuple)) {}
    virtual ~LoopingExecutor() = default;
    LoopingExecutor(const LoopingExecutor&) = delete;
    LoopingExecutor& operator=(const LoopingExecutor&) = delete;

    const config::ScenarioConfig& config() const { return config_; }

    // Which of the whole test's iterations this instance's are (k6's iterSegIndex).
    virtual const config::Stripe& iteration_stripe() const { return tuple_.stripe(); }

    // The most VUs the scenario ever uses at once (VU indexes are 0 .. max_vus()-1).
    virtual std::uint64_t max_vus() const = 0;

    // False when this segment has nothing to run (k6's HasWork): the scenario is skipped.
    virtual bool has_work() const { return max_vus() > 0; }

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
    const config::ExecutionTuple tuple_;

private:
    std::atomic<std::uint64_t> counter_{0};
};

class ArrivalSchedule {
public:
    // k6 re-cuts the sequence by maxVUs for the arrivals (GetNewExecutionTupleFromValue), so
    // each instance starts the arrivals that follow its VUs.
    explicit ArrivalSchedule(const config::ScenarioConfig& config,
                             const config::ExecutionTuple& tuple = config::ExecutionTuple());
    virtual ~ArrivalSchedule() = default;
    ArrivalSchedule(const ArrivalSchedule&) = delete;
    ArrivalSchedule& operator=(const ArrivalSchedule&) = delete;

    const config::ScenarioConfig& config() const { return config_; }

    // False when this segment has none of the scenario's VUs (k6's HasWork).
    bool has_work() const { return max_vus() > 0; }
    const config::Stripe& iteration_stripe() const { return arrivals_.stripe(); }

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
    std::uint64_t pre_allocated_ = 0;
    std::uint64_t max_ = 0;
    config::ExecutionTuple arrivals_; // the segment re-cut by maxVUs
};

// Builds the policy for `config` (which must outlive it) in segment `tuple` (default: the whole
// test): a LoopingExecutor for the looping executors, else nullptr. VOLLEY_CHECKs that the
// config was validated.
std::unique_ptr<LoopingExecutor>
make_looping_executor(const config::ScenarioConfig& config,
                      const config::ExecutionTuple& tuple = config::ExecutionTuple());
// An ArrivalSchedule for the arrival-rate executors, else nullptr.
std::unique_ptr<ArrivalSchedule>
make_arrival_schedule(const config::ScenarioConfig& config,
                      const config::ExecutionTuple& tuple = config::ExecutionTuple());

} // namespace volley::exec
