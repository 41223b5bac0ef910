#pragma once

#include "exec/executor.hpp"

namespace volley::exec {

// ramping-arrival-rate: the rate moves linearly between stage targets (iterations per
// timeUnit, from startRate); iteration i (1-based) starts when the area under the rate curve
// reaches i. A port of k6's RampingArrivalRateConfig.cal, with the same floating-point
// operations, so start times match k6's to the nanosecond. In a segment, i walks the arrivals'
// stripe: the segment starts its share of the test's iterations.
class RampingArrivalRate final : public ArrivalSchedule {
public:
    explicit RampingArrivalRate(const config::ScenarioConfig& config,
                                const config::ExecutionTuple& tuple = config::ExecutionTuple());
    Duration regular_duration() const override { return regular_; }
    std::optional<Duration> next_start() override;

private:
    void enter_stage();

    Duration regular_{0};
    std::size_t stage_ = 0;
    bool in_stage_ = false;
    double i_ = 1;          // area (iterations) of the next start
    std::size_t taken_ = 0; // starts given so far (the stripe's offset index)
    double done_ = 0;       // area before the current stage
    double end_count_ = 0;  // area at the end of the current stage
    double from_ = 0;       // rate per nanosecond at the stage start
    double to_ = 0;         // rate per nanosecond at the stage end
    double duration_ = 0;   // stage length, ns
    Duration stage_start_{0};
};

} // namespace volley::exec
