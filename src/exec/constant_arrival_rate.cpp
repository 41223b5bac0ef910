#include "exec/constant_arrival_rate.hpp"

namespace volley::exec {

ConstantArrivalRate::ConstantArrivalRate(const config::ScenarioConfig& config)
    : ArrivalSchedule(config),
      period_(static_cast<std::int64_t>(static_cast<double>(config.time_unit.count()) /
                                        static_cast<double>(config.rate))) {}

std::optional<Duration> ConstantArrivalRate::next_start() {
    Duration start = period_ * static_cast<std::int64_t>(next_);
    if (start >= regular_duration() || (next_ > 0 && period_.count() == 0)) {
        return std::nullopt;
    }
    ++next_;
    return start;
}

} // namespace volley::exec
