#pragma once

// The errors of Go's parsers that k6 shows verbatim for command-line flags: time.ParseDuration
// (`-d, --duration`, `--stage`) and strconv.ParseInt (`-u, --vus`, `-i, --iterations`, stage
// targets). Each returns "" when Go accepts the text, else Go's error text. Pure; thread-safe.

#include <string>
#include <string_view>

namespace volley::config {

// `time: invalid duration "x"`, `time: missing unit in duration "1"`,
// `time: unknown unit "d" in duration "1d"`.
std::string go_parse_duration_error(std::string_view text);

// `strconv.ParseInt: parsing "x": invalid syntax` or `...: value out of range` (base 10, 64 bits).
std::string go_parse_int_error(std::string_view text);

} // namespace volley::config
