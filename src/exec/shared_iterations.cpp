#include "exec/shared_iterations.hpp"

namespace volley::exec {

std::uint64_t SharedIterations::max_vus() const {
    return static_cast<std::uint64_t>(config_.vus);
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
        if (n >= static_cast<std::uint64_t>(config_.iterations)) {
            return std::nullopt;
        }
    } while (!taken_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
    return n;
}

} // namespace volley::exec
