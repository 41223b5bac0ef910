#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "util/error.hpp"

namespace volley::app {
namespace {

// k6's (cobra's) text for a wrong number of script arguments.
constexpr const char* kScriptArgs =
    "arg should either be \"-\", if reading script from stdin, or a path to a script file";

// A flag that may be repeated: each occurrence takes exactly one value, as in k6 (`-o a b.js`
// keeps b.js as the script).
template <class T>
void add_repeatable(CLI::App& cmd, const std::string& names, std::vector<T>& values,
                    const std::string& help) {
    cmd.add_option(names, values, help)->allow_extra_args(false);
}

// The flags of k6/http's options (maxRedirects, batch, ...).
void add_http_flags(CLI::App& cmd, config::CliOverrides& a) {
    cmd.add_option("--max-redirects", a.max_redirects, "follow at most n redirects (default 10)");
    cmd.add_option("--batch", a.batch, "max parallel batch requests (default 20)");
    cmd.add_option("--batch-per-host", a.batch_per_host,
                   "max parallel batch requests per host (default 6)");
    cmd.add_option("--rps", a.rps, "limit requests per second (k6/http requests of all VUs)");
    cmd.add_option("--dns", a.dns,
                   "DNS resolver configuration: ttl (5m, 0 to disable the cache, inf), select "
                   "(first, roundRobin, random) and policy (preferIPv4, preferIPv6, onlyIPv4, "
                   "onlyIPv6, any), e.g. ttl=5m,select=random,policy=preferIPv4");
    add_repeatable(cmd, "--blacklist-ip", a.blacklist_ips,
                   "blacklist an IP range (CIDR) from being called (repeatable)");
    add_repeatable(cmd, "--block-hostnames", a.block_hostnames,
                   "block a case-insensitive hostname pattern, e.g. *.example.com");
    cmd.add_flag("--no-connection-reuse", a.no_connection_reuse, "disable keep-alive connections");
    cmd.add_flag("--no-vu-connection-reuse", a.no_vu_connection_reuse,
                 "don't reuse connections between iterations");
    cmd.add_flag("--discard-response-bodies", a.discard_response_bodies,
                 "read but don't process or save HTTP response bodies");
}

void add_run_flags(CLI::App& cmd, RunArgs& args, std::vector<std::string>& positional) {
    config::CliOverrides& a = args.overrides;
    // Positional arguments and unknown flags are collected and judged after parsing (see
    // check_run_args), so that an unknown flag is named before a missing or extra script is.
    cmd.allow_extras();
    cmd.add_option("script", positional, "the k6 script to run");
    cmd.add_option("-u,--vus", a.vus, "number of virtual users (default 1)");
    cmd.add_option("-d,--duration", a.duration, "test duration, e.g. 30s, 1m30s");
    cmd.add_option("-i,--iterations", a.iterations, "total iterations shared by the VUs");
    add_repeatable(cmd, "-s,--stage", a.stages, "ramping stage DURATION:TARGET (repeatable)");
    add_repeatable(cmd, "-e,--env", a.env, "add KEY=VALUE to __ENV (repeatable)");
    cmd.add_option("--include-system-env-vars", a.include_system_env,
                   "pass the process environment to __ENV (default true)");
    add_repeatable(cmd, "-o,--out", args.outputs,
                   "output: json=FILE, csv=FILE, experimental-prometheus-rw or results=FILE "
                   "(repeatable)");
    cmd.add_option("-t,--type", args.test_type, "override test type, \"js\" or \"archive\"");
    cmd.add_option("--compatibility-mode", args.compatibility_mode,
                   "JavaScript compiler compatibility mode: extended (default), base or "
                   "experimental_enhanced; volley runs the same engine for all three");
    cmd.add_option("--local-ips", args.local_ips,
                   "client IP ranges and/or CIDRs from which each VU will be making requests, "
                   "e.g. '192.168.220.1,192.168.0.10-192.168.0.25', 'fd:1::0/120'");
    cmd.add_option("--console-output", args.console_output,
                   "write console.log and friends of the VUs to this file");
    cmd.add_flag("--no-usage-report", args.no_usage_report,
                 "accepted for k6's sake: volley sends no usage report");
    cmd.add_option("-c,--config", args.config_file,
                   "k6's JSON config file (default ~/.config/k6/config.json)");
    add_repeatable(cmd, "--tag", a.tags, "tag NAME=VALUE added to every sample (repeatable)");
    cmd.add_option("--system-tags", a.system_tags, "comma-separated system tags to enable");
    cmd.add_option("--summary-trend-stats", a.summary_trend_stats,
                   "trend columns, e.g. avg,min,med,max,p(90),p(95)");
    cmd.add_option("--summary-time-unit", a.summary_time_unit, "fixed time unit: s, ms or us");
    cmd.add_option("--summary-mode", a.summary_mode, "compact (default), full or disabled");
    cmd.add_option("--summary-export", a.summary_export, "write the JSON summary to FILE");
    cmd.add_option("--user-agent", a.user_agent, "User-Agent header (default Grafana k6/1.6.1)");
    cmd.add_option("--execution-segment", a.execution_segment,
                   "this instance's share of a distributed test, e.g. 1/3:2/3");
    cmd.add_option("--execution-segment-sequence", a.execution_segment_sequence,
                   "how the whole test is cut, e.g. 0,1/3,2/3,1");
    cmd.add_option("--min-iteration-duration", a.min_iteration_duration,
                   "pad iterations shorter than this");
    cmd.add_option("--log-format", args.log_format, "text (default), json or raw");
    cmd.add_option("--log-output", args.log_output,
                   "where logs go: stderr (default), stdout, none, file=PATH[,level=LEVEL]");
    cmd.add_flag("--no-summary", a.no_summary, "do not print the end-of-test summary");
    cmd.add_flag("--no-thresholds", a.no_thresholds, "do not evaluate thresholds");
    cmd.add_flag("-w,--throw", a.throw_errors, "throw on failed ws.connect and metric errors");
    cmd.add_flag("--insecure-skip-tls-verify", a.insecure_skip_tls_verify,
                 "do not verify TLS certificates");
    cmd.add_flag("--no-setup", a.no_setup, "do not run setup()");
    cmd.add_flag("--no-teardown", a.no_teardown, "do not run teardown()");
    cmd.add_flag("-q,--quiet", a.quiet, "no banner and no progress");
    cmd.add_flag("--no-color", a.no_color, "no ANSI colours");
    cmd.add_flag("-v,--verbose", args.verbose, "debug logging");
    cmd.add_option("-a,--address", args.address,
                   "serve k6's REST API (/v1/status) on HOST:PORT, e.g. 0.0.0.0:6565");
    cmd.add_flag("-p,--paused", args.paused,
                 "initialise the VUs, then wait for PATCH /v1/status {paused: false}");
    cmd.add_flag("-l,--linger", args.linger, "after the test, keep the REST API up until Ctrl-C");
    cmd.add_flag("--insight", args.insight,
                 "volley only: also measure what k6 cannot show (docs/insight.md)");
    cmd.add_flag("--http-debug{headers}", a.http_debug,
                 "log every HTTP request and response (=full: with bodies)");
    cmd.add_flag("--ws-debug{headers}", args.ws_debug,
                 "volley only: log every WebSocket frame (=full: with payloads) "
                 "(docs/insight.md)");
    cmd.add_option("--ws-debug-vus", args.ws_debug_vus,
                   "volley only: --ws-debug for these VUs only, e.g. 1,3-5");
    cmd.add_option("--ws-debug-file", args.ws_debug_file,
                   "volley only: write --ws-debug's lines to FILE instead of stderr");
    cmd.add_option("--module-cache", args.module_cache,
                   "keep remote modules in DIR; cached ones are not fetched again (offline runs)");
    add_http_flags(cmd, a);
}

void add_merge_flags(CLI::App& cmd, MergeArgs& args) {
    cmd.add_option("files", args.files, "results records written by `run --out results=FILE`")
        ->required();
    cmd.add_option("--summary-export", args.summary_export, "write the JSON summary to FILE");
    cmd.add_option("--summary-mode", args.summary_mode, "compact (default) or full");
    cmd.add_option("--summary-trend-stats", args.summary_trend_stats,
                   "trend columns, e.g. avg,min,med,max,p(90),p(95) (default: the test's)");
    cmd.add_option("--summary-time-unit", args.summary_time_unit,
                   "fixed time unit: s, ms or us (default: the test's)");
    cmd.add_flag("--no-color", args.no_color, "no ANSI colours");
}

UserError usage_error(const std::string& message) {
    return UserError(message, "see `volley --help`", ExitCode::kGeneric);
}

// What cobra says of the arguments CLI11 left over: the first unknown flag by name (pflag's
// texts), then a script count other than one.
void check_run_args(const std::vector<std::string>& rest, std::vector<std::string> positional,
                    std::string& script) {
    for (const auto& arg : rest) {
        if (arg.size() > 2 && arg.starts_with("--")) {
            throw usage_error("unknown flag: " + arg.substr(0, arg.find('=')));
        }
        if (arg.size() > 1 && arg[0] == '-') {
            throw usage_error(fmt::format("unknown shorthand flag: '{}' in {}", arg[1], arg));
        }
        positional.push_back(arg);
    }
    if (positional.size() != 1) {
        throw usage_error(
            fmt::format("accepts 1 arg(s), received {}: {}", positional.size(), kScriptArgs));
    }
    script = positional.front();
}

// CLI11's messages in cobra's words where k6 users know them.
std::string parse_error_text(const CLI::ParseError& e) {
    std::string text = e.what();
    if (text.ends_with(" required TEXT missing") || text.ends_with(" required INT missing")) {
        return "flag needs an argument: " + text.substr(0, text.find(':'));
    }
    return text;
}

struct Parser {
    CLI::App app{"volley: runs k6 WebSocket scripts with a fraction of k6's CPU and memory",
                 "volley"};
    CLI::App* run = nullptr;
    CLI::App* inspect = nullptr;
    CLI::App* archive = nullptr;
    CLI::App* echo = nullptr;
    CLI::App* merge = nullptr;
    CLI::App* version = nullptr;
    RunArgs run_args;
    MergeArgs merge_args;
    RunArgs inspect_args;
    RunArgs archive_args;
    std::vector<std::string> run_positional;
    std::vector<std::string> inspect_positional;
    std::vector<std::string> archive_positional;

    Parser() {
        app.require_subcommand(0, 1);
        run = app.add_subcommand("run", "run a k6 script");
        add_run_flags(*run, run_args, run_positional);
        inspect = app.add_subcommand("inspect", "print the options a script would run with");
        add_run_flags(*inspect, inspect_args, inspect_positional);
        inspect->add_flag("--execution-requirements", inspect_args.execution_requirements,
                          "add the test's totalDuration and maxVUs (as the k6-operator reads)");
        archive = app.add_subcommand(
            "archive", "bundle a script, its modules and files into a k6 archive (tar)");
        add_run_flags(*archive, archive_args, archive_positional);
        archive->add_option("-O,--archive-out", archive_args.archive_out,
                            "the archive's path (default archive.tar)");
        merge = app.add_subcommand(
            "merge", "one end-of-test summary from the results records of a test's instances");
        add_merge_flags(*merge, merge_args);
        echo = app.add_subcommand("echo", "run the built-in WebSocket echo server");
        echo->allow_extras();
        echo->prefix_command();
        echo->set_help_flag();
        version = app.add_subcommand("version", "print the version");
    }
};

} // namespace

std::string help_text() {
    Parser p;
    std::string out = p.app.help();
    for (auto* sub : {p.run, p.inspect, p.archive, p.merge, p.echo}) {
        out += "\n" + sub->help();
    }
    return out;
}

Cli parse_cli(int argc, const char* const* argv) {
    Parser p;
    Cli cli;
    try {
        p.app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        cli.help = help_text();
        return cli;
    } catch (const CLI::CallForAllHelp&) {
        cli.help = help_text();
        return cli;
    } catch (const CLI::ParseError& e) {
        throw usage_error(parse_error_text(e));
    }
    if (p.run->parsed()) {
        cli.command = Command::kRun;
        check_run_args(p.run->remaining(), p.run_positional, p.run_args.script);
        cli.run = std::move(p.run_args);
    } else if (p.inspect->parsed()) {
        cli.command = Command::kInspect;
        check_run_args(p.inspect->remaining(), p.inspect_positional, p.inspect_args.script);
        cli.run = std::move(p.inspect_args);
    } else if (p.archive->parsed()) {
        cli.command = Command::kArchive;
        check_run_args(p.archive->remaining(), p.archive_positional, p.archive_args.script);
        cli.run = std::move(p.archive_args);
    } else if (p.merge->parsed()) {
        cli.command = Command::kMerge;
        cli.merge = std::move(p.merge_args);
    } else if (p.echo->parsed()) {
        cli.command = Command::kEcho;
        cli.rest = p.echo->remaining();
    } else if (p.version->parsed()) {
        cli.command = Command::kVersion;
    } else {
        cli.help = help_text();
    }
    return cli;
}

} // namespace volley::app
