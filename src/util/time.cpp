#include "util/time.hpp"

namespace volley {

namespace {

constexpr auto kAnchorAge = std::chrono::seconds(1);

struct WallAnchor {
    SteadyClock::time_point steady{};
    std::int64_t unix_ns = 0;
    bool set = false;
};

} // namespace

std::int64_t unix_ns_at(SteadyClock::time_point t) {
    thread_local WallAnchor anchor;
    if (!anchor.set || t < anchor.steady || t - anchor.steady >= kAnchorAge) {
        anchor.steady = SteadyClock::now();
        anchor.unix_ns = now_unix_ns();
        anchor.set = true;
    }
    return anchor.unix_ns +
           std::chrono::duration_cast<std::chrono::nanoseconds>(t - anchor.steady).count();
}

} // namespace volley
