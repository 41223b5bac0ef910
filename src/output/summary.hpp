#pragma once

// The one end-of-test summary model (docs/architecture.md, "Data flow"), built from the metrics
// engine and the thresholds, rendered by summary_text.cpp (k6's compact text summary),
// summary_json.cpp (--summary-export and the handleSummary(data) object).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "metrics/engine.hpp"
#include "metrics/registry.hpp"
#include "metrics/thresholds.hpp"

namespace volley::output {

struct SummaryOptions {
    // summaryTrendStats: avg, min, med, max, count, p(N) (validated by the caller or by
    // validate_trend_stats()).
    std::vector<std::string> trend_stats = {"avg", "min", "med", "max", "p(90)", "p(95)"};
    std::string time_unit; // summaryTimeUnit: "", "s", "ms" or "us"
    bool color = false;    // ANSI colours in the text summary (stdout is a TTY, no --no-color)
    bool is_stdout_tty = false;
    bool is_stderr_tty = false;
    // summaryMode: "compact" or "full" ("legacy" renders as compact; "disabled" is the caller's).
    std::string mode = "compact";
};

// Throws UserError(kInvalidConfig) unless every stat is avg, min, med, max, count or p(N) with
// 0 <= N <= 100.
void validate_trend_stats(const std::vector<std::string>& stats);

struct ThresholdSummary {
    std::string source; // as written
    bool ok = true;
    std::string label; // the aggregation as written before the operator ("p(95)", "count")
    std::string shown; // the humanised value ("1.83ms", "count" 3, "1.5/s")
};

struct MetricSummary {
    std::string name;   // "iterations", or "iterations{scenario:sc1}" for a submetric
    std::string parent; // == name for a metric
    metrics::MetricType type = metrics::MetricType::kCounter;
    metrics::ValueType contains = metrics::ValueType::kDefault;
    // k6's values in k6's order: counter count, rate; gauge value, min, max; rate rate, passes,
    // fails; trend the trend stats in option order.
    std::vector<std::pair<std::string, double>> values;
    bool approximate = false; // percentiles from the bounded histogram (histogram.hpp)
    std::vector<ThresholdSummary> thresholds; // in definition order
    bool is_submetric() const { return name != parent; }
    double value(const std::string& key) const; // 0 if absent
};

// summary.js sortMetricsByName: by parent name (localeCompare), then by the `{...}` suffix.
bool metric_name_less(const MetricSummary& a, const MetricSummary& b);

struct CheckSummary {
    std::string name;
    std::string path; // group path + "::" + name
    std::string id;   // md5 of path
    std::uint64_t passes = 0;
    std::uint64_t fails = 0;
};

struct GroupSummary {
    std::string name;
    std::string path; // "" for the root, "::a::b"
    std::string id;   // md5 of path
    std::vector<GroupSummary> groups;
    std::vector<CheckSummary> checks;
};

// A `GROUP: <name>` or `SCENARIO: <name>` section of the full text summary: the same content as
// TOTAL RESULTS restricted to that group's or scenario's samples (internal/output/summary).
struct SectionSummary {
    std::string name;
    std::vector<MetricSummary> metrics; // that got samples there, by name; includes `checks`
    std::vector<CheckSummary> checks;   // first-seen order (name, passes, fails)
    std::vector<SectionSummary> groups; // nested groups, first-seen order
};

struct Summary {
    SummaryOptions options;
    double test_run_duration_ms = 0;
    std::vector<MetricSummary> metrics; // observed metrics and those with thresholds, by name
    GroupSummary root_group;
    std::vector<CheckSummary> checks_by_name; // merged across groups, first-seen order
    bool has_thresholds = false;
    boost::json::value setup_data; // null when setup() returned nothing
    // Full mode only (options.mode == "full"): groups of the default scenario (setup and
    // teardown excluded), first-seen order; named scenarios sorted by name, "default" excluded.
    std::vector<SectionSummary> groups;
    std::vector<SectionSummary> scenarios;
};

// Builds the model after engine.stop() and thresholds.evaluate(..., final = true).
// `thresholds` may be null. Thread: any, once the engine is stopped.
Summary build_summary(const metrics::Engine& engine, const metrics::Registry& registry,
                      const metrics::Thresholds* thresholds, const SummaryOptions& options,
                      double test_duration_s, boost::json::value setup_data = nullptr);

// k6's compact text summary as printed to stdout: "\n" + textSummary + "\n\n"
// (k6-behaviour.md §5.9).
std::string render_text_summary(const Summary& summary);
// Only the textSummary() part (what k6-summary's textSummary returns).
std::string text_summary(const Summary& summary);

// The --summary-export file: k6's legacy JSON, 4-space indented (k6-behaviour.md §5.10).
std::string summary_export_json(const Summary& summary);
// The handleSummary(data) argument (k6-behaviour.md §5.10).
boost::json::value handle_summary_data(const Summary& summary);
// JSON.stringify(value, null, indent) with JavaScript number formatting.
std::string js_stringify(const boost::json::value& value, int indent);

// Hex MD5 (k6 group and check ids).
std::string md5_hex(const std::string& data);

} // namespace volley::output
