#include "exec/scenario_run.hpp"

#include <algorithm>
#include <map>

#include <boost/asio/post.hpp>

namespace volley::exec {

std::unique_ptr<ScenarioRun> make_loop_scenario(RunControl& control,
                                                const config::ScenarioConfig& config,
                                                metrics::TagSetId tags, ScenarioCounters& counters);
std::unique_ptr<ScenarioRun> make_arrival_scenario(RunControl& control,
                                                   const config::ScenarioConfig& config,
                                                   metrics::TagSetId tags,
                                                   ScenarioCounters& counters);

ScenarioRun::ScenarioRun(RunControl& control, const config::ScenarioConfig& config,
                         metrics::TagSetId tags, ScenarioCounters& counters)
    : control_(control), config_(config), tags_(tags), counters_(counters),
      executor_name_(config::executor_name(config.executor)) {}

Duration ScenarioRun::elapsed() const {
    return control_.clock.now() - control_.t0 - config_.start_time;
}

void ScenarioRun::mark_started() {
    started_ = true;
    start_unix_ms_ = control_.clock.unix_ns() / 1'000'000;
    counters_.started_ns.store(control_.clock.now().count(), std::memory_order_relaxed);
}

void ScenarioRun::mark_finished() {
    counters_.finished_ns.store(control_.clock.now().count(), std::memory_order_relaxed);
}

void ScenarioRun::add_active_vus(std::int64_t delta) {
    // Two's complement wrap-around makes fetch_add of a negated delta a subtraction.
    auto d = static_cast<std::uint64_t>(delta);
    control_.state.vus_active.fetch_add(d, std::memory_order_relaxed);
    counters_.vus_active.fetch_add(d, std::memory_order_relaxed);
}

bool ScenarioRun::run_one(VuSlot& slot, std::uint64_t in_scenario, std::uint64_t in_instance,
                          const std::atomic<bool>& stop, Yield yield) {
    // Publishing in_iteration before reading `stop` (both seq_cst) pairs with the control
    // thread setting `stop` before reading in_iteration: either we see the stop, or it sees us
    // and interrupts.
    slot.in_iteration.store(true);
    if (stop.load() || control_.stopping.load()) {
        slot.in_iteration.store(false);
        return false;
    }
    IterationContext ctx;
    ctx.scenario = &config_.name;
    ctx.executor = &executor_name_;
    ctx.exec = &config_.exec;
    ctx.scenario_env = &config_.env;
    ctx.scenario_tags = &config_.tags;
    ctx.iteration_in_scenario = in_scenario;
    ctx.iteration_in_instance = in_instance;
    ctx.iteration_in_test =
        iteration_stripe_ != nullptr ? iteration_stripe_->global(in_instance) : in_instance;
    ctx.scenario_start_unix_ms = start_unix_ms_;
    IterationResult result = slot.vu->run_iteration(ctx, yield);
    slot.in_iteration.store(false);
    bool interrupted = result == IterationResult::kInterrupted;
    auto& counter =
        interrupted ? control_.state.iterations_interrupted : control_.state.iterations_completed;
    counter.fetch_add(1, std::memory_order_relaxed);
    auto& own = interrupted ? counters_.iterations_interrupted : counters_.iterations_completed;
    own.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void ScenarioRun::interrupt_if_running(VuSlot& slot) {
    if (slot.in_iteration.load()) {
        slot.vu->interrupt();
    }
}

Duration earliest_after(Duration now, std::initializer_list<Duration> candidates) {
    Duration best = kNever;
    for (Duration c : candidates) {
        if (c > now && c < best) {
            best = c;
        }
    }
    return best;
}

std::unique_ptr<ScenarioRun> make_scenario_run(RunControl& control,
                                               const config::ScenarioConfig& config,
                                               metrics::TagSetId tags, ScenarioCounters& counters) {
    if (auto run = make_loop_scenario(control, config, tags, counters)) {
        return run;
    }
    return make_arrival_scenario(control, config, tags, counters);
}

std::uint64_t planned_vus(const std::vector<config::ScenarioConfig>& scenarios,
                          const config::ExecutionTuple& tuple, bool possible) {
    // Sweep over [start, start + duration + gracefulStop) intervals; ends sort before starts
    // at the same instant, so back-to-back scenarios share VUs.
    std::multimap<Duration, std::int64_t> events;
    for (const auto& sc : scenarios) {
        std::int64_t vus = 0;
        Duration length{0};
        if (auto loop = make_looping_executor(sc, tuple)) {
            vus = static_cast<std::int64_t>(loop->max_vus());
            length = loop->regular_duration();
        } else if (auto arrival = make_arrival_schedule(sc, tuple)) {
            vus = static_cast<std::int64_t>(possible ? arrival->max_vus()
                                                     : arrival->pre_allocated_vus());
            length = arrival->regular_duration();
        }
        events.emplace(sc.start_time + length + sc.graceful_stop, -vus);
        events.emplace(sc.start_time, vus);
    }
    std::int64_t current = 0;
    std::int64_t most = 0;
    for (auto it = events.begin(); it != events.end();) {
        auto range = events.equal_range(it->first);
        std::vector<std::int64_t> deltas;
        for (auto r = range.first; r != range.second; ++r) {
            deltas.push_back(r->second);
        }
        std::sort(deltas.begin(), deltas.end());
        for (auto d : deltas) {
            current += d;
            most = std::max(most, current);
        }
        it = range.second;
    }
    return static_cast<std::uint64_t>(most);
}

} // namespace volley::exec
