#include "exec/scheduler.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace volley::exec {
namespace {

constexpr Duration kGaugePeriod = std::chrono::seconds(1);

// Quits every VU coroutine when run() leaves, normally or by an exception.
class QuitOnExit {
public:
    explicit QuitOnExit(VuPool& pool) : pool_(pool) {}
    ~QuitOnExit() { pool_.quit_and_wait(); }
    QuitOnExit(const QuitOnExit&) = delete;
    QuitOnExit& operator=(const QuitOnExit&) = delete;

private:
    VuPool& pool_;
};

} // namespace

Scheduler::Scheduler(const config::RunOptions& options, Workers& workers, metrics::SampleSink& sink,
                     const metrics::Builtins& builtins, metrics::TagSetId run_tags, Clock* clock,
                     ScenarioTagger tagger)
    : options_(options), workers_(workers), run_tags_(run_tags),
      own_clock_(clock == nullptr ? std::make_unique<RealClock>() : nullptr),
      clock_(clock == nullptr ? *own_clock_ : *clock), tagger_(std::move(tagger)),
      pool_(workers, sync_, state_), control_{options, clock_,  sync_, pool_,
                                              state_,  nullptr, sink,  builtins} {
    if (!tagger_) {
        tagger_ = [run_tags](const config::ScenarioConfig&) { return run_tags; };
    }
    for (const auto& sc : options_.scenarios) {
        plans_.push_back(plan_scenario(sc, options_.execution));
        counters_.emplace_back();
    }
}

RunSnapshot Scheduler::snapshot() const {
    RunSnapshot snap;
    Duration now = clock_.now();
    std::int64_t start = scenarios_start_ns_.load(std::memory_order_relaxed);
    if (start >= 0) {
        snap.elapsed = Duration{std::max<std::int64_t>(0, now.count() - start)};
    }
    snap.vus_active = state_.vus_active.load(std::memory_order_relaxed);
    snap.vus_max = state_.vus_initialized.load(std::memory_order_relaxed);
    snap.iterations_completed = state_.iterations_completed.load(std::memory_order_relaxed);
    snap.iterations_interrupted = state_.iterations_interrupted.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < plans_.size(); ++i) {
        snap.scenarios.push_back(
            snapshot_scenario(options_.scenarios[i], plans_[i], counters_[i], now));
    }
    return snap;
}

double Scheduler::scenario_progress(const std::string& name) const {
    for (std::size_t i = 0; i < plans_.size(); ++i) {
        if (options_.scenarios[i].name == name) {
            return snapshot_scenario(options_.scenarios[i], plans_[i], counters_[i], clock_.now())
                .progress;
        }
    }
    return 0;
}

Scheduler::~Scheduler() = default;

void Scheduler::end_with(RunResult::End end, ExitCode code, std::string reason) {
    {
        std::lock_guard lock(sync_.mutex);
        if (!ended_) {
            ended_ = true;
            result_ = RunResult{end, code, std::move(reason)};
        }
        control_.stopping.store(true);
    }
    sync_.cv.notify_all();
}

void Scheduler::stop() {
    end_with(RunResult::End::kStopped, ExitCode::kExternalAbort, {});
}

void Scheduler::abort(std::string reason, ExitCode code) {
    end_with(RunResult::End::kAborted, code, std::move(reason));
}

std::string pause_refusal(const config::RunOptions& options) {
    for (const auto& sc : options.scenarios) {
        if (plan_scenario(sc, options.execution).has_work) {
            return fmt::format("{} executor '{}' doesn't support pause and resume operations "
                               "after its start",
                               config::executor_name(sc.executor), sc.name);
        }
    }
    return "";
}

void Scheduler::start_paused() {
    std::lock_guard lock(sync_.mutex);
    paused_ = true;
}

bool Scheduler::paused() const {
    std::lock_guard lock(sync_.mutex);
    return paused_;
}

std::string Scheduler::set_paused(bool pause) {
    {
        std::lock_guard lock(sync_.mutex);
        if (!state_.started.load() && paused_) {
            if (pause) {
                return "execution is already paused";
            }
            paused_ = false;
        } else {
            return pause_refusal(options_);
        }
    }
    sync_.cv.notify_all();
    return "";
}

// k6's PausedBeforeRun: true when the run should go on, false when it was stopped meanwhile.
bool Scheduler::wait_for_start() {
    std::unique_lock lock(sync_.mutex);
    if (paused_) {
        state_.status.store(ExecutionStatus::kPausedBeforeRun);
        sync_.cv.wait(lock, [this] { return !paused_ || ended_; });
    }
    return !ended_;
}

RunResult Scheduler::run(Runner& runner) {
    VOLLEY_CHECK(!ran_);
    ran_ = true;
    control_.runner = &runner;
    QuitOnExit quit(pool_);
    state_.status.store(ExecutionStatus::kInitVus);
    init_vus(runner);
    state_.status.store(ExecutionStatus::kInitDone);
    if (wait_for_start()) {
        state_.started.store(true);
        state_.status.store(ExecutionStatus::kSetup);
        if (!options_.no_setup) {
            run_lifecycle(runner, true);
        }
        state_.status.store(ExecutionStatus::kRunning);
        run_scenarios();
        state_.status.store(ExecutionStatus::kTeardown);
        if (!options_.no_teardown) {
            run_lifecycle(runner, false);
        }
    }
    std::lock_guard lock(sync_.mutex);
    state_.ended.store(true);
    state_.status.store(ended_ ? ExecutionStatus::kInterrupted : ExecutionStatus::kEnded);
    return result_;
}

void Scheduler::init_vus(Runner& runner) {
    std::unique_lock lock(sync_.mutex);
    std::uint64_t count = planned_vus(options_.scenarios, options_.execution);
    for (std::uint64_t i = 0; i < count; ++i) {
        pool_.spawn(runner);
    }
    sync_.cv.wait(lock, [this] { return pool_.all_ready(); });
    if (auto error = pool_.first_error()) {
        std::rethrow_exception(error);
    }
    lock.unlock();
    pool_.release_initialized();
}

void Scheduler::run_lifecycle(Runner& runner, bool setup) {
    bool done = false;
    std::exception_ptr error;
    Duration timeout = setup ? options_.setup_timeout : options_.teardown_timeout;
    Duration deadline = clock_.now() + timeout; // before it starts: it may move a manual clock
    workers_.spawn(0, [&](Yield yield) {
        try {
            setup ? runner.setup(yield) : runner.teardown(yield);
        } catch (const std::exception&) { // forced_unwind is not a std::exception: it passes
            error = std::current_exception();
        }
        std::lock_guard lock(sync_.mutex);
        done = true;
        sync_.cv.notify_all();
    });
    bool interrupted = false;
    bool timed_out = false;
    std::unique_lock lock(sync_.mutex);
    while (!done) {
        bool expired = clock_.now() >= deadline;
        if (!interrupted && (expired || (setup && ended_))) {
            timed_out = expired;
            interrupted = true;
            runner.interrupt_lifecycle();
        }
        clock_.wait_until(lock, sync_.cv, interrupted ? kNever : deadline);
    }
    if (timed_out) {
        auto seconds = std::chrono::duration<double>(timeout).count();
        throw UserError(
            fmt::format("{}() execution timed out after {:g} seconds", setup ? "setup" : "teardown",
                        seconds),
            fmt::format("increase {} in the options", setup ? "setupTimeout" : "teardownTimeout"),
            setup ? ExitCode::kSetupTimeout : ExitCode::kTeardownTimeout);
    }
    // Once the test was stopped or aborted (Ctrl-C, abortOnFail, or exec.test.abort() - also
    // from teardown() itself), that reason and its exit code win over the lifecycle function's
    // own error, as k6's scheduler returns the run context's cancel reason instead of it.
    if (error && !ended_) {
        std::rethrow_exception(error);
    }
}

void Scheduler::run_scenarios() {
    std::unique_lock lock(sync_.mutex);
    if (ended_) {
        return; // stopped or aborted during setup
    }
    control_.t0 = clock_.now();
    scenarios_start_ns_.store(control_.t0.count(), std::memory_order_relaxed);
    state_.test_start_unix_ms.store(clock_.unix_ns() / 1'000'000);
    std::vector<std::unique_ptr<ScenarioRun>> runs;
    for (std::size_t i = 0; i < options_.scenarios.size(); ++i) {
        const auto& sc = options_.scenarios[i];
        if (!plans_[i].has_work) {
            continue; // k6: "Executor '...' is disabled for segment ... due to lack of work!"
        }
        runs.push_back(make_scenario_run(control_, sc, tagger_(sc), counters_[i]));
        VOLLEY_CHECK(runs.back() != nullptr); // externally-controlled is rejected by config
    }
    Duration next_gauge{0};
    for (;;) {
        Duration now = clock_.now() - control_.t0;
        Duration deadline = tick_all(runs, now);
        if (now >= next_gauge) {
            emit_gauges();
            while (next_gauge <= now) {
                next_gauge += kGaugePeriod;
            }
        }
        bool all_done =
            std::all_of(runs.begin(), runs.end(), [](const auto& r) { return r->finished(); });
        if (all_done) {
            break;
        }
        clock_.wait_until(lock, sync_.cv, control_.t0 + std::min(deadline, next_gauge));
    }
    emit_gauges();
}

Duration Scheduler::tick_all(std::vector<std::unique_ptr<ScenarioRun>>& runs, Duration now) {
    // A scenario that finishes gives its VUs back; tick again so a waiting one can take them.
    for (;;) {
        std::size_t finished_before = 0;
        for (const auto& r : runs) {
            finished_before += r->finished() ? 1 : 0;
        }
        Duration deadline = kNever;
        std::size_t finished_after = 0;
        for (auto& r : runs) {
            deadline = std::min(deadline, r->tick(now));
            finished_after += r->finished() ? 1 : 0;
        }
        if (finished_after == finished_before) {
            return deadline;
        }
    }
}

void Scheduler::emit_gauges() {
    std::int64_t t = clock_.unix_ns();
    auto& sink = control_.sink;
    const auto& b = control_.builtins;
    sink.add(metrics::Sample{b.vus, run_tags_, t, static_cast<double>(state_.vus_active.load())});
    sink.add(metrics::Sample{b.vus_max, run_tags_, t,
                             static_cast<double>(state_.vus_initialized.load())});
}

} // namespace volley::exec
