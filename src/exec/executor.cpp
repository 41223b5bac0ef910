#include "exec/executor.hpp"

#include <algorithm>

#include "exec/constant_arrival_rate.hpp"
#include "exec/constant_vus.hpp"
#include "exec/per_vu_iterations.hpp"
#include "exec/ramping_arrival_rate.hpp"
#include "exec/ramping_vus.hpp"
#include "exec/shared_iterations.hpp"
#include "util/error.hpp"

namespace volley::exec {

ArrivalSchedule::ArrivalSchedule(const config::ScenarioConfig& config,
                                 const config::ExecutionTuple& tuple)
    : config_(config), pre_allocated_(static_cast<std::uint64_t>(
                           tuple.scale(std::max<std::int64_t>(config.pre_allocated_vus, 0)))),
      max_(static_cast<std::uint64_t>(
          tuple.scale(std::max<std::int64_t>({config.max_vus, config.pre_allocated_vus, 0})))),
      arrivals_(tuple.for_value(std::max<std::int64_t>(config.max_vus, config.pre_allocated_vus))
                    .value_or(tuple)) {}

std::uint64_t ArrivalSchedule::pre_allocated_vus() const {
    return pre_allocated_;
}

std::uint64_t ArrivalSchedule::max_vus() const {
    return std::max(pre_allocated_, max_);
}

std::unique_ptr<LoopingExecutor> make_looping_executor(const config::ScenarioConfig& config,
                                                       const config::ExecutionTuple& tuple) {
    using config::ExecutorType;
    switch (config.executor) {
    case ExecutorType::kSharedIterations:
        VOLLEY_CHECK(config.vus > 0 && config.iterations >= 0);
        return std::make_unique<SharedIterations>(config, tuple);
    case ExecutorType::kPerVuIterations:
        VOLLEY_CHECK(config.vus > 0 && config.iterations >= 0);
        return std::make_unique<PerVuIterations>(config, tuple);
    case ExecutorType::kConstantVus:
        VOLLEY_CHECK(config.vus > 0);
        return std::make_unique<ConstantVus>(config, tuple);
    case ExecutorType::kRampingVus:
        VOLLEY_CHECK(config.start_vus >= 0);
        return std::make_unique<RampingVus>(config, tuple);
    default:
        return nullptr;
    }
}

std::unique_ptr<ArrivalSchedule> make_arrival_schedule(const config::ScenarioConfig& config,
                                                       const config::ExecutionTuple& tuple) {
    using config::ExecutorType;
    switch (config.executor) {
    case ExecutorType::kConstantArrivalRate:
        VOLLEY_CHECK(config.rate > 0 && config.time_unit.count() > 0);
        return std::make_unique<ConstantArrivalRate>(config, tuple);
    case ExecutorType::kRampingArrivalRate:
        VOLLEY_CHECK(config.time_unit.count() > 0);
        return std::make_unique<RampingArrivalRate>(config, tuple);
    default:
        return nullptr;
    }
}

} // namespace volley::exec
