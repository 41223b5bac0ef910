// render_html_report (html_report.hpp): the page's sections, each a function of the timeline,
// the summary or the facts.

#include <boost/json.hpp>
#include <fmt/format.h>

#include "output/html_report.hpp"
#include "output/js_format.hpp"
#include "output/svg_chart.hpp"
#include "output/time_format.hpp"

namespace volley::output {
namespace {

constexpr const char* kPalette[] = {"#2563eb", "#dc2626", "#16a34a", "#d97706",
                                    "#7c3aed", "#0891b2", "#be185d", "#4d7c0f"};

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #1f2937; }
h1 { font-size: 22px; margin-bottom: 2px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #e5e7eb; }
.meta { color: #6b7280; } .warn { background: #fef3c7; border-left: 4px solid #d97706; padding: 8px 12px; }
table { border-collapse: collapse; } td, th { padding: 3px 10px; border-bottom: 1px solid #f3f4f6; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } .ok { color: #16a34a; } .fail { color: #dc2626; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 24px; } figure.chart { margin: 0; }
figcaption { font-weight: 600; } svg .grid { stroke: #e5e7eb; } svg text { font-size: 11px; fill: #6b7280; }
svg .ylabel { text-anchor: end; } svg .xlabel { text-anchor: middle; } svg .line { fill: none; stroke-width: 1.6; }
.legend span { margin-right: 14px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.empty, .note { color: #6b7280; font-style: italic; } pre { background: #f9fafb; padding: 10px; overflow: auto; }
)";

using Values = std::vector<std::optional<double>>;

const char* color(std::size_t i) {
    return kPalette[i % std::size(kPalette)];
}

// One value per bucket from `f`.
template <class F> Values per_bucket(const Timeline& t, F f) {
    Values out;
    for (const auto& b : t.buckets()) {
        out.push_back(f(b));
    }
    return out;
}

Values rate(const Timeline& t, Timeline::Count kind) {
    return per_bucket(t, [&](const Timeline::Bucket& b) -> std::optional<double> {
        return b.counts[kind] / t.width_s();
    });
}

Values percentile(const Timeline& t, Timeline::Trend kind, double p) {
    return per_bucket(t, [&](const Timeline::Bucket& b) -> std::optional<double> {
        const auto& h = b.trends[kind];
        if (h.count() == 0) {
            return std::nullopt;
        }
        return p >= 1 ? h.max() : h.percentile(p);
    });
}

std::string trend_chart(const Timeline& t, Timeline::Trend kind, const std::string& title) {
    return svg_chart({title,
                      "ms",
                      t.width_s(),
                      {{"p(50)", color(0), percentile(t, kind, 0.5)},
                       {"p(95)", color(3), percentile(t, kind, 0.95)},
                       {"max", color(1), percentile(t, kind, 1)}}});
}

// A chart's place when there is nothing to draw, and why.
std::string note(const std::string& title, const std::string& why) {
    return "<figure class=\"chart\"><figcaption>" + html_escape(title) +
           "</figcaption><p class=\"note\">" + html_escape(why) + "</p></figure>";
}

std::string errors_chart(const Timeline& t, const ReportFacts& facts) {
    if (!facts.insight) {
        return note("WebSocket errors by code", "run with --insight to count errors by code");
    }
    if (!t.has_errors()) {
        return note("WebSocket errors by code", "no WebSocket errors");
    }
    ChartSpec spec{"WebSocket errors by code (per second)", "/s", t.width_s(), {}};
    for (std::size_t i = 0; i < t.error_codes().size(); ++i) {
        spec.series.push_back(
            {t.error_codes()[i], color(i), per_bucket(t, [&](const Timeline::Bucket& b) {
                 double n = i < b.errors.size() ? b.errors[i] : 0;
                 return std::optional<double>(n / t.width_s());
             })});
    }
    return svg_chart(spec);
}

std::string generator_charts(const Timeline& t, const ReportFacts& facts) {
    if (!facts.insight || !t.has_generator()) {
        return note("The generator's own load",
                    "run with --insight to plot volley's CPU use and event-loop lag");
    }
    return svg_chart({"volley's CPU use (busiest worker)",
                      "%",
                      t.width_s(),
                      {{"CPU", color(4),
                        per_bucket(t, [](const Timeline::Bucket& b) { return b.cpu; })}}}) +
           svg_chart({"volley's event-loop lag (worst worker)",
                      "ms",
                      t.width_s(),
                      {{"lag", color(5),
                        per_bucket(t, [](const Timeline::Bucket& b) { return b.lag_ms; })}}});
}

std::string charts(const Timeline& t, const ReportFacts& facts) {
    std::string out = "<h2>Over time</h2><div class=\"charts\">";
    out += svg_chart(
        {"VUs", "", t.width_s(), {{"vus", color(0), per_bucket(t, [](const Timeline::Bucket& b) {
                                       return std::optional<double>(b.vus);
                                   })}}});
    out += svg_chart({"Sessions and iterations (per second)",
                      "/s",
                      t.width_s(),
                      {{"ws_sessions", color(0), rate(t, Timeline::kSessions)},
                       {"iterations", color(2), rate(t, Timeline::kIterations)}}});
    out += svg_chart({"Messages (per second)",
                      "/s",
                      t.width_s(),
                      {{"ws_msgs_sent", color(0), rate(t, Timeline::kMsgsSent)},
                       {"ws_msgs_received", color(1), rate(t, Timeline::kMsgsReceived)}}});
    out += trend_chart(t, Timeline::kConnecting, "ws_connecting");
    out += trend_chart(t, Timeline::kSessionDuration, "ws_session_duration");
    out += errors_chart(t, facts);
    out += generator_charts(t, facts);
    return out + "</div>";
}

std::string thresholds(const Summary& summary) {
    std::string rows;
    for (const auto& m : summary.metrics) {
        for (const auto& th : m.thresholds) {
            rows += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td "
                                "class=\"num\">{}</td></tr>",
                                html_escape(m.name), html_escape(th.source), th.ok ? "ok" : "fail",
                                th.ok ? "✓ passed" : "✗ crossed",
                                html_escape(th.label + "=" + th.shown));
        }
    }
    if (rows.empty()) {
        return "<h2>Thresholds</h2><p class=\"note\">none</p>";
    }
    return "<h2>Thresholds</h2><table><tr><th>metric</th><th>threshold</th><th></th><th>value</"
           "th></tr>" +
           rows + "</table>";
}

std::string checks(const Summary& summary) {
    if (summary.checks_by_name.empty()) {
        return "<h2>Checks</h2><p class=\"note\">none</p>";
    }
    std::string out = "<h2>Checks</h2><table><tr><th>check</th><th>passes</th><th>fails</"
                      "th><th>rate</th></tr>";
    for (const auto& c : summary.checks_by_name) {
        double total = static_cast<double>(c.passes + c.fails);
        out += fmt::format(
            "<tr><td class=\"{}\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
            "class=\"num\">{}</td></tr>",
            c.fails == 0 ? "ok" : "fail", html_escape(c.name), c.passes, c.fails,
            humanize_rate(total > 0 ? static_cast<double>(c.passes) / total : 0));
    }
    return out + "</table>";
}

std::string metric_values(const MetricSummary& m, const SummaryOptions& options) {
    std::string out;
    const char* contains = m.contains == metrics::ValueType::kTime   ? "time"
                           : m.contains == metrics::ValueType::kData ? "data"
                                                                     : "default";
    bool counter = m.type == metrics::MetricType::kCounter;
    for (const auto& [key, v] : m.values) {
        bool is_rate = key == "rate" && m.type == metrics::MetricType::kRate;
        // Counts are plain numbers unless they count bytes or time (data_sent: "35 kB").
        bool raw =
            (key == "count" || key == "passes" || key == "fails" || (key == "rate" && counter)) &&
            m.contains == metrics::ValueType::kDefault;
        std::string shown = raw ? to_fixed_no_trailing_zeros(v, 6)
                                : humanize_value(v, is_rate, contains, options.time_unit);
        if (counter && key == "rate") {
            shown += "/s";
        }
        out += (out.empty() ? "" : ", ") + key + "=" + shown;
    }
    return out;
}

std::string metrics_table(const Summary& summary) {
    std::string out = "<h2>Metrics</h2><table><tr><th>metric</th><th>values</th></tr>";
    for (const auto& m : summary.metrics) {
        out += fmt::format("<tr><td>{}</td><td>{}</td></tr>", html_escape(m.name),
                           html_escape(metric_values(m, summary.options)));
    }
    return out + "</table>";
}

std::string options_section(const ReportFacts& facts) {
    std::string pretty = facts.options_json;
    boost::system::error_code ec;
    auto doc = boost::json::parse(facts.options_json, ec);
    if (!ec) {
        pretty = js_stringify(doc, 2);
    }
    return "<h2>Options</h2><pre>" + html_escape(pretty) + "</pre>";
}

} // namespace

std::string render_html_report(const Timeline& timeline, const Summary& summary,
                               const ReportFacts& facts) {
    std::string title = "volley report: " + facts.script;
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
                      "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src data:\"><title>" +
                      html_escape(title) + "</title><style>" + kStyle + "</style></head><body>";
    out += "<h1>" + html_escape(title) + "</h1>";
    out += fmt::format("<p class=\"meta\">started {}, ran {}</p>",
                       html_escape(rfc3339_local(facts.start_ns)),
                       html_escape(humanize_duration(summary.test_run_duration_ms, "")));
    if (!facts.error.empty()) {
        out += "<p class=\"warn\">The test ended with an error before its summary: " +
               html_escape(facts.error) + "</p>";
    }
    if (!facts.saturation.empty()) {
        out += "<p class=\"warn\">⚠ " + html_escape(facts.saturation) + "</p>";
    }
    out += thresholds(summary) + checks(summary) + charts(timeline, facts) +
           metrics_table(summary) + options_section(facts);
    return out + "</body></html>\n";
}

} // namespace volley::output
