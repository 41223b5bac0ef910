// k6 v1.6.1's end-of-test text summary (internal/js/summary.js), k6-behaviour.md §5.9: compact
// mode, and full mode's GROUP and SCENARIO sections.

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "output/js_format.hpp"
#include "output/summary.hpp"

namespace volley::output {
namespace {

using metrics::MetricType;

constexpr const char* kNewline = "\n"; // a bare newline item in summary.js's line list

class Style {
public:
    explicit Style(bool color) : color_(color) {}
    // ANSIFormatter.decorate: styles first, then the colour code.
    std::string decorate(const std::string& text, const char* color, bool faint = false) const {
        if (!color_) {
            return text;
        }
        return std::string("\x1b[") + (faint ? "2;" : "") + color + "m" + text + "\x1b[0m";
    }
    std::string bold(const std::string& text) const {
        return color_ ? "\x1b[1m" + text + "\x1b[0m" : text;
    }

private:
    bool color_;
};

constexpr const char* kGreen = "32";
constexpr const char* kRed = "31";
constexpr const char* kWhite = "37";
constexpr const char* kCyan = "36";

std::string pad(std::size_t width, const std::string& s) {
    std::size_t w = str_width(s);
    return std::string(width > w ? width - w : 0, ' ');
}

// One rendered metric line's pieces: a main value and extras, or trend columns.
struct Cells {
    std::vector<std::string> trend;
    std::string main;
    std::vector<std::string> extras;
};

std::string display_name(const MetricSummary& m) {
    if (!m.is_submetric()) {
        return m.name;
    }
    std::string inner = m.name.substr(m.parent.size() + 1);
    inner.pop_back();
    return "  { " + inner + " }";
}

Cells cells_of(const MetricSummary& m, const SummaryOptions& o) {
    Cells c;
    std::string contains = metrics::value_type_name(m.contains);
    auto human = [&](double v) {
        return humanize_value(v, m.type == MetricType::kRate, contains, o.time_unit);
    };
    switch (m.type) {
    case MetricType::kCounter:
        c.main = human(m.value("count"));
        c.extras = {human(m.value("rate")) + "/s"};
        break;
    case MetricType::kGauge:
        c.main = human(m.value("value"));
        c.extras = {"min=" + human(m.value("min")), "max=" + human(m.value("max"))};
        break;
    case MetricType::kRate:
        c.main = human(m.value("rate"));
        c.extras = {js_number_to_string(m.value("passes")) + " out of " +
                    js_number_to_string(m.value("passes") + m.value("fails"))};
        break;
    case MetricType::kTrend:
        for (const auto& [stat, v] : m.values) {
            c.trend.push_back(stat == "count" ? js_number_to_string(v) : human(v));
        }
        break;
    }
    return c;
}

// Renders the lines of a block set whose alignment is computed together (summary.js
// computeSummaryInfo + renderMetricLine).
class BlockSet {
public:
    BlockSet(const std::vector<const MetricSummary*>& all, const SummaryOptions& o,
             const Style& style, std::string indent = "    ")
        : style_(style), single_(all.size() == 1), indent_(std::move(indent)) {
        for (const auto* m : all) {
            Cells c = cells_of(*m, o);
            name_width_ = std::max(name_width_, str_width(display_name(*m)));
            widen(trend_widths_, c.trend);
            if (m->type != MetricType::kTrend) {
                main_width_ = std::max(main_width_, str_width(c.main));
                widen(extra_widths_, c.extras);
            }
            cells_.emplace(m, std::move(c));
        }
    }

    std::string line(const MetricSummary& m) const {
        std::string name = display_name(m);
        std::string dots = single_ ? "" : std::string(name_width_ - str_width(name) + 3, '.');
        return indent_ + name + style_.decorate(dots + ":", kWhite, true) + " " + data(m);
    }

private:
    static void widen(std::vector<std::size_t>& widths, const std::vector<std::string>& cols) {
        widths.resize(std::max(widths.size(), cols.size()), 0);
        for (std::size_t i = 0; i < cols.size(); ++i) {
            widths[i] = std::max(widths[i], str_width(cols[i]));
        }
    }

    std::string data(const MetricSummary& m) const {
        const Cells& c = cells_.at(&m);
        std::string out;
        if (m.type == MetricType::kTrend) {
            for (std::size_t i = 0; i < c.trend.size(); ++i) {
                out += (i ? " " : "") + m.values[i].first + "=" +
                       style_.decorate(c.trend[i], kCyan) + pad(trend_widths_[i], c.trend[i]);
            }
            return out;
        }
        out = style_.decorate(c.main, kCyan) + pad(main_width_, c.main);
        if (c.extras.size() == 1) {
            return out + " " + style_.decorate(c.extras[0], kCyan, true);
        }
        for (std::size_t i = 0; i < c.extras.size(); ++i) {
            out += " " + style_.decorate(c.extras[i], kCyan, true) +
                   pad(extra_widths_[i], c.extras[i]);
        }
        return out;
    }

    const Style& style_;
    bool single_;
    std::string indent_;
    std::size_t name_width_ = 0;
    std::size_t main_width_ = 0;
    std::vector<std::size_t> extra_widths_;
    std::vector<std::size_t> trend_widths_;
    std::map<const MetricSummary*, Cells> cells_;
};

// internal/output/summary/data.go: block by name prefix; "" = hidden. Full mode shows the
// http_req timing phases that compact mode hides.
std::string block_of(const std::string& name, bool full) {
    if (name.starts_with("checks") || name.starts_with("group_duration")) {
        return "";
    }
    if (name.starts_with("http_req")) {
        if (full) {
            return "HTTP";
        }
        for (const char* hidden :
             {"http_req_blocked", "http_req_connecting", "http_req_receiving", "http_req_sending",
              "http_req_tls_handshaking", "http_req_waiting"}) {
            if (name.starts_with(hidden)) {
                return "";
            }
        }
        return "HTTP";
    }
    for (const char* exec : {"vus", "iterations", "iteration_duration", "dropped_iterations"}) {
        if (name.starts_with(exec)) {
            return "EXECUTION";
        }
    }
    if (name.starts_with("data_sent") || name.starts_with("data_received")) {
        return "NETWORK";
    }
    if (name.starts_with("browser_web_vital_")) {
        return "WEB_VITALS";
    }
    if (name.starts_with("browser_")) {
        return "BROWSER";
    }
    if (name.starts_with("grpc_")) {
        return "GRPC";
    }
    return name.starts_with("ws_") ? "WEBSOCKET" : "CUSTOM";
}

std::string title(const std::string& text, const Style& style) {
    return "  █ " + style.bold(text) + " \n";
}

std::vector<const MetricSummary*> sorted(const std::vector<MetricSummary>& metrics) {
    std::vector<const MetricSummary*> out;
    out.reserve(metrics.size());
    for (const auto& m : metrics) {
        out.push_back(&m);
    }
    std::stable_sort(out.begin(), out.end(), [](const MetricSummary* a, const MetricSummary* b) {
        return metric_name_less(*a, *b);
    });
    return out;
}

void render_thresholds(const Summary& s, const Style& style, std::vector<std::string>& out) {
    std::vector<const MetricSummary*> with;
    for (const auto* mp : sorted(s.metrics)) {
        const auto& m = *mp;
        if (!m.thresholds.empty()) {
            with.push_back(&m);
        }
    }
    for (const auto* m : with) {
        bool parent_shown =
            m->is_submetric() && std::any_of(with.begin(), with.end(), [&](const MetricSummary* p) {
                return p->name == m->parent;
            });
        std::string indent = parent_shown ? "      " : "    ";
        out.push_back(indent + (parent_shown ? m->name.substr(m->parent.size()) : m->name));
        for (const auto& t : m->thresholds) {
            std::string mark = t.ok ? style.decorate("✓", kGreen) : style.decorate("✗", kRed);
            out.push_back(indent + mark + " " + style.decorate("'" + t.source + "'", kWhite) + " " +
                          style.decorate(t.label, kWhite) + "=" + style.decorate(t.shown, kCyan));
        }
        out.push_back(kNewline);
    }
}

// checks_total, checks_succeeded, checks_failed (data.go), from the `checks` metric.
std::vector<MetricSummary> check_metrics(const MetricSummary& checks, double duration_ms) {
    double passes = checks.value("passes");
    double fails = checks.value("fails");
    double total = passes + fails;
    double rate_s = total / (duration_ms / 1000);
    auto rate = [](const char* name, double p, double f) {
        MetricSummary m;
        m.name = m.parent = name;
        m.type = MetricType::kRate;
        m.values = {{"rate", p + f == 0 ? 0 : p / (p + f)}, {"passes", p}, {"fails", f}};
        return m;
    };
    MetricSummary t;
    t.name = t.parent = "checks_total";
    t.values = {{"count", total}, {"rate", rate_s}};
    return {t, rate("checks_succeeded", passes, fails), rate("checks_failed", fails, passes)};
}

// What TOTAL RESULTS, a GROUP and a SCENARIO section render, and how deep: summary.js's
// RenderContext base level (0 for top-level sections, +1 per nested group).
struct Content {
    const std::vector<MetricSummary>& metrics;
    const std::vector<CheckSummary>& checks;
    int level = 0;
    // Metric lines, headings and check lines: RenderContext(level + 1).indent().
    std::string indent() const { return std::string(static_cast<std::size_t>(level + 2) * 2, ' '); }
    // renderCheck's detail line: indent(results, base + 1) on RenderContext(level + 1), which
    // counts the base twice (so nested groups indent it by 10, not 8).
    std::string detail_indent() const {
        return std::string(static_cast<std::size_t>(2 * level + 3) * 2, ' ');
    }
};

// summary.js renderCheck.
void render_check(const CheckSummary& check, const Content& c, const Style& style,
                  std::vector<std::string>& out) {
    if (check.fails == 0) {
        out.push_back(c.indent() + style.decorate("✓ " + check.name, kGreen));
        return;
    }
    auto pct = (100 * check.passes) / (check.passes + check.fails);
    out.push_back(c.indent() + style.decorate("✗ " + check.name, kRed) + "\n" + c.detail_indent() +
                  style.decorate("↳  " + std::to_string(pct) + "% — ✓ " +
                                     std::to_string(check.passes) + " / ✗ " +
                                     std::to_string(check.fails),
                                 kRed));
}

void render_checks(const Content& c, const Summary& s, const Style& style,
                   std::vector<std::string>& out) {
    auto checks = std::find_if(c.metrics.begin(), c.metrics.end(),
                               [](const MetricSummary& m) { return m.name == "checks"; });
    if (checks == c.metrics.end()) {
        return;
    }
    auto metrics = check_metrics(*checks, s.test_run_duration_ms);
    std::vector<const MetricSummary*> ptrs = {&metrics[0], &metrics[1], &metrics[2]};
    BlockSet block(ptrs, s.options, style, c.indent());
    for (const auto* m : ptrs) {
        out.push_back(block.line(*m));
    }
    out.push_back(kNewline);
    for (const auto& check : c.checks) {
        render_check(check, c, style, out);
    }
    out.push_back(kNewline);
}

void render_metrics(const Content& c, const Summary& s, const Style& style,
                    std::vector<std::string>& out) {
    static const char* const kOrder[] = {"CUSTOM",  "HTTP",       "EXECUTION", "NETWORK",
                                         "BROWSER", "WEB_VITALS", "GRPC",      "WEBSOCKET"};
    bool full = s.options.mode == "full";
    std::map<std::string, std::vector<const MetricSummary*>> blocks;
    std::vector<const MetricSummary*> all;
    for (const auto* m : sorted(c.metrics)) {
        std::string block = block_of(m->name, full);
        if (!block.empty()) {
            blocks[block].push_back(m);
            all.push_back(m);
        }
    }
    BlockSet set(all, s.options, style, c.indent());
    for (const char* name : kOrder) {
        auto it = blocks.find(name);
        if (it == blocks.end()) {
            continue;
        }
        out.push_back(c.indent() + style.bold(name));
        for (const auto* m : it->second) {
            out.push_back(set.line(*m));
        }
        out.push_back(kNewline);
    }
}

// summary.js _renderGroupContent: checks, metrics, then nested groups one level deeper.
void render_section(const SectionSummary& section, int level, const Summary& s, const Style& style,
                    std::vector<std::string>& out) {
    Content c{section.metrics, section.checks, level};
    render_checks(c, s, style, out);
    render_metrics(c, s, style, out);
    for (const auto& g : section.groups) {
        out.push_back(c.indent() + "↳ " + style.bold("GROUP: " + g.name) + " \n");
        render_section(g, level + 1, s, style, out);
    }
}

// volley's only addition to k6's layout, and only when a Trend outgrew its exact budget: a note
// naming the metrics whose percentiles come from the bounded histogram.
void render_approximations(const Summary& s, std::vector<std::string>& out) {
    std::string names;
    for (const auto* m : sorted(s.metrics)) {
        if (m->approximate) {
            names += (names.empty() ? "" : ", ") + m->name;
        }
    }
    if (!names.empty()) {
        out.push_back("    ≈ percentiles of " + names +
                      " are approximate (within 0.4 %: bounded histogram)");
        out.push_back(kNewline);
    }
}

// summary.js ReportBuilder.build(): "\n" items append a newline, others "\n" + item.
std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += item == kNewline ? item : "\n" + item;
    }
    return text;
}

} // namespace

std::string text_summary(const Summary& s) {
    Style style(s.options.color);
    std::vector<std::string> items;
    if (s.has_thresholds) {
        items.push_back(title("THRESHOLDS", style));
        render_thresholds(s, style, items);
        items.push_back(kNewline);
    }
    items.push_back(title("TOTAL RESULTS", style));
    Content total{s.metrics, s.checks_by_name};
    render_checks(total, s, style, items);
    render_metrics(total, s, style, items);
    render_approximations(s, items);
    items.push_back(kNewline);
    for (const auto& g : s.groups) {
        items.push_back(title("GROUP: " + g.name, style));
        render_section(g, 0, s, style, items);
        items.push_back(kNewline);
    }
    for (const auto& sc : s.scenarios) {
        items.push_back(title("SCENARIO: " + sc.name, style));
        render_section(sc, 0, s, style, items);
        items.push_back(kNewline);
    }
    return join(items);
}

std::string render_text_summary(const Summary& s) {
    return "\n" + text_summary(s) + "\n\n";
}

} // namespace volley::output
