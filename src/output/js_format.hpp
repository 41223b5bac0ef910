#pragma once

// JavaScript number formatting and k6's summary humanisers (k6 internal/js/summary.js), in IEEE
// double arithmetic so the results match k6 byte for byte (k6-behaviour.md §5.9 and Q19). Pure
// functions, thread-safe.

#include <string>
#include <string_view>

namespace volley::output {

// ECMAScript Number::toString(): shortest round-trip digits, fixed notation for
// 1e-6 <= |x| < 1e21, else exponent form ("1e+21", "1.5e-7"); "NaN", "Infinity".
std::string js_number_to_string(double x);
// ECMAScript Number.prototype.toFixed(digits) (exact decimal value, ties away from zero), for
// |x| < 1e21.
std::string js_to_fixed(double x, int digits);

// summary.js humanizers. `contains` is "default", "time" or "data"; `time_unit` is "", "s",
// "ms" or "us".
std::string humanize_rate(double fraction);                           // "66.66%"
std::string humanize_bytes(double bytes);                             // "1.2 kB"
std::string humanize_duration(double ms, std::string_view time_unit); // "604.29ms"
std::string to_fixed_no_trailing_zeros(double x, int digits);         // "1.4999"
std::string humanize_value(double v, bool is_rate, std::string_view contains,
                           std::string_view time_unit);

// Display width as summary.js counts it: code points, ANSI escape sequences excluded.
std::size_t str_width(std::string_view s);

// Ordering of String.prototype.localeCompare in the root collation for the characters metric
// names use: punctuation before digits before letters, case-insensitive first, then lower case
// before upper case. Returns <0, 0 or >0.
int locale_compare(std::string_view a, std::string_view b);

} // namespace volley::output
