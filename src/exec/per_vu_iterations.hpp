#pragma once

#include "exec/executor.hpp"

namespace volley::exec {

// per-vu-iterations: each of `vus` VUs runs `iterations` iterations, until maxDuration.
class PerVuIterations final : public LoopingExecutor {
public:
    using LoopingExecutor::LoopingExecutor;
    std::uint64_t max_vus() const override;
    bool has_work() const override { return max_vus() > 0 && config_.iterations > 0; }
    Duration regular_duration() const override { return config_.max_duration; }
    std::uint64_t active_vus(Duration t) const override;
    std::optional<std::uint64_t> claim(std::uint64_t index, std::uint64_t done,
                                       Duration t) override;
};

} // namespace volley::exec
