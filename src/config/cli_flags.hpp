#pragma once

// The number and duration flags of `volley run`, read as k6 reads them: pflag parses them
// before the script is loaded, so the first bad one ends the run with exit 255 and Go's text
// (`invalid argument "x" for "-u, --vus" flag: strconv.ParseInt: parsing "x": invalid syntax`).
// Pure; thread-safe. Every function throws UserError (ExitCode::kGeneric).

#include <cstdint>
#include <string>
#include <vector>

#include "config/duration.hpp"
#include "config/merge.hpp"

namespace volley::config {

// Checks every number, duration and stage flag given (--vus, --iterations, --duration,
// --min-iteration-duration, --stage, --max-redirects, --batch, --batch-per-host).
void check_cli_flags(const CliOverrides& cli);

// An Int64 flag (pflag: strconv.ParseInt(v, 0, 64): 0x, 0o, 0b, leading-0 octal, underscores).
std::int64_t parse_cli_int(const std::string& flag, const std::string& value);

// A Duration flag (time.ParseDuration: no days, no plain numbers).
Duration parse_cli_duration(const std::string& flag, const std::string& value);

// --stage values, each one or more comma-separated `[duration]:[target]` (pflag's StringSlice
// and lib.Stage's UnmarshalText; an empty target is 0).
std::vector<Stage> parse_cli_stages(const std::vector<std::string>& values);

} // namespace volley::config
