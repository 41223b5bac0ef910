#pragma once

// The command line: `volley run|echo|inspect|version` with k6's flags for `run` (spec §5.7).
// Parsing only: values are kept as the user typed them and validated by config::consolidate.

#include <optional>
#include <string>
#include <vector>

namespace volley::app {

// `volley run` flags as given (nullopt / empty = not given).
struct RunArgs {
    std::string script;
    std::optional<std::string> vus;
    std::optional<std::string> duration;
    std::optional<std::string> iterations;
    std::vector<std::string> stages;     // -s 30s:10 (repeatable)
    std::vector<std::string> env;        // -e K=V (repeatable)
    bool include_system_env = true;      // --include-system-env-vars
    std::vector<std::string> outputs;    // -o json=FILE (repeatable)
    std::vector<std::string> tags;       // --tag NAME=VALUE (repeatable)
    std::optional<std::string> system_tags;
    std::optional<std::string> summary_trend_stats;
    std::optional<std::string> summary_time_unit;
    std::optional<std::string> summary_mode;
    std::optional<std::string> summary_export;
    std::optional<std::string> config_file; // -c FILE
    std::optional<std::string> user_agent;
    std::optional<std::string> min_iteration_duration;
    std::optional<std::string> log_format;
    bool no_summary = false;
    bool no_thresholds = false;
    bool throw_errors = false;
    bool insecure_skip_tls_verify = false;
    bool no_setup = false;
    bool no_teardown = false;
    bool quiet = false;
    bool no_color = false;
    bool verbose = false;
};

enum class Command { kRun, kEcho, kInspect, kVersion, kHelp };

struct Cli {
    Command command = Command::kHelp;
    RunArgs run;                   // run and inspect
    std::vector<std::string> rest; // echo: its own arguments
    std::string help;              // kHelp: the text to print
};

// Parses argv. Throws UserError (exit 255, k6's code for usage errors) with a hint for unknown
// commands, unknown flags and missing values; `--help` yields Command::kHelp.
Cli parse_cli(int argc, const char* const* argv);

// The `volley --help` text (also the source of docs/cli.md).
std::string help_text();

} // namespace volley::app
