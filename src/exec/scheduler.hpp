#pragma once

// The driver of a whole run on real time (docs/architecture.md, "Data flow"): initialises the VUs
// on the worker threads, runs setup(), all scenarios (startTime, gracefulStop, interrupts),
// teardown(). Each scenario applies its executor's policy (exec/executor.hpp) through
// exec/scenario_run.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/options.hpp"
#include "exec/clock.hpp"
#include "exec/execution_state.hpp"
#include "exec/run_snapshot.hpp"
#include "exec/runner.hpp"
#include "exec/scenario_run.hpp"
#include "exec/vu_pool.hpp"
#include "exec/workers.hpp"
#include "metrics/registry.hpp"
#include "metrics/sample.hpp"
#include "util/error.hpp"

namespace volley::exec {

// How a run ended.
struct RunResult {
    enum class End {
        kCompleted, // every scenario ran to its end
        kStopped,   // stop() (Ctrl-C / SIGTERM): exit code 105
        kAborted,   // abort(): test.abort() (108) or a threshold's abortOnFail (99)
    };
    End end = End::kCompleted;
    ExitCode exit_code = ExitCode::kOk; // what this end implies; kOk when completed
    std::string reason;                 // abort()'s reason, "" otherwise
};

// Tag set for the samples a scenario emits itself (dropped_iterations): the run tags plus
// `scenario=<name>` when that system tag is enabled. Called on the control thread.
using ScenarioTagger = std::function<metrics::TagSetId(const config::ScenarioConfig&)>;

// k6's Scheduler.SetPaused once the test has started: the error of the first scenario that runs
// here, since none of volley's executors can pause ("" when none runs).
std::string pause_refusal(const config::RunOptions& options);

class Scheduler {
public:
    // All references must outlive the Scheduler. `sink` is used only by the thread calling
    // run(): `vus` and `vus_max` gauges at the start of the scenarios and every second,
    // `dropped_iterations`. `clock` defaults to the real clock; tests pass a ManualClock.
    // `tagger` defaults to returning `run_tags`.
    Scheduler(const config::RunOptions& options, Workers& workers, metrics::SampleSink& sink,
              const metrics::Builtins& builtins, metrics::TagSetId run_tags, Clock* clock = nullptr,
              ScenarioTagger tagger = {});
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Blocking; call once. Initialises the most VUs needed at once (planned_vus(), ids from 1,
    // round-robin over the workers, all in parallel), runs setup() (unless noSetup), the
    // scenarios, and teardown() (unless noTeardown; also after stop()/abort()), then ends every
    // VU coroutine (VUs are destroyed on their own threads). Every path returns only after all
    // coroutines have returned, so Workers may be stopped afterwards.
    // Throws: the first UserError from Runner::new_vu (107) before setup; setup()'s or
    // teardown()'s error unless stop()/abort() came first or during it (then the RunResult
    // tells, as in k6); UserError kSetupTimeout/kTeardownTimeout (`setup() execution timed
    // out after 60 seconds`) after interrupting them with Runner::interrupt_lifecycle().
    RunResult run(Runner& runner);

    // Thread-safe, idempotent; the first of stop()/abort() decides the result. Ends the test as
    // k6 does on the first Ctrl-C: no new iterations start and running ones are interrupted now
    // (not after gracefulStop); teardown still runs. RunResult: kStopped, exit code 105.
    void stop();

    // Thread-safe: like stop(), for test.abort() (kScriptAborted) or a threshold's abortOnFail
    // (kThresholdsFailed). RunResult: kAborted with `code` and `reason`.
    void abort(std::string reason, ExitCode code);

    // Before run(): initialise the VUs, then wait for set_paused(false) (or stop()) before
    // setup() and the scenarios (k6's --paused).
    void start_paused();

    // Thread-safe. k6's Scheduler.SetPaused: resumes a test waiting before its start; every
    // other change is refused, since no executor volley runs can pause once started. Returns
    // k6's error text, or "" when done.
    std::string set_paused(bool pause);
    bool paused() const;

    // Counters for k6/execution; any thread may read them at any time.
    const ExecutionState& state() const { return state_; }

    // Any thread, any time (before, during and after run()); cheap: relaxed atomic loads, no
    // lock. The run and every scenario as they are now, for the progress display.
    RunSnapshot snapshot() const;

    // Any thread: exec.scenario.progress (0..1) of the scenario named `name`; 0 if unknown.
    double scenario_progress(const std::string& name) const;

private:
    void end_with(RunResult::End end, ExitCode code, std::string reason);
    void init_vus(Runner& runner);
    bool wait_for_start();
    void run_lifecycle(Runner& runner, bool setup);
    void run_scenarios();
    Duration tick_all(std::vector<std::unique_ptr<ScenarioRun>>& runs, Duration now);
    void emit_gauges();

    const config::RunOptions& options_;
    Workers& workers_;
    metrics::TagSetId run_tags_;
    std::unique_ptr<Clock> own_clock_;
    Clock& clock_;
    ScenarioTagger tagger_;
    std::vector<ScenarioPlan> plans_;                  // one per options_.scenarios
    std::deque<ScenarioCounters> counters_;            // one per options_.scenarios; never resized
    std::atomic<std::int64_t> scenarios_start_ns_{-1}; // control_.t0 once set, for snapshots
    mutable ControlSync sync_;
    ExecutionState state_;
    VuPool pool_;
    RunControl control_;
    RunResult result_;    // under sync_.mutex
    bool ended_ = false;  // under sync_.mutex: stop()/abort() was called
    bool paused_ = false; // under sync_.mutex: waiting for set_paused(false) before the start
    bool ran_ = false;
};

} // namespace volley::exec
