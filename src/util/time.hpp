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

} // namespace volley
