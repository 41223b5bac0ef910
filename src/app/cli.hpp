#pragma once

// The command line: `volley run|echo|inspect|archive|merge|version` with k6's flags for `run`
// (k6-behaviour.md §5.7). Parsing only: values are kept as the user typed them and validated by
// config::consolidate.

#include <optional>
#include <string>
#include <vector>

#include "config/merge.hpp"

namespace volley::app {

// `volley run` flags as given (nullopt / empty = not given). The option flags are config's
// CliOverrides; the rest concern the process itself.
struct RunArgs {
    std::string script;
    config::CliOverrides overrides;
    std::vector<std::string> outputs;              // -o json=FILE (repeatable)
    std::optional<std::string> config_file;        // -c FILE: k6's JSON config file
    std::optional<std::string> test_type;          // -t js|archive: how to read the script argument
    std::optional<std::string> compatibility_mode; // --compatibility-mode (checked, no effect)
    std::optional<std::string> console_output;     // --console-output FILE
    std::optional<std::string> local_ips;    // --local-ips: IPs, ranges and CIDRs to dial from
    bool no_usage_report = false;            // --no-usage-report (volley never reports usage)
    std::optional<std::string> log_format;   // --log-format text|json|raw
    std::optional<std::string> log_output;   // --log-output stderr|stdout|none|file=PATH
    bool verbose = false;                    // -v
    std::optional<std::string> module_cache; // --module-cache DIR (else VOLLEY_MODULE_CACHE)
    std::optional<std::string> archive_out;  // archive -O FILE
    std::optional<std::string> address;      // -a HOST:PORT: k6's REST API
    bool paused = false;                     // -p: wait for the REST API before starting
    bool linger = false;                     // -l: keep the API up after the test, until Ctrl-C
    bool execution_requirements = false;     // inspect --execution-requirements
    bool insight = false; // --insight (or VOLLEY_INSIGHT/K6_INSIGHT true): docs/insight.md
    std::optional<std::string> ws_debug;      // --ws-debug[=full]: "headers" or what was given
    std::optional<std::string> ws_debug_vus;  // --ws-debug-vus 1,3-5
    std::optional<std::string> ws_debug_file; // --ws-debug-file FILE
};

// `volley merge FILE...` (docs/merge.md): the flags as given.
struct MergeArgs {
    std::vector<std::string> files;
    std::optional<std::string> summary_export;      // --summary-export FILE
    std::optional<std::string> summary_mode;        // compact (default) or full
    std::optional<std::string> summary_trend_stats; // comma-separated; else the records' option
    std::optional<std::string> summary_time_unit;   // s, ms, us; else the records' option
    bool no_color = false;
};

enum class Command { kRun, kEcho, kInspect, kArchive, kMerge, kVersion, kHelp };

struct Cli {
    Command command = Command::kHelp;
    RunArgs run;                   // run and inspect
    MergeArgs merge;               // merge
    std::vector<std::string> rest; // echo: its own arguments
    std::string help;              // kHelp: the text to print
};

// Parses argv. Throws UserError (exit 255, k6's code for usage errors) with a hint for unknown
// commands, unknown flags and missing values; `--help` yields Command::kHelp.
Cli parse_cli(int argc, const char* const* argv);

// The `volley --help` text (also the source of docs/cli.md).
std::string help_text();

} // namespace volley::app
