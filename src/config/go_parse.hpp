#pragma once

// The errors of Go's parsers that k6 shows verbatim for command-line flags: time.ParseDuration
// (`-d, --duration`, `--stage`) and strconv.ParseInt (`-u, --vus`, `-i, --iterations`, stage
// targets). Each returns "" when Go accepts the text, else Go's error text. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace volley::config {

// `time: invalid duration "x"`, `time: missing unit in duration "1"`,
// `time: unknown unit "d" in duration "1d"`.
std::string go_parse_duration_error(std::string_view text);

// strconv.ParseInt(text, base, 64): "" and *value set (when value is not null), or Go's error
// `strconv.ParseInt: parsing "x": invalid syntax` / `...: value out of range`. Base 0 is
// pflag's for Int64 flags: 0x, 0o, 0b and leading-0 octal prefixes, underscores between digits.
std::string go_parse_int(std::string_view text, int base, std::int64_t* value = nullptr);

// strconv.ParseBool: 1, t, T, TRUE, true, True; 0, f, F, FALSE, false, False; else nullopt.
std::optional<bool> go_parse_bool(std::string_view text);

// guregu/null.v3's Bool.UnmarshalText, how k6 reads its K6_* booleans: "true" or "false"; "" and
// "null" leave the option unset; anything else is invalid (k6: `invalid input:<text>`).
enum class NullBool { kUnset, kFalse, kTrue, kInvalid };
NullBool parse_null_bool(std::string_view text);
// k6's error for such a variable (`K6_LINGER`, field `Linger`) holding `value`: envconfig's text.
std::string null_bool_env_error(std::string_view var, std::string_view field,
                                std::string_view value);

} // namespace volley::config
