#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include "util/error.hpp"

namespace volley::app {
namespace {

void add_run_flags(CLI::App& cmd, RunArgs& args) {
    config::CliOverrides& a = args.overrides;
    cmd.add_option("script", args.script, "the k6 script to run")->required();
    cmd.add_option("-u,--vus", a.vus, "number of virtual users (default 1)");
    cmd.add_option("-d,--duration", a.duration, "test duration, e.g. 30s, 1m30s");
    cmd.add_option("-i,--iterations", a.iterations, "total iterations shared by the VUs");
    cmd.add_option("-s,--stage", a.stages, "ramping stage DURATION:TARGET (repeatable)");
    cmd.add_option("-e,--env", a.env, "add KEY=VALUE to __ENV (repeatable)");
    cmd.add_option("--include-system-env-vars", a.include_system_env,
                   "pass the process environment to __ENV (default true)");
    cmd.add_option("-o,--out", args.outputs, "output: json=FILE or csv=FILE (repeatable)");
    cmd.add_option("--tag", a.tags, "tag NAME=VALUE added to every sample (repeatable)");
    cmd.add_option("--system-tags", a.system_tags, "comma-separated system tags to enable");
    cmd.add_option("--summary-trend-stats", a.summary_trend_stats,
                   "trend columns, e.g. avg,min,med,max,p(90),p(95)");
    cmd.add_option("--summary-time-unit", a.summary_time_unit, "fixed time unit: s, ms or us");
    cmd.add_option("--summary-mode", a.summary_mode, "compact (default), full or disabled");
    cmd.add_option("--summary-export", a.summary_export, "write the JSON summary to FILE");
    cmd.add_option("--user-agent", a.user_agent, "User-Agent header (default Grafana k6/1.6.1)");
    cmd.add_option("--min-iteration-duration", a.min_iteration_duration,
                   "pad iterations shorter than this");
    cmd.add_option("--log-format", args.log_format, "text (default), json or raw");
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
}

struct Parser {
    CLI::App app{"volley: runs k6 WebSocket scripts with a fraction of k6's CPU and memory",
                 "volley"};
    CLI::App* run = nullptr;
    CLI::App* inspect = nullptr;
    CLI::App* echo = nullptr;
    CLI::App* version = nullptr;
    RunArgs run_args;
    RunArgs inspect_args;

    Parser() {
        app.require_subcommand(0, 1);
        run = app.add_subcommand("run", "run a k6 script");
        add_run_flags(*run, run_args);
        inspect = app.add_subcommand("inspect", "print the options a script would run with");
        add_run_flags(*inspect, inspect_args);
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
    for (auto* sub : {p.run, p.inspect, p.echo}) {
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
        throw UserError(e.what(), "see `volley --help`", ExitCode::kGeneric);
    }
    if (p.run->parsed()) {
        cli.command = Command::kRun;
        cli.run = std::move(p.run_args);
    } else if (p.inspect->parsed()) {
        cli.command = Command::kInspect;
        cli.run = std::move(p.inspect_args);
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
