#pragma once

#include "exec/executor.hpp"

namespace volley::exec {

// shared-iterations: `vus` VUs share `iterations` iterations; each VU takes the next one as soon
// as it is free, until all are taken or maxDuration has passed.
class SharedIterations final : public LoopingExecutor {
public:
    using LoopingExecutor::LoopingExecutor;
    std::uint64_t max_vus() const override;
    Duration regular_duration() const override { return config_.max_duration; }
    std::uint64_t active_vus(Duration t) const override;
    std::optional<std::uint64_t> claim(std::uint64_t index, std::uint64_t done,
                                       Duration t) override;

private:
    std::atomic<std::uint64_t> taken_{0};
};

} // namespace volley::exec
