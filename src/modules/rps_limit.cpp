#include "modules/rps_limit.hpp"

#include <algorithm>
#include <chrono>

namespace volley::modules {

RpsLimit::RpsLimit(std::int64_t rps)
    : interval_ns_(std::max<std::int64_t>(1'000'000'000 / rps, 1)) {}

SteadyClock::time_point RpsLimit::reserve(SteadyClock::time_point now) {
    const std::int64_t now_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    std::int64_t next = next_ns_.load(std::memory_order_relaxed);
    std::int64_t turn = 0;
    do {
        turn = std::max(now_ns, next);
    } while (!next_ns_.compare_exchange_weak(next, turn + interval_ns_, std::memory_order_relaxed));
    turns_.fetch_add(1, std::memory_order_relaxed);
    return SteadyClock::time_point(
        std::chrono::duration_cast<SteadyClock::duration>(std::chrono::nanoseconds(turn)));
}

} // namespace volley::modules
