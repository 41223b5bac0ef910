#pragma once

// k6 thresholds (k6-behaviour.md §5.3; k6 metrics/thresholds.go, thresholds_parser.go): parsing and
// validation of `options.thresholds`, evaluation against the engine's aggregates, abortOnFail.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "metrics/engine.hpp"
#include "metrics/registry.hpp"
#include "metrics/tags.hpp"

namespace volley::metrics {

struct Threshold {
    std::string source;      // the expression as written, e.g. "p(95) < 200"
    std::string aggregation; // count, rate, value, avg, min, max, med, or p
    double percentile = 0;   // N of p(N), in [0, 100]
    std::string op;          // <, <=, >, >=, ==, ===, !=
    double value = 0;        // the right-hand side
    bool abort_on_fail = false;
    std::optional<std::int64_t> delay_abort_eval_ns; // delayAbortEval, when given

    // Results of the last evaluation.
    bool evaluated = false;
    bool failed = false;
    double observed = 0; // the aggregate compared (0 for an empty Rate)

    // "p(95)" for p, else the aggregation name (k6's sink key, %g formatting).
    std::string stat_name() const;
};

// The thresholds of one metric or submetric (one key of options.thresholds).
struct ThresholdSet {
    std::string name;   // "ws_connecting" or "iterations{scenario:sc1}"
    std::string suffix; // the trimmed text between the braces ("" for a metric)
    MetricId metric = 0;
    MetricType type = MetricType::kCounter; // the metric's type
    TagMap filter;                          // submetric tags (empty for a metric)
    std::optional<SubmetricId> submetric;   // set by register_submetrics()
    std::vector<Threshold> thresholds;      // in definition order
};

class Thresholds {
public:
    Thresholds() = default;
    // Movable before use (the mutex is not moved; do not move while another thread evaluates).
    Thresholds(Thresholds&& o) noexcept : sets_(std::move(o.sets_)), abort_(o.abort_) {}
    Thresholds& operator=(Thresholds&& o) noexcept {
        sets_ = std::move(o.sets_);
        abort_ = o.abort_;
        return *this;
    }

    // Parses and validates `options.thresholds` (a JSON object; null means none) against the
    // registry, with k6's error texts. Throws UserError(ExitCode::kInvalidConfig). Custom metrics
    // must be defined in the registry first (after the init context ran).
    static Thresholds parse(const boost::json::value& thresholds, const Registry& registry);

    // Creates the engine submetrics the thresholds need. Call once, before engine.start().
    void register_submetrics(Engine& engine);

    // Evaluates every threshold against the engine's aggregates with test duration
    // `elapsed_s` (for Counter rates). During the run (`final` false) sets without samples are
    // skipped, as in k6. Thread-safe (serialised). Returns true if every evaluated one passed.
    bool evaluate(const Engine& engine, double elapsed_s, bool final);

    bool empty() const { return sets_.empty(); }
    // True once a failed abortOnFail threshold's delayAbortEval (if any) had passed.
    bool should_abort() const;
    // Names of the sets with at least one failed threshold, sorted.
    std::vector<std::string> failed_names() const;
    // `thresholds on metrics '<m1>, <m2>' have been crossed` ("" when none failed).
    std::string crossed_message() const;
    // The abortOnFail variant: `... were crossed; at least one has abortOnFail enabled, stopping
    // test prematurely`.
    std::string abort_message() const;
    // A copy of the sets with their last results (for the summary).
    std::vector<ThresholdSet> sets() const;

private:
    mutable std::mutex mutex_;
    std::vector<ThresholdSet> sets_;
    bool abort_ = false;
};

// Parses one expression ("p(95)<200"); throws UserError with k6's parse error texts.
// Exposed for tests.
Threshold parse_threshold_expression(const std::string& source);

} // namespace volley::metrics
