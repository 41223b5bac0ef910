#include "exec/shared_iterations.hpp"

namespace volley::exec {

SharedIterations::SharedIterations(const config::ScenarioConfig& config,
                                   config::ExecutionTuple tuple)
    : LoopingExecutor(config, std::move(tuple)) {
    if (auto by_vus = tuple_.for_value(config.vus)) {
        by_vus_ = *by_vus;
        iterations_ = static_cast<std::uint64_t>(by_vus_.scale(config.iterations));
    }
}

std::uint64_t SharedIterations::max_vus() const {
    return static_cast<std::uint64_t>(tuple_.scale(config_.vus));
}

std::uint64_t SharedIterations::active_vus(Duration t) const {
    return t < regular_duration() ? max_vus() : 0;
}

std::optional<std::uint64_t> SharedIterations::claim(std::uint64_t index, std::uint64_t /*done*/,
                                                     Duration t) {
    if (index >= max_vus() || t >= regular_duration()) {
        return std::nullopt;
    }
    // Stop counting once exhausted, so the counter cannot wrap however often VUs ask.
    std::uint64_t n = taken_.load(std::memory_order_relaxed);
    do {
        if (n >= iterations_) {
            return std::nullopt;
        }
    } while (!taken_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
    return n;
}

} // namespace volley::exec
