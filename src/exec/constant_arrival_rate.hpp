#pragma once

#include "exec/executor.hpp"

namespace volley::exec {

// constant-arrival-rate: iteration i starts at i * P, P = timeUnit / rate truncated to whole
// nanoseconds (k6's getTickerPeriod), for every start before `duration`. In a segment, only the
// i of the arrivals' stripe (the test's period is kept: the segment skips the others').
class ConstantArrivalRate final : public ArrivalSchedule {
public:
    explicit ConstantArrivalRate(const config::ScenarioConfig& config,
                                 const config::ExecutionTuple& tuple = config::ExecutionTuple());
    Duration regular_duration() const override { return config_.duration; }
    std::optional<Duration> next_start() override;
    Duration period() const { return period_; }

private:
    Duration period_;
    std::uint64_t next_ = 0;   // how many starts were given
    std::int64_t arrival_ = 0; // the test-wide number of the next one
};

} // namespace volley::exec
