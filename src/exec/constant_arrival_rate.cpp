#include "exec/constant_arrival_rate.hpp"

namespace volley::exec {

ConstantArrivalRate::ConstantArrivalRate(const config::ScenarioConfig& config,
                                         const config::ExecutionTuple& tuple)
    : ArrivalSchedule(config, tuple),
      period_(static_cast<std::int64_t>(static_cast<double>(config.time_unit.count()) /
                                        static_cast<double>(config.rate))),
      arrival_(arrivals_.stripe().start) {}

std::optional<Duration> ConstantArrivalRate::next_start() {
    Duration start = period_ * arrival_;
    if (start >= regular_duration() || (next_ > 0 && period_.count() == 0)) {
        return std::nullopt;
    }
    const auto& offsets = arrivals_.stripe().offsets;
    arrival_ += offsets[next_ % offsets.size()];
    ++next_;
    return start;
}

} // namespace volley::exec
