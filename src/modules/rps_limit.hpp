#pragma once

// k6's `rps` option (--rps, K6_RPS): one limit on the k6/http requests of every VU of the
// instance, as golang.org/x/time/rate's Limiter with a burst of 1 that k6 makes of it: the first
// request goes at once, then one every 1/rps s. Each request takes its turn once it is ready to
// be sent (redirect hops do not take another). Any thread: the turns are one atomic.

#include <atomic>
#include <cstdint>

#include "util/time.hpp"

namespace volley::modules {

class RpsLimit {
public:
    explicit RpsLimit(std::int64_t rps); // rps > 0

    // Takes the next turn and returns when it comes: now, or later when turns are queued.
    SteadyClock::time_point reserve(SteadyClock::time_point now = SteadyClock::now());

    // How many turns were taken.
    std::uint64_t turns() const { return turns_.load(std::memory_order_relaxed); }

private:
    std::int64_t interval_ns_;
    std::atomic<std::uint64_t> turns_{0};
    std::atomic<std::int64_t> next_ns_{0}; // the earliest start of the next turn
};

} // namespace volley::modules
