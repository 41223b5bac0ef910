#pragma once

// The end of a run: thresholds evaluated for the last time, the summary model built once and
// rendered where the user asked (text on stdout, --summary-export, handleSummary()), and the
// exit code k6 would give (k6-behaviour.md §5.4, §5.8, §5.9, §5.10).

#include <optional>
#include <string>

#include "config/options.hpp"
#include "exec/saturation.hpp"
#include "exec/scheduler.hpp"
#include "metrics/engine.hpp"
#include "metrics/thresholds.hpp"
#include "output/html_report.hpp"
#include "vu/script_runner.hpp"

namespace volley::app {

struct FinishedRun {
    exec::RunResult result;
    double duration_s = 0; // test run duration, for rates
    bool thresholds_enabled = true;
    bool has_handle_summary = false; // the script exports handleSummary
    bool marked_failed = false;      // exec.test.fail() was called
    std::string stop_signal;         // Go's name of the signal that stopped the run, if one did
    exec::Saturation saturation;     // whether volley itself was the bottleneck, and when
    std::vector<output::HtmlReport*> html_reports; // --out html=FILE, written after the summary
    output::ReportFacts report_facts;              // what they say beyond the summary
};

// Call after engine.stop(). Returns the exit code. Never throws for an unwritable summary file:
// that is logged, and the remaining outputs are still written.
int report_run(const config::RunOptions& options, const metrics::Registry& registry,
               const metrics::Engine& engine, metrics::Thresholds& thresholds,
               vu::ScriptRunner& runner, const FinishedRun& run);

// A run that ended in an error before its summary (a failed setup, a timeout): the HTML
// reports still get a page, with what was measured over time and the error.
void report_failed_run(const FinishedRun& run, const std::string& error);

} // namespace volley::app
