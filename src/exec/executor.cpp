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

std::uint64_t ArrivalSchedule::pre_allocated_vus() const {
    return static_cast<std::uint64_t>(config_.pre_allocated_vus);
}

std::uint64_t ArrivalSchedule::max_vus() const {
    return std::max(pre_allocated_vus(), static_cast<std::uint64_t>(config_.max_vus));
}

std::unique_ptr<LoopingExecutor> make_looping_executor(const config::ScenarioConfig& config) {
    using config::ExecutorType;
    switch (config.executor) {
    case ExecutorType::kSharedIterations:
        VOLLEY_CHECK(config.vus > 0 && config.iterations >= 0);
        return std::make_unique<SharedIterations>(config);
    case ExecutorType::kPerVuIterations:
        VOLLEY_CHECK(config.vus > 0 && config.iterations >= 0);
        return std::make_unique<PerVuIterations>(config);
    case ExecutorType::kConstantVus:
        VOLLEY_CHECK(config.vus > 0);
        return std::make_unique<ConstantVus>(config);
    case ExecutorType::kRampingVus:
        VOLLEY_CHECK(config.start_vus >= 0);
        return std::make_unique<RampingVus>(config);
    default:
        return nullptr;
    }
}

std::unique_ptr<ArrivalSchedule> make_arrival_schedule(const config::ScenarioConfig& config) {
    using config::ExecutorType;
    switch (config.executor) {
    case ExecutorType::kConstantArrivalRate:
        VOLLEY_CHECK(config.rate > 0 && config.time_unit.count() > 0);
        return std::make_unique<ConstantArrivalRate>(config);
    case ExecutorType::kRampingArrivalRate:
        VOLLEY_CHECK(config.time_unit.count() > 0);
        return std::make_unique<RampingArrivalRate>(config);
    default:
        return nullptr;
    }
}

} // namespace volley::exec
