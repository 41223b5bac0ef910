// --summary-export (k6's legacy JSON, summary-wrapper.js oldJSONSummary) and the
// handleSummary(data) object (internal/js/summary.go), k6-behaviour.md §5.10.

#include <cmath>

#include <boost/json.hpp>

#include "output/js_format.hpp"
#include "output/summary.hpp"

namespace volley::output {
namespace {

namespace json = boost::json;

void stringify(const json::value& v, int indent, int depth, std::string& out);

void newline(int indent, int depth, std::string& out) {
    if (indent > 0) {
        out += '\n';
        out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(depth), ' ');
    }
}

void stringify_object(const json::object& o, int indent, int depth, std::string& out) {
    if (o.empty()) {
        out += "{}";
        return;
    }
    out += '{';
    bool first = true;
    for (const auto& [key, value] : o) {
        out += first ? "" : ",";
        first = false;
        newline(indent, depth + 1, out);
        out += json::serialize(json::string(key));
        out += indent > 0 ? ": " : ":";
        stringify(value, indent, depth + 1, out);
    }
    newline(indent, depth, out);
    out += '}';
}

void stringify_array(const json::array& a, int indent, int depth, std::string& out) {
    if (a.empty()) {
        out += "[]";
        return;
    }
    out += '[';
    for (std::size_t i = 0; i < a.size(); ++i) {
        out += i ? "," : "";
        newline(indent, depth + 1, out);
        stringify(a[i], indent, depth + 1, out);
    }
    newline(indent, depth, out);
    out += ']';
}

void stringify(const json::value& v, int indent, int depth, std::string& out) {
    switch (v.kind()) {
    case json::kind::object:
        return stringify_object(v.get_object(), indent, depth, out);
    case json::kind::array:
        return stringify_array(v.get_array(), indent, depth, out);
    case json::kind::double_: {
        double d = v.get_double();
        out += std::isfinite(d) ? js_number_to_string(d) : "null";
        return;
    }
    default:
        out += json::serialize(v);
    }
}

json::object values_object(const MetricSummary& m) {
    json::object values;
    for (const auto& [k, v] : m.values) {
        values[k] = v;
    }
    return values;
}

json::object check_object(const CheckSummary& c) {
    return {
        {"name", c.name}, {"path", c.path}, {"id", c.id}, {"passes", c.passes}, {"fails", c.fails}};
}

// handleSummary shape: groups and checks as arrays.
json::object group_data(const GroupSummary& g) {
    json::array groups;
    for (const auto& child : g.groups) {
        groups.push_back(group_data(child));
    }
    json::array checks;
    for (const auto& c : g.checks) {
        checks.push_back(check_object(c));
    }
    return {{"name", g.name},
            {"path", g.path},
            {"id", g.id},
            {"groups", std::move(groups)},
            {"checks", std::move(checks)}};
}

// Legacy export shape: groups and checks keyed by name.
json::object legacy_group(const GroupSummary& g) {
    json::object groups;
    for (const auto& child : g.groups) {
        groups[child.name] = legacy_group(child);
    }
    json::object checks;
    for (const auto& c : g.checks) {
        checks[c.name] = check_object(c);
    }
    return {{"name", g.name},
            {"path", g.path},
            {"id", g.id},
            {"groups", std::move(groups)},
            {"checks", std::move(checks)}};
}

json::object legacy_metric(const MetricSummary& m) {
    json::object values = values_object(m);
    if (!m.thresholds.empty()) {
        json::object th;
        for (const auto& t : m.thresholds) {
            th[t.source] = !t.ok; // k6-behaviour.md Q23: true means failed
        }
        values["thresholds"] = std::move(th);
    }
    if (m.type == metrics::MetricType::kRate) {
        values["value"] = m.value("rate");
        values.erase("rate");
    }
    return values;
}

} // namespace

std::string js_stringify(const json::value& value, int indent) {
    std::string out;
    stringify(value, indent, 0, out);
    return out;
}

json::value handle_summary_data(const Summary& s) {
    json::object metrics;
    for (const auto& m : s.metrics) {
        json::object metric{{"type", metrics::type_name(m.type)},
                            {"contains", metrics::value_type_name(m.contains)},
                            {"values", values_object(m)}};
        if (!m.thresholds.empty()) {
            json::object th;
            for (const auto& t : m.thresholds) {
                th[t.source] = json::object{{"ok", t.ok}};
            }
            metric["thresholds"] = std::move(th);
        }
        metrics[m.name] = std::move(metric);
    }
    json::array stats;
    for (const auto& stat : s.options.trend_stats) {
        stats.emplace_back(stat);
    }
    json::object data{{"root_group", group_data(s.root_group)},
                      {"options",
                       {{"summaryTrendStats", std::move(stats)},
                        {"summaryTimeUnit", s.options.time_unit},
                        {"noColor", !s.options.color}}},
                      {"state",
                       {{"isStdOutTTY", s.options.is_stdout_tty},
                        {"isStdErrTTY", s.options.is_stderr_tty},
                        {"testRunDurationMs", s.test_run_duration_ms}}},
                      {"metrics", std::move(metrics)}};
    if (!s.setup_data.is_null()) {
        data["setup_data"] = s.setup_data;
    }
    return data;
}

std::string summary_export_json(const Summary& s) {
    json::object metrics;
    for (const auto& m : s.metrics) {
        metrics[m.name] = legacy_metric(m);
    }
    json::object root{{"root_group", legacy_group(s.root_group)}, {"metrics", std::move(metrics)}};
    if (!s.setup_data.is_null()) {
        root["setup_data"] = s.setup_data;
    }
    return js_stringify(root, 4);
}

} // namespace volley::output
