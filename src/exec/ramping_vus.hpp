#pragma once

#include <vector>

#include "exec/executor.hpp"

namespace volley::exec {

// From `offset` on (since the scenario start), `vus` VUs are planned.
struct VuStep {
    Duration offset{0};
    std::uint64_t vus = 0;
    bool operator==(const VuStep&) const = default;
};

// k6's raw execution steps of ramping-vus (getRawExecutionSteps, without the final zero step):
// starts with {0, startVUs}; a linear stage from `f` to `t` VUs over D ending at E reaches each
// count u at E - D*(t-u)/(t-f) when ramping up, and drops to u-1 at E - D*(u-1-t)/(f-t) when
// ramping down (integer nanoseconds); zero-length stages jump at their end. Consecutive equal
// counts are merged. In a segment, u walks the test-wide VU numbers of `stripe` and the count
// is this segment's VUs among them.
std::vector<VuStep> ramping_vus_steps(std::int64_t start_vus,
                                      const std::vector<config::Stage>& stages,
                                      const config::Stripe& stripe = config::Stripe());

// ramping-vus: the number of looping VUs follows the steps above. A VU above the planned count
// starts no new iteration; its running one is interrupted once it has been above the count for
// gracefulRampDown (k6's reserveVUsForGracefulRampDowns), and VUs still running when the stages
// end get gracefulStop.
class RampingVus final : public LoopingExecutor {
public:
    explicit RampingVus(const config::ScenarioConfig& config,
                        config::ExecutionTuple tuple = config::ExecutionTuple());
    std::uint64_t max_vus() const override { return max_vus_; }
    Duration regular_duration() const override { return regular_; }
    std::uint64_t active_vus(Duration t) const override;
    std::uint64_t graceful_vus(Duration t) const override;
    std::optional<Duration> next_change(Duration t) const override;
    std::optional<std::uint64_t> claim(std::uint64_t index, std::uint64_t done,
                                       Duration t) override;

    const std::vector<VuStep>& steps() const { return steps_; }

private:
    std::uint64_t planned(Duration t) const;

    std::vector<VuStep> steps_;
    Duration regular_{0};
    std::uint64_t max_vus_ = 0;
};

} // namespace volley::exec
