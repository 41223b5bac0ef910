#pragma once

// The driver of one scenario on real (or manual) time: applies a scheduling policy
// (exec/executor.hpp) to VUs from the pool. Owned and ticked by the Scheduler's control thread;
// VU coroutines report back under ControlSync::mutex.

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "config/options.hpp"
#include "exec/clock.hpp"
#include "exec/execution_state.hpp"
#include "exec/executor.hpp"
#include "exec/run_snapshot.hpp"
#include "exec/vu_pool.hpp"
#include "metrics/registry.hpp"
#include "metrics/sample.hpp"

namespace volley::exec {

inline constexpr Duration kNever = Duration::max();

// What every scenario of a run shares. Lives in the Scheduler for the duration of run().
struct RunControl {
    const config::RunOptions& options;
    Clock& clock;
    ControlSync& sync;
    VuPool& pool;
    ExecutionState& state;
    Runner* runner = nullptr;  // set by Scheduler::run(); arrival-rate scenarios grow VUs with it
    metrics::SampleSink& sink; // control thread only
    const metrics::Builtins& builtins;
    std::atomic<bool> stopping{false}; // stop()/abort(): no new iterations, interrupt all
    Duration t0{0};                    // clock time when the scenarios started
};

class ScenarioRun {
public:
    // `counters` (owned by the Scheduler) receive the scenario's live progress.
    ScenarioRun(RunControl& control, const config::ScenarioConfig& config, metrics::TagSetId tags,
                ScenarioCounters& counters);
    virtual ~ScenarioRun() = default;
    ScenarioRun(const ScenarioRun&) = delete;
    ScenarioRun& operator=(const ScenarioRun&) = delete;

    const config::ScenarioConfig& config() const { return config_; }

    // Control thread, holding sync.mutex. Brings the scenario to time `now` (clock time minus
    // t0): starts it at its startTime, starts/stops VUs and iterations, interrupts iterations
    // whose gracefulStop (or gracefulRampDown) has expired. Returns when it wants the next
    // tick at the latest (kNever if only VU reports can change anything).
    virtual Duration tick(Duration now) = 0;

    // Holding sync.mutex: started, no iteration can start any more, and every VU has returned
    // its job; the scenario's VUs are back in the pool.
    virtual bool finished() const = 0;

protected:
    // Runs one iteration of this scenario on `slot`'s coroutine unless `stop` is set (then
    // returns false without starting it). Counts the result in the execution state.
    // `in_instance` is the scenario's iteration number in this instance; the test-wide one
    // follows from iteration_stripe_.
    bool run_one(VuSlot& slot, std::uint64_t in_scenario, std::uint64_t in_instance,
                 const std::atomic<bool>& stop, Yield yield);
    // Interrupts the VU if it is inside an iteration. Any thread.
    static void interrupt_if_running(VuSlot& slot);
    // Elapsed time since this scenario's start (any thread).
    Duration elapsed() const;
    void mark_started();
    // Control thread: the scenario has finished (progress display, exec.scenario.progress).
    void mark_finished();
    // Any thread: the scenario now holds `delta` more (or fewer) VUs; counted in the instance's
    // vusActive and the scenario's own counter.
    void add_active_vus(std::int64_t delta);

    RunControl& control_;
    const config::ScenarioConfig& config_;
    metrics::TagSetId tags_;
    ScenarioCounters& counters_;
    std::string executor_name_;
    const config::Stripe* iteration_stripe_ = nullptr; // set by the driver from its policy
    std::int64_t start_unix_ms_ = 0;
    bool started_ = false;
};

// The earliest of `candidates` that lies after `now`, or kNever: a deadline that has already
// passed would make the control loop spin.
Duration earliest_after(Duration now, std::initializer_list<Duration> candidates);

// Builds the driver for `config`. `tags` is the tag set for the scenario's own samples
// (dropped_iterations); `counters` receive its live progress and must outlive it.
std::unique_ptr<ScenarioRun> make_scenario_run(RunControl& control,
                                               const config::ScenarioConfig& config,
                                               metrics::TagSetId tags, ScenarioCounters& counters);

// The most VUs needed at once by scenarios overlapping in time (each holds its planned VUs
// from startTime to startTime + duration + gracefulStop): how many to initialise up front.
// With `possible`, arrival-rate scenarios count their maxVUs instead of preAllocatedVUs: k6's
// "max VUs" in the execution description.
// In segment `tuple`, every count is the segment's share.
std::uint64_t planned_vus(const std::vector<config::ScenarioConfig>& scenarios,
                          const config::ExecutionTuple& tuple = config::ExecutionTuple(),
                          bool possible = false);

} // namespace volley::exec
