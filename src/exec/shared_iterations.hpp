#pragma once

#include "exec/executor.hpp"

namespace volley::exec {

// shared-iterations: `vus` VUs share `iterations` iterations; each VU takes the next one as soon
// as it is free, until all are taken or maxDuration has passed.
class SharedIterations final : public LoopingExecutor {
public:
    // The iterations follow the VUs: k6 re-cuts the sequence by `vus` and takes this
    // segment's share of `iterations` from that.
    explicit SharedIterations(const config::ScenarioConfig& config,
                              config::ExecutionTuple tuple = config::ExecutionTuple());
    std::uint64_t max_vus() const override;
    bool has_work() const override { return max_vus() > 0 && iterations_ > 0; }
    const config::Stripe& iteration_stripe() const override { return by_vus_.stripe(); }
    std::uint64_t iterations() const { return iterations_; }
    Duration regular_duration() const override { return config_.max_duration; }
    std::uint64_t active_vus(Duration t) const override;
    std::optional<std::uint64_t> claim(std::uint64_t index, std::uint64_t done,
                                       Duration t) override;

private:
    config::ExecutionTuple by_vus_;
    std::uint64_t iterations_ = 0;
    std::atomic<std::uint64_t> taken_{0};
};

} // namespace volley::exec
