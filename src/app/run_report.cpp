#include "app/run_report.hpp"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

#include "net/go_errors.hpp"
#include "output/summary.hpp"
#include "util/log.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace volley::app {
namespace {

output::SummaryOptions summary_options(const config::RunOptions& options) {
    output::SummaryOptions o;
    o.trend_stats = options.summary_trend_stats;
    o.time_unit = options.summary_time_unit;
    o.is_stdout_tty = isatty(STDOUT_FILENO) != 0;
    o.is_stderr_tty = isatty(STDERR_FILENO) != 0;
    o.color = o.is_stdout_tty && !options.no_color;
    // volley renders legacy as compact (default_summary warns).
    o.mode = options.summary_mode == "full" ? "full" : "compact";
    return o;
}

boost::json::value parse_or_null(const std::string& json) {
    if (json.empty()) {
        return nullptr;
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(json, ec);
    return ec ? boost::json::value(nullptr) : v;
}

// Writes `data` to stdout, stderr or a file (created or truncated), as handleSummary's keys do.
// Returns "" or what went wrong, as k6 words it (`could not open '<p>': open <p>: <errno>`).
std::string write_destination(const std::string& where, const std::string& data) {
    if (where == "stdout" || where == "stderr") {
        std::FILE* f = where == "stdout" ? stdout : stderr;
        std::fwrite(data.data(), 1, data.size(), f);
        std::fflush(f);
        return "";
    }
    auto errno_text = [] {
        return net::errno_text(boost::system::error_code(errno, boost::system::system_category()));
    };
    int fd = ::open(where.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return "could not open '" + where + "': open " + where + ": " + errno_text();
    }
    std::string problem;
    for (std::size_t at = 0; at < data.size() && problem.empty();) {
        ssize_t n = ::write(fd, data.data() + at, data.size() - at);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            errno = n == 0 ? EIO : errno;
            problem = "could not write '" + where + "': write " + where + ": " + errno_text();
            break;
        }
        at += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 && problem.empty()) { // e.g. a delayed ENOSPC
        problem = "could not write '" + where + "': close " + where + ": " + errno_text();
    }
    return problem;
}

// k6's one record for every file the summary could not be saved to ("" entries are successes).
void report_unsaved(std::vector<std::string> problems) {
    std::erase(problems, std::string());
    if (problems.empty()) {
        return;
    }
    std::string error = "Could not save some summary information:";
    for (const auto& p : problems) {
        error += "\n\t- " + p;
    }
    log::write(log::Level::kError, "failed to handle the end-of-test summary", {{"error", error}});
}

// The default summary: text on stdout and the --summary-export file, unless disabled. Returns
// whether the text was printed.
bool default_summary(const config::RunOptions& options, const output::Summary& summary) {
    if (options.summary_mode == "disabled") {
        return false; // also suppresses --summary-export, as k6 does
    }
    if (options.summary_mode == "legacy") {
        log::write(log::Level::kWarn, "--summary-mode=legacy is deprecated",
                   {{"hint", "volley prints the compact summary instead; use "
                             "--summary-mode=compact or --summary-mode=full"}});
    }
    std::string text = output::render_text_summary(summary);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    if (!options.summary_export.empty()) {
        report_unsaved(
            {write_destination(options.summary_export, output::summary_export_json(summary))});
    }
    return true;
}

// k6 v1.6.1 stops handleSummary() after a fixed 2 minutes (js/runner.go getTimeoutFor). The
// internal VOLLEY_HANDLE_SUMMARY_TIMEOUT_MS (a positive whole number) shortens it for tests.
std::chrono::milliseconds handle_summary_timeout() {
    constexpr std::chrono::milliseconds kDefault = std::chrono::minutes(2);
    const char* env = std::getenv("VOLLEY_HANDLE_SUMMARY_TIMEOUT_MS");
    if (env == nullptr) {
        return kDefault;
    }
    std::string_view text(env);
    std::int64_t ms = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    bool valid = ec == std::errc() && end == text.data() + text.size() && ms > 0;
    return valid ? std::chrono::milliseconds(ms) : kDefault;
}

// Returns whether the default text summary was printed.
bool summarise(const config::RunOptions& options, const output::Summary& summary,
               vu::ScriptRunner& runner, bool has_handle_summary) {
    if (!has_handle_summary) {
        return default_summary(options, summary);
    }
    auto handled = runner.handle_summary(
        output::js_stringify(output::handle_summary_data(summary), 0), handle_summary_timeout());
    if (handled.threw) { // k6 logs the exception itself, then writes the default summary
        log::write(log::Level::kError, handled.error, {{"hint", "script exception"}});
    } else if (!handled.error.empty()) {
        log::write(log::Level::kError, "failed to handle the end-of-test summary",
                   {{"error", handled.error}});
    }
    if (handled.timed_out || (!handled.threw && !handled.error.empty())) {
        // A timeout, or a result that is not a map: k6 drops the whole result (no default
        // summary, no files, no --summary-export).
        return false;
    }
    if (!handled.replaces) {
        return default_summary(options, summary);
    }
    std::vector<std::string> problems;
    for (const auto& [where, data] : handled.outputs) {
        problems.push_back(write_destination(where, data));
    }
    if (!options.summary_export.empty()) {
        problems.push_back(
            write_destination(options.summary_export, output::summary_export_json(summary)));
    }
    report_unsaved(std::move(problems));
    return false;
}

// The saturation sentence (docs/insight.md): the last line of the text summary, or a warning
// when no text summary was printed. Nothing when volley kept up.
void report_saturation(const exec::Saturation& saturation, bool after_text_summary) {
    std::string line = exec::saturation_line(saturation);
    if (line.empty()) {
        return;
    }
    if (after_text_summary) {
        std::string text = "  \u26a0 " + line + "\n\n";
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
    } else {
        log::write(log::Level::kWarn, line);
    }
}

int exit_code(const FinishedRun& run, const metrics::Thresholds& thresholds) {
    using End = exec::RunResult::End;
    if (run.result.end == End::kAborted) {
        log::write(log::Level::kError,
                   run.result.reason.empty() ? "test aborted" : run.result.reason);
        return static_cast<int>(run.result.exit_code);
    }
    if (run.result.end == End::kStopped) {
        // k6's run error; thresholds crossed as well are then only a debug line, as in k6.
        log::write(log::Level::kError, run.stop_signal.empty()
                                           ? std::string("test run was aborted")
                                           : "test run was aborted because volley received a '" +
                                                 run.stop_signal + "' signal");
        return static_cast<int>(ExitCode::kExternalAbort);
    }
    if (run.thresholds_enabled && !thresholds.failed_names().empty()) {
        log::write(log::Level::kError, thresholds.crossed_message());
        return static_cast<int>(ExitCode::kThresholdsFailed);
    }
    if (run.marked_failed) {
        return static_cast<int>(ExitCode::kMarkedAsFailed);
    }
    return 0;
}

} // namespace

void report_failed_run(const FinishedRun& run, const std::string& error) {
    output::ReportFacts facts = run.report_facts;
    facts.saturation = exec::saturation_line(run.saturation);
    facts.error = error;
    output::Summary none;
    none.test_run_duration_ms = run.duration_s * 1000;
    for (output::HtmlReport* report : run.html_reports) {
        report->write(none, facts);
    }
}

int report_run(const config::RunOptions& options, const metrics::Registry& registry,
               const metrics::Engine& engine, metrics::Thresholds& thresholds,
               vu::ScriptRunner& runner, const FinishedRun& run) {
    if (run.thresholds_enabled) {
        thresholds.evaluate(engine, run.duration_s, true);
    }
    auto iterations = engine.metric(registry.builtins().iterations);
    if (!iterations) {
        log::write(log::Level::kWarn,
                   "No script iterations fully finished, consider making the test duration "
                   "longer");
    }
    output::Summary summary = output::build_summary(
        engine, registry, run.thresholds_enabled ? &thresholds : nullptr, summary_options(options),
        run.duration_s, parse_or_null(runner.setup_data()));
    bool printed = summarise(options, summary, runner, run.has_handle_summary);
    report_saturation(run.saturation, printed);
    output::ReportFacts facts = run.report_facts;
    facts.saturation = exec::saturation_line(run.saturation);
    for (output::HtmlReport* report : run.html_reports) {
        report->write(summary, facts);
    }
    return exit_code(run, thresholds);
}

} // namespace volley::app
