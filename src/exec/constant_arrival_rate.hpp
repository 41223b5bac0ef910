#pragma once

#include "exec/executor.hpp"

namespace volley::exec {

// constant-arrival-rate: iteration i starts at i * P, P = timeUnit / rate truncated to whole
// nanoseconds (k6's getTickerPeriod), for every start before `duration`.
class ConstantArrivalRate final : public ArrivalSchedule {
public:
    explicit ConstantArrivalRate(const config::ScenarioConfig& config);
    Duration regular_duration() const override { return config_.duration; }
    std::optional<Duration> next_start() override;
    Duration period() const { return period_; }

private:
    Duration period_;
    std::uint64_t next_ = 0;
};

} // namespace volley::exec
