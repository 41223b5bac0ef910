#include "exec/run_snapshot.hpp"

#include <algorithm>

#include "exec/executor.hpp"
#include "exec/shared_iterations.hpp"

namespace volley::exec {

namespace {

// k6's descriptions: constant-arrival-rate scales its rate by the segment's share of maxVUs,
// ramping-arrival-rate by the segment's length.
double segment_rate(const config::ScenarioConfig& config, const config::ExecutionTuple& tuple,
                    std::uint64_t max_vus) {
    double unit_s = std::chrono::duration<double>(config.time_unit).count();
    if (unit_s <= 0) {
        return 0;
    }
    if (config.executor == config::ExecutorType::kConstantArrivalRate) {
        auto all = std::max(config.max_vus, config.pre_allocated_vus);
        return max_vus == 0 || all <= 0
                   ? 0
                   : static_cast<double>(config.rate) / unit_s * static_cast<double>(max_vus) /
                         static_cast<double>(all);
    }
    std::int64_t peak = config.start_rate;
    for (const auto& stage : config.stages) {
        peak = std::max(peak, stage.target);
    }
    return static_cast<double>(peak) / unit_s * tuple.segment().length().to_double();
}

} // namespace

ScenarioPlan plan_scenario(const config::ScenarioConfig& config,
                           const config::ExecutionTuple& tuple) {
    using config::ExecutorType;
    ScenarioPlan plan;
    if (auto loop = make_looping_executor(config, tuple)) {
        plan.has_work = loop->has_work();
        plan.regular = loop->regular_duration();
        plan.max_vus = loop->max_vus();
        plan.vus = loop->max_vus();
        if (config.executor == ExecutorType::kSharedIterations) {
            plan.total_iterations = dynamic_cast<const SharedIterations&>(*loop).iterations();
        } else if (config.executor == ExecutorType::kPerVuIterations) {
            plan.total_iterations = plan.vus * static_cast<std::uint64_t>(config.iterations);
        }
    } else if (auto arrival = make_arrival_schedule(config, tuple)) {
        plan.has_work = arrival->has_work();
        plan.regular = arrival->regular_duration();
        plan.pre_allocated_vus = arrival->pre_allocated_vus();
        plan.max_vus = arrival->max_vus();
        plan.rate_per_second = segment_rate(config, tuple, plan.max_vus);
    }
    return plan;
}

ScenarioSnapshot snapshot_scenario(const config::ScenarioConfig& config, const ScenarioPlan& plan,
                                   const ScenarioCounters& counters, Duration now) {
    ScenarioSnapshot s;
    s.config = &config;
    s.plan = plan;
    std::int64_t started = counters.started_ns.load(std::memory_order_relaxed);
    std::int64_t finished = counters.finished_ns.load(std::memory_order_relaxed);
    s.vus_active = counters.vus_active.load(std::memory_order_relaxed);
    s.iterations_completed = counters.iterations_completed.load(std::memory_order_relaxed);
    s.iterations_interrupted = counters.iterations_interrupted.load(std::memory_order_relaxed);
    if (started < 0) {
        return s;
    }
    s.state = finished < 0 ? ScenarioSnapshot::State::kRunning : ScenarioSnapshot::State::kDone;
    std::int64_t until = finished < 0 ? now.count() : finished;
    s.elapsed = Duration{std::max<std::int64_t>(0, until - started)};
    if (s.state == ScenarioSnapshot::State::kDone) {
        s.progress = 1;
    } else if (plan.total_iterations > 0) {
        s.progress = static_cast<double>(s.iterations_completed + s.iterations_interrupted) /
                     static_cast<double>(plan.total_iterations);
    } else if (plan.regular.count() > 0) {
        s.progress =
            static_cast<double>(s.elapsed.count()) / static_cast<double>(plan.regular.count());
    }
    s.progress = std::clamp(s.progress, 0.0, 1.0);
    return s;
}

} // namespace volley::exec
