#pragma once

// Clocks and wall time, named once.

#include <chrono>
#include <cstdint>

namespace volley {

// The monotonic clock durations are measured with (k6 uses Go's monotonic time the same way).
using SteadyClock = std::chrono::steady_clock;

// Wall-clock time in nanoseconds since the Unix epoch: the timestamp of samples and outputs.
inline std::int64_t now_unix_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The wall time of a steady-clock instant, for a caller that already holds a steady reading
// (the k6/ws session loop: one clock read per turn serves its timers and its samples). Each
// thread reads the wall clock again once its anchor is a second old, so the result follows
// wall-clock steps within a second and is otherwise exact to the clocks' relative drift
// (NTP slews at most 500 ppm: 0.5 ms).
std::int64_t unix_ns_at(SteadyClock::time_point t);

} // namespace volley
