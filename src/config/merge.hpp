#pragma once

// Option consolidation (k6-behaviour.md §5.3): defaults < config file < script `options` < K6_*
// environment < CLI flags, then k6's execution shortcuts (vus/duration/iterations/stages -> a
// `default` scenario) and validation. Every problem is collected into one UserError (exit 104):
//   There were problems with the specified script configuration:
//   \t- <problem>
// Pure functions of their arguments (plus the warning log); call on the main thread.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "config/options.hpp"

namespace volley::config {

// One configuration source; unset = not given by that source.
struct OptionLayer {
    std::optional<std::int64_t> vus;
    std::optional<Duration> duration;
    std::optional<std::int64_t> iterations;
    std::optional<std::vector<Stage>> stages;
    std::optional<std::vector<ScenarioConfig>> scenarios;
    std::optional<bool> throw_errors, insecure_skip_tls_verify, no_setup, no_teardown,
        no_thresholds, no_color, quiet;
    std::optional<std::string> user_agent, summary_time_unit, summary_mode, summary_export;
    std::optional<std::string> http_debug; // httpDebug: "headers" or "full"
    std::optional<std::string> execution_segment, execution_segment_sequence;
    std::optional<boost::json::value> tls_auth, tls_version, tls_cipher_suites, hosts, thresholds,
        blacklist_ips, block_hostnames;
    std::optional<std::int64_t> max_redirects, batch, batch_per_host, rps;
    DnsFields dns; // field by field
    std::optional<bool> discard_response_bodies, no_connection_reuse, no_vu_connection_reuse,
        no_cookies_reset;
    std::optional<std::map<std::string, std::string>> tags;
    std::optional<std::set<std::string>> system_tags;
    std::optional<std::vector<std::string>> summary_trend_stats;
    std::optional<Duration> setup_timeout, teardown_timeout, min_iteration_duration;
};

// `volley run` flags as the user typed them (app/cli.hpp RunArgs); consolidate() parses and
// validates them. Booleans are true when the flag was given.
struct CliOverrides {
    std::optional<std::string> vus;                        // -u
    std::optional<std::string> duration;                   // -d
    std::optional<std::string> iterations;                 // -i
    std::vector<std::string> stages;                       // -s 30s:10 (repeatable)
    std::vector<std::string> env;                          // -e K=V (repeatable)
    bool include_system_env = true;                        // --include-system-env-vars
    std::vector<std::string> tags;                         // --tag NAME=VALUE (repeatable)
    std::optional<std::string> system_tags;                // --system-tags a,b
    std::optional<std::string> summary_trend_stats;        // --summary-trend-stats avg,p(99)
    std::optional<std::string> summary_time_unit;          // --summary-time-unit
    std::optional<std::string> summary_mode;               // --summary-mode
    std::optional<std::string> summary_export;             // --summary-export FILE
    std::optional<std::string> user_agent;                 // --user-agent
    std::optional<std::string> http_debug;                 // --http-debug[=full]
    std::optional<std::string> execution_segment;          // --execution-segment
    std::optional<std::string> execution_segment_sequence; // --execution-segment-sequence
    std::optional<std::string> min_iteration_duration;
    std::optional<std::string> max_redirects;  // --max-redirects
    std::optional<std::string> batch;          // --batch
    std::optional<std::string> batch_per_host; // --batch-per-host
    std::optional<std::string> rps;            // --rps
    std::optional<std::string> dns;            // --dns ttl=..,select=..,policy=..
    std::vector<std::string> blacklist_ips;    // --blacklist-ip (repeatable, comma lists)
    std::vector<std::string> block_hostnames;  // --block-hostnames (repeatable, comma lists)
    bool no_connection_reuse = false;
    bool no_vu_connection_reuse = false;
    bool discard_response_bodies = false;
    bool no_summary = false; // deprecated alias of --summary-mode=disabled
    bool no_thresholds = false;
    bool throw_errors = false;
    bool insecure_skip_tls_verify = false;
    bool no_setup = false;
    bool no_teardown = false;
    bool quiet = false;
    bool no_color = false;
};

// The consolidated options. `script_options` is the script's exported `options` as JSON (null
// or an object); `process_env` the process environment (K6_* variables are read from it);
// `exports` the names of the script's exported functions (each scenario's `exec` must be one).
// Throws UserError (kInvalidConfig) listing every problem found. Logs k6's warnings (e.g.
// `vus=N` without a shortcut).
// `file_options` is the config file's layer (config/config_file.hpp), below the script's.
RunOptions consolidate(const OptionLayer& file_options, const boost::json::value& script_options,
                       const CliOverrides& cli,
                       const std::map<std::string, std::string>& process_env,
                       const std::set<std::string>& exports);

// __ENV for the script: the process environment (when cli.include_system_env) overlaid with
// `-e K=V` (a value-less `-e K` sets ""). Throws UserError for a name not matching
// ^[a-zA-Z_][a-zA-Z0-9_]*$: `invalid environment variable name '<k>'`.
std::map<std::string, std::string> build_env(const CliOverrides& cli,
                                             const std::map<std::string, std::string>& process_env);

// The script's `options` JSON as a layer. Problems (each naming its JSON path, e.g.
// `options.scenarios.chat.stages[1].duration: invalid duration "x": ...`) are appended to
// `problems`; the offending fields stay unset.
OptionLayer parse_script_options(const boost::json::value& options,
                                 std::vector<std::string>& problems);
// The same for options found elsewhere: paths start at `root` ("" for a config file: `vus: ...`).
OptionLayer parse_options_layer(const boost::json::value& options, const std::string& root,
                                std::vector<std::string>& problems);

// Helpers shared by the CLI and K6_* variables; each returns a problem text or the value.
// `30s:10` -> Stage (CLI -s, K6_STAGES items).
std::optional<Stage> parse_stage(const std::string& text, std::string& problem);
// `name=value` -> tag (k6: `error parsing tag '<s>': invalid tag, empty value`).
std::optional<std::pair<std::string, std::string>> parse_tag(const std::string& text,
                                                             std::string& problem);

// k6's validation of `summaryTrendStats` entries: avg, min, med, max, count, p(N) with
// 0 <= N <= 100. Returns the problems (empty if all are valid).
std::vector<std::string> validate_trend_stats(const std::vector<std::string>& stats);

// Problems of one scenario (k6's executor Validate(), prefixed `scenario <name> has
// configuration errors: `), plus the exec check against `exports`.
std::vector<std::string> validate_scenario(const ScenarioConfig& sc,
                                           const std::set<std::string>& exports);

// The consolidated options as k6-style JSON (`volley inspect`): k6 key names, durations as
// Go duration strings.
std::string to_json(const RunOptions& options);

} // namespace volley::config
