#pragma once

// k6 durations (k6-behaviour.md §5.3): strings such as "30s", "1m30s", "1.5s", "500ms", "1d2h"
// (Go's time.ParseDuration plus k6's day unit), plain number strings and JSON numbers meaning
// milliseconds. Pure functions; thread-safe.

#include <chrono>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

namespace volley::config {

using Duration = std::chrono::nanoseconds;

// Why a duration did not parse: a one-line message naming the text, and a hint for the user.
struct DurationError {
    std::string message; // e.g. `invalid duration "1x": unknown unit "x"`
    std::string hint;
};

// Parses a k6 duration string. Accepted: an optional sign, then one or more `<number><unit>`
// parts (number may have a fraction; units d, h, m, s, ms, us, µs, ns), the bare "0", or a
// plain number such as "10" or "1.5" (milliseconds, as k6's ParseExtendedDuration). Overflow of
// int64 nanoseconds is an error. Negative values parse; callers validate ranges.
boost::system::result<Duration, DurationError> parse_duration(std::string_view text);

// Parses a JSON option value: a string as parse_duration, a number as milliseconds (fractions
// kept to the nanosecond). Other JSON types are errors.
boost::system::result<Duration, DurationError> duration_from_json(const boost::json::value& value);

// Formats like Go's time.Duration.String(), which k6 prints: "0s", "500ms", "1.5s", "1m30s",
// "1h0m0s", "2.5µs", "-1s". Days are never used (48h0m0s).
std::string format_duration(Duration d);

} // namespace volley::config
