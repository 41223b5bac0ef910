#pragma once

#include "exec/executor.hpp"

namespace volley::exec {

// constant-vus: `vus` VUs loop over iterations for `duration`.
class ConstantVus final : public LoopingExecutor {
public:
    using LoopingExecutor::LoopingExecutor;
    std::uint64_t max_vus() const override;
    Duration regular_duration() const override { return config_.duration; }
    std::uint64_t active_vus(Duration t) const override;
    std::optional<std::uint64_t> claim(std::uint64_t index, std::uint64_t done,
                                       Duration t) override;
};

} // namespace volley::exec
