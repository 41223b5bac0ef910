#pragma once

// Go time formatting used by k6's outputs. Pure functions, thread-safe.

#include <cstdint>
#include <string>

namespace volley::output {

// time.Time.Format(time.RFC3339Nano) in the local time zone: nanoseconds with trailing zeros
// (and a bare '.') trimmed, "Z" for a zero offset, else "+01:00".
std::string rfc3339_nano_local(std::int64_t unix_ns);
// time.RFC3339 (whole seconds) in the local time zone.
std::string rfc3339_local(std::int64_t unix_ns);
// time.Duration.String(): "1m30s", "10s", "1.5s", "500ms", "0s".
std::string go_duration_string(std::int64_t ns);

} // namespace volley::output
