#include "exec/ramping_arrival_rate.hpp"

#include <cmath>

namespace volley::exec {

RampingArrivalRate::RampingArrivalRate(const config::ScenarioConfig& config,
                                       const config::ExecutionTuple& tuple)
    : ArrivalSchedule(config, tuple), i_(static_cast<double>(arrivals_.stripe().start + 1)),
      from_(static_cast<double>(config.start_rate) /
            static_cast<double>(config.time_unit.count())) {
    for (const auto& stage : config.stages) {
        regular_ += stage.duration;
    }
}

void RampingArrivalRate::enter_stage() {
    const auto& stage = config_.stages[stage_];
    to_ = static_cast<double>(stage.target) / static_cast<double>(config_.time_unit.count());
    duration_ = static_cast<double>(stage.duration.count());
    if (from_ != to_) {
        end_count_ += duration_ * ((to_ - from_) / 2 + from_);
    } else {
        end_count_ += duration_ * to_;
    }
    in_stage_ = true;
}

std::optional<Duration> RampingArrivalRate::next_start() {
    while (stage_ < config_.stages.size()) {
        if (!in_stage_) {
            enter_stage();
        }
        if (i_ <= end_count_) {
            double x = 0;
            if (from_ != to_) {
                double under =
                    duration_ * (from_ * from_ * duration_ + 2 * (i_ - done_) * (to_ - from_));
                x = (from_ * duration_ - std::sqrt(under < 0 ? 0 : under)) / (from_ - to_);
            } else {
                x = (i_ - done_) / to_;
            }
            const auto& offsets = arrivals_.stripe().offsets;
            i_ += static_cast<double>(offsets[taken_++ % offsets.size()]);
            return Duration{static_cast<std::int64_t>(x)} + stage_start_;
        }
        done_ = end_count_;
        from_ = to_;
        stage_start_ += config_.stages[stage_].duration;
        ++stage_;
        in_stage_ = false;
    }
    return std::nullopt;
}

} // namespace volley::exec
