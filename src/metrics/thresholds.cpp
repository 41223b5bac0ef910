#include "metrics/thresholds.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "config/duration.hpp"
#include "util/error.hpp"
#include "util/go_quote.hpp"

namespace volley::metrics {
namespace {

namespace json = boost::json;

[[noreturn]] void config_error(const std::string& message) {
    throw UserError(message, {}, ExitCode::kInvalidConfig);
}

std::string trim_space(std::string_view s) {
    auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    while (!s.empty() && space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && space(s.back())) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

std::string trim_quotes(std::string_view s) {
    while (!s.empty() && (s.front() == '"' || s.front() == '\'')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == '"' || s.back() == '\'')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

// strconv.ParseFloat(s, 64): the whole string must be a number. Returns the Go error text.
std::optional<std::string> parse_go_float(const std::string& s, double& out) {
    const char* begin = s.c_str();
    char* end = nullptr;
    if (!s.empty() && s[0] != ' ' && !(s[0] >= '\t' && s[0] <= '\r')) {
        out = std::strtod(begin, &end);
    }
    if (end == nullptr || end == begin || *end != '\0') {
        return fmt::format("strconv.ParseFloat: parsing {}: invalid syntax", go_quote(s));
    }
    return std::nullopt;
}

std::pair<std::string, std::string> scan_expression(const std::string& input) {
    // Longer operators first: the order of k6's operatorTokens.
    for (const char* op : {"<=", "<", ">=", ">", "===", "==", "!="}) {
        auto pos = input.find(op);
        if (pos != std::string::npos) {
            std::string lhs = trim_space(std::string_view(input).substr(0, pos));
            return {lhs, op};
        }
    }
    config_error(fmt::format(
        "failed parsing threshold expression {}; reason: malformed threshold expression",
        go_quote(input)));
}

void parse_aggregation(const std::string& method, Threshold& t) {
    for (const char* token : {"value", "count", "rate", "avg", "min", "med", "max", "p"}) {
        if (method == token) {
            t.aggregation = method;
            return;
        }
    }
    auto lhs_error = [&](const std::string& reason) {
        config_error(
            fmt::format("failed parsing threshold expression's {} left hand side; reason: {}",
                        go_quote(t.source), reason));
    };
    if (method.size() >= 3 && method.starts_with("p(") && method.ends_with(")")) {
        if (auto err = parse_go_float(method.substr(2, method.size() - 3), t.percentile)) {
            lhs_error("malformed percentile value; reason: " + *err);
        }
        t.aggregation = "p";
        return;
    }
    lhs_error("failed parsing method from expression");
}

// k6 ParseMetricName: returns the parent name; validates the `{k:v,...}` part.
std::string parse_metric_name(const std::string& name) {
    auto fail = [&](const std::string& what) {
        config_error(fmt::format("unable to validate threshold expressions; reason: parsing metric "
                                 "name failed, metric {} {}",
                                 go_quote(name), what));
    };
    auto open = name.find('{');
    auto close = name.rfind('}');
    if (open == std::string::npos && close == std::string::npos) {
        return name;
    }
    if ((open == std::string::npos) != (close == std::string::npos)) {
        fail("has unmatched opening/close curly braces");
    }
    if (close < open) {
        fail("closing curly brace appears before opening one");
    }
    if (close != name.size() - 1) {
        fail("lacks a closing curly brace in its last position");
    }
    std::string_view inner = std::string_view(name).substr(open + 1, close - open - 1);
    std::size_t start = 0;
    while (start <= inner.size()) {
        auto comma = inner.find(',', start);
        std::string_view part = inner.substr(start, comma - start);
        auto colon = part.find(':');
        if (colon == std::string_view::npos || colon + 1 == part.size()) {
            config_error(fmt::format("unable to validate threshold expressions; reason: parsing "
                                     "metric name failed, metric {} tag expression is malformed",
                                     go_quote(part)));
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return name.substr(0, open);
}

// k6 Metric.AddSubmetric: `k:v,k2:"v2"` -> tags (keys and values trimmed and unquoted).
TagMap parse_submetric_tags(const std::string& key_values) {
    TagMap tags;
    std::size_t start = 0;
    while (start <= key_values.size()) {
        auto comma = key_values.find(',', start);
        std::string kv = key_values.substr(start, comma - start);
        if (!kv.empty()) {
            auto colon = kv.find(':');
            std::string key = trim_quotes(trim_space(kv.substr(0, colon)));
            tags[key] = colon == std::string::npos ? std::string()
                                                   : trim_quotes(trim_space(kv.substr(colon + 1)));
        }
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return tags;
}

const std::vector<std::string>& supported_aggregations(MetricType type) {
    static const std::vector<std::string> kCounter = {"count", "rate"};
    static const std::vector<std::string> kGauge = {"value"};
    static const std::vector<std::string> kRate = {"rate"};
    static const std::vector<std::string> kTrend = {"avg", "min", "max", "med", "p"};
    switch (type) {
    case MetricType::kCounter:
        return kCounter;
    case MetricType::kGauge:
        return kGauge;
    case MetricType::kRate:
        return kRate;
    case MetricType::kTrend:
        break;
    }
    return kTrend;
}

void validate_aggregation(const ThresholdSet& set, const Threshold& t, MetricType type) {
    const auto& supported = supported_aggregations(type);
    if (std::find(supported.begin(), supported.end(), t.aggregation) == supported.end()) {
        config_error(fmt::format(
            "invalid threshold {} applied on metric {}; reason: unsupported aggregation method {} "
            "on metric of type {}. supported aggregation methods for this metric are: {}",
            go_quote(t.source), set.name, t.aggregation, type_name(type),
            fmt::join(supported, ", ")));
    }
    // k6-behaviour.md Q22: k6 accepts p(N) outside 0-100 and later crashes; volley rejects it.
    if (t.aggregation == "p" && !(t.percentile >= 0 && t.percentile <= 100)) {
        config_error(fmt::format("invalid threshold {} applied on metric {}; reason: percentile "
                                 "value must be between 0 and 100",
                                 go_quote(t.source), set.name));
    }
}

Threshold parse_item(const json::value& item, const std::string& metric_name) {
    if (item.is_string()) {
        return parse_threshold_expression(std::string(item.get_string()));
    }
    const json::object* obj = item.if_object();
    const json::value* expr = obj == nullptr ? nullptr : obj->if_contains("threshold");
    if (expr == nullptr || !expr->is_string()) {
        config_error(fmt::format("invalid threshold defined on {}; reason: a threshold must be a "
                                 "string or an object with a string `threshold` field",
                                 metric_name));
    }
    Threshold t = parse_threshold_expression(std::string(expr->get_string()));
    if (const json::value* abort = obj->if_contains("abortOnFail")) {
        if (!abort->is_bool()) {
            config_error(fmt::format("invalid threshold defined on {}; reason: abortOnFail must "
                                     "be a boolean",
                                     metric_name));
        }
        t.abort_on_fail = abort->get_bool();
    }
    if (const json::value* delay = obj->if_contains("delayAbortEval");
        delay != nullptr && !delay->is_null()) {
        auto grace = config::duration_from_json(*delay);
        if (grace) {
            t.delay_abort_eval_ns = grace->count();
        } else {
            config_error(fmt::format("invalid threshold defined on {}; reason: invalid "
                                     "delayAbortEval {}",
                                     metric_name, json::serialize(*delay)));
        }
    }
    return t;
}

ThresholdSet parse_set(const std::string& key, const json::value& items, const Registry& registry) {
    ThresholdSet set;
    const json::array* list = items.if_array();
    if (list == nullptr) {
        config_error(fmt::format("invalid threshold defined on {}; reason: thresholds must be an "
                                 "array",
                                 key));
    }
    for (const auto& item : *list) {
        set.thresholds.push_back(parse_item(item, key));
    }
    std::string parent = parse_metric_name(key);
    auto id = registry.find(parent);
    set.name = key;
    if (!id) {
        config_error(fmt::format("invalid threshold defined on {}; reason: no metric name {} found",
                                 key, go_quote(key)));
    }
    set.metric = *id;
    set.type = registry.def(*id).type;
    if (auto brace = key.find('{'); brace != std::string::npos) {
        set.suffix = trim_space(std::string_view(key).substr(brace + 1, key.size() - brace - 2));
        set.filter = parse_submetric_tags(set.suffix);
        set.name = parent + "{" + set.suffix + "}";
    }
    for (const auto& t : set.thresholds) {
        validate_aggregation(set, t, registry.def(*id).type);
    }
    return set;
}

// The aggregate a threshold compares (k6 Thresholds.Run); nullopt for an empty Rate.
std::optional<double> observe(const Threshold& t, const Sink& sink, double elapsed_s) {
    switch (sink.type()) {
    case MetricType::kCounter:
        return t.aggregation == "count" ? sink.counter().sum : sink.counter().rate(elapsed_s);
    case MetricType::kGauge:
        return sink.gauge().value;
    case MetricType::kRate:
        if (sink.rate().total == 0) {
            return std::nullopt; // k6-behaviour.md Q21: no rate, the threshold passes
        }
        return sink.rate().value();
    case MetricType::kTrend:
        break;
    }
    const TrendSink& trend = sink.trend();
    if (t.aggregation == "min") {
        return trend.min();
    }
    if (t.aggregation == "max") {
        return trend.max();
    }
    if (t.aggregation == "avg") {
        return trend.avg();
    }
    return t.aggregation == "med" ? trend.med() : trend.percentile(t.percentile);
}

bool compare(double lhs, const std::string& op, double rhs) {
    if (op == ">") {
        return lhs > rhs;
    }
    if (op == ">=") {
        return lhs >= rhs;
    }
    if (op == "<=") {
        return lhs <= rhs;
    }
    if (op == "<") {
        return lhs < rhs;
    }
    if (op == "!=") {
        return lhs != rhs;
    }
    return lhs == rhs; // == and ===
}

} // namespace

std::string Threshold::stat_name() const {
    return aggregation == "p" ? fmt::format("p({:g})", percentile) : aggregation;
}

Threshold parse_threshold_expression(const std::string& source) {
    Threshold t;
    t.source = source;
    auto [method, op] = scan_expression(source);
    t.op = op;
    parse_aggregation(method, t);
    std::string rhs = trim_space(std::string_view(source).substr(source.find(op) + op.size()));
    if (auto err = parse_go_float(rhs, t.value)) {
        config_error(
            fmt::format("failed parsing threshold expresion's {} right hand side; reason: {}",
                        go_quote(source), *err));
    }
    return t;
}

Thresholds Thresholds::parse(const json::value& thresholds, const Registry& registry) {
    Thresholds result;
    if (thresholds.is_null()) {
        return result;
    }
    const json::object* obj = thresholds.if_object();
    if (obj == nullptr) {
        config_error("invalid thresholds: the `thresholds` option must be an object");
    }
    for (const auto& [key, items] : *obj) {
        result.sets_.push_back(parse_set(std::string(key), items, registry));
    }
    return result;
}

void Thresholds::register_submetrics(Engine& engine) {
    std::lock_guard lock(mutex_);
    for (auto& set : sets_) {
        if (set.name.find('{') != std::string::npos) {
            set.submetric = engine.add_submetric(set.metric, set.filter);
        }
    }
}

bool Thresholds::evaluate(const Engine& engine, double elapsed_s, bool final) {
    std::lock_guard lock(mutex_);
    bool all_passed = true;
    for (auto& set : sets_) {
        std::optional<Sink> sink;
        if (set.submetric) {
            sink = engine.submetric(*set.submetric);
        } else {
            sink = engine.metric(set.metric);
        }
        if (!sink) {
            sink.emplace(set.type);
        }
        if (!final && sink->samples() == 0) {
            continue;
        }
        for (auto& t : set.thresholds) {
            auto observed = observe(t, *sink, elapsed_s);
            t.evaluated = true;
            t.observed = observed.value_or(0);
            t.failed = observed && !compare(*observed, t.op, t.value);
            if (!t.failed) {
                continue;
            }
            all_passed = false;
            if (t.abort_on_fail && !abort_) {
                abort_ = !t.delay_abort_eval_ns ||
                         static_cast<double>(*t.delay_abort_eval_ns) < elapsed_s * 1e9;
            }
        }
    }
    return all_passed;
}

bool Thresholds::should_abort() const {
    std::lock_guard lock(mutex_);
    return abort_;
}

std::vector<std::string> Thresholds::failed_names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (const auto& set : sets_) {
        if (std::any_of(set.thresholds.begin(), set.thresholds.end(),
                        [](const Threshold& t) { return t.failed; })) {
            names.push_back(set.name);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string Thresholds::crossed_message() const {
    auto names = failed_names();
    if (names.empty()) {
        return {};
    }
    return fmt::format("thresholds on metrics '{}' have been crossed", fmt::join(names, ", "));
}

std::string Thresholds::abort_message() const {
    return fmt::format("thresholds on metrics '{}' were crossed; at least one has abortOnFail "
                       "enabled, stopping test prematurely",
                       fmt::join(failed_names(), ", "));
}

std::vector<ThresholdSet> Thresholds::sets() const {
    std::lock_guard lock(mutex_);
    return sets_;
}

} // namespace volley::metrics
