#include "output/summary.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "output/js_format.hpp"
#include "util/error.hpp"

namespace volley::output {
namespace {

using metrics::MetricType;
using metrics::Sink;

const char* contains_name(metrics::ValueType v) {
    return metrics::value_type_name(v);
}

// N of "p(N)", or nullopt.
std::optional<double> percentile_of(const std::string& stat) {
    if (stat.size() < 4 || !stat.starts_with("p(") || !stat.ends_with(")")) {
        return std::nullopt;
    }
    std::string inner = stat.substr(2, stat.size() - 3);
    char* end = nullptr;
    double n = std::strtod(inner.c_str(), &end);
    if (inner.empty() || *end != '\0') {
        return std::nullopt;
    }
    return n;
}

double trend_stat(const metrics::TrendSink& t, const std::string& stat) {
    if (stat == "avg") {
        return t.avg();
    }
    if (stat == "min") {
        return t.min();
    }
    if (stat == "max") {
        return t.max();
    }
    if (stat == "med") {
        return t.med();
    }
    if (stat == "count") {
        return static_cast<double>(t.count());
    }
    return t.percentile(percentile_of(stat).value_or(0));
}

std::vector<std::pair<std::string, double>> values_of(const Sink& sink, const SummaryOptions& o,
                                                      double duration_s) {
    switch (sink.type()) {
    case MetricType::kCounter:
        return {{"count", sink.counter().sum}, {"rate", sink.counter().rate(duration_s)}};
    case MetricType::kGauge:
        return {
            {"value", sink.gauge().value}, {"min", sink.gauge().min}, {"max", sink.gauge().max}};
    case MetricType::kRate:
        return {{"rate", sink.rate().value()},
                {"passes", static_cast<double>(sink.rate().trues)},
                {"fails", static_cast<double>(sink.rate().fails())}};
    case MetricType::kTrend:
        break;
    }
    std::vector<std::pair<std::string, double>> values;
    for (const auto& stat : o.trend_stats) {
        values.emplace_back(stat, trend_stat(sink.trend(), stat));
    }
    return values;
}

std::string shown_value(const metrics::Threshold& t, const MetricSummary& m,
                        const SummaryOptions& o) {
    bool is_rate = m.type == MetricType::kRate;
    std::string text = humanize_value(t.observed, is_rate, contains_name(m.contains), o.time_unit);
    if (m.type == MetricType::kCounter && t.aggregation == "rate") {
        text += "/s";
    }
    return text;
}

MetricSummary summarize(const std::string& name, const metrics::MetricDef& def, const Sink& sink,
                        const SummaryOptions& o, double duration_s) {
    MetricSummary m;
    m.name = name;
    m.parent = def.name;
    m.type = def.type;
    m.contains = def.contains;
    m.values = values_of(sink, o, duration_s);
    m.approximate = def.type == MetricType::kTrend && sink.trend().approximate();
    return m;
}

void add_thresholds(MetricSummary& m, const metrics::ThresholdSet& set, const SummaryOptions& o) {
    for (const auto& t : set.thresholds) {
        ThresholdSummary ts;
        ts.source = t.source;
        ts.ok = !t.failed;
        auto op = t.source.find(t.op);
        std::string lhs = t.source.substr(0, op);
        lhs.erase(0, lhs.find_first_not_of(" \t\n\r"));
        lhs.erase(lhs.find_last_not_of(" \t\n\r") + 1);
        ts.label = lhs;
        ts.shown = shown_value(t, m, o);
        m.thresholds.push_back(std::move(ts));
    }
}

GroupSummary& group_node(GroupSummary& root, const std::string& path) {
    GroupSummary* node = &root;
    std::size_t pos = 0;
    while (pos < path.size()) {
        std::size_t start = path.compare(pos, 2, "::") == 0 ? pos + 2 : pos;
        std::size_t end = std::min(path.find("::", start), path.size());
        std::string child_path = path.substr(0, end);
        auto it = std::find_if(node->groups.begin(), node->groups.end(),
                               [&](const GroupSummary& g) { return g.path == child_path; });
        if (it == node->groups.end()) {
            node->groups.push_back(GroupSummary{
                path.substr(start, end - start), child_path, md5_hex(child_path), {}, {}});
            it = std::prev(node->groups.end());
        }
        node = &*it;
        pos = end;
    }
    return *node;
}

void build_groups(Summary& s, const metrics::Engine& engine) {
    s.root_group = GroupSummary{"", "", md5_hex(""), {}, {}};
    for (const auto& path : engine.groups()) {
        group_node(s.root_group, path);
    }
    for (const auto& c : engine.checks()) {
        std::string path = c.group + "::" + c.name;
        group_node(s.root_group, c.group)
            .checks.push_back(CheckSummary{c.name, path, md5_hex(path), c.passes, c.fails});
        auto merged = std::find_if(s.checks_by_name.begin(), s.checks_by_name.end(),
                                   [&](const CheckSummary& m) { return m.name == c.name; });
        if (merged == s.checks_by_name.end()) {
            s.checks_by_name.push_back(CheckSummary{c.name, path, md5_hex(path), 0, 0});
            merged = std::prev(s.checks_by_name.end());
        }
        merged->passes += c.passes;
        merged->fails += c.fails;
    }
}

bool lifecycle_group(const std::string& path) {
    for (std::string g : {"::setup", "::teardown"}) {
        if (path == g || path.starts_with(g + "::")) {
            return true;
        }
    }
    return false;
}

// A group's or scenario's merged breakdown cells, before summarising.
struct SectionData {
    std::string name;
    std::string path;
    std::vector<std::pair<metrics::MetricId, Sink>> metrics;
    std::vector<metrics::CellCheck> checks;
    std::vector<SectionData> groups;
};

void merge_cell(SectionData& d, const metrics::BreakdownCell& cell) {
    for (const auto& [id, sink] : cell.metrics) {
        auto it = std::find_if(d.metrics.begin(), d.metrics.end(),
                               [id = id](const auto& m) { return m.first == id; });
        if (it == d.metrics.end()) {
            d.metrics.emplace_back(id, sink);
        } else {
            it->second.merge(sink);
        }
    }
    for (const auto& c : cell.checks) {
        auto it = std::find_if(d.checks.begin(), d.checks.end(),
                               [&](const auto& m) { return m.name == c.name; });
        if (it == d.checks.end()) {
            d.checks.push_back(c);
            continue;
        }
        it->passes += c.passes;
        it->fails += c.fails;
        it->first_seen = std::min(it->first_seen, c.first_seen);
    }
}

// The node of `path` ("::a::b") under `top`, created with its ancestors on first use (k6 creates
// the whole chain, so a parent without samples of its own still gets a section).
SectionData& section_group(SectionData& top, const std::string& path) {
    SectionData* node = &top;
    std::size_t pos = 0;
    while (pos < path.size()) {
        std::size_t start = path.compare(pos, 2, "::") == 0 ? pos + 2 : pos;
        std::size_t end = std::min(path.find("::", start), path.size());
        std::string child = path.substr(0, end);
        auto it = std::find_if(node->groups.begin(), node->groups.end(),
                               [&](const SectionData& g) { return g.path == child; });
        if (it == node->groups.end()) {
            node->groups.push_back(SectionData{path.substr(start, end - start), child, {}, {}, {}});
            it = std::prev(node->groups.end());
        }
        node = &*it;
        pos = end;
    }
    return *node;
}

SectionSummary summarize_section(const SectionData& d, const metrics::Registry& registry,
                                 const SummaryOptions& o, double duration_s) {
    SectionSummary out;
    out.name = d.name;
    for (const auto& [id, sink] : d.metrics) {
        const auto& def = registry.def(id);
        out.metrics.push_back(summarize(def.name, def, sink, o, duration_s));
    }
    std::stable_sort(out.metrics.begin(), out.metrics.end(), metric_name_less);
    auto checks = d.checks;
    std::stable_sort(checks.begin(), checks.end(),
                     [](const auto& a, const auto& b) { return a.first_seen < b.first_seen; });
    for (const auto& c : checks) {
        out.checks.push_back(CheckSummary{c.name, "", "", c.passes, c.fails});
    }
    for (const auto& g : d.groups) {
        out.groups.push_back(summarize_section(g, registry, o, duration_s));
    }
    return out;
}

// internal/output/summary/summary.go flushSample: a sample of a named scenario counts for that
// scenario and, inside it, for its group; any other sample only for its group at the top level.
void build_sections(Summary& s, const metrics::Engine& engine, const metrics::Registry& registry,
                    double duration_s) {
    SectionData root;
    std::map<std::string, SectionData> scenarios;
    for (const auto& cell : engine.breakdown()) {
        if (lifecycle_group(cell.group)) {
            continue;
        }
        SectionData* top = &root;
        if (!cell.scenario.empty() && cell.scenario != "default") {
            top = &scenarios[cell.scenario];
            top->name = cell.scenario;
            merge_cell(*top, cell);
        }
        if (!cell.group.empty()) {
            merge_cell(section_group(*top, cell.group), cell);
        }
    }
    for (const auto& g : root.groups) {
        s.groups.push_back(summarize_section(g, registry, s.options, duration_s));
    }
    for (const auto& [name, data] : scenarios) {
        s.scenarios.push_back(summarize_section(data, registry, s.options, duration_s));
    }
    std::stable_sort(s.scenarios.begin(), s.scenarios.end(),
                     [](const SectionSummary& a, const SectionSummary& b) {
                         return locale_compare(a.name, b.name) < 0;
                     });
}

} // namespace

bool metric_name_less(const MetricSummary& a, const MetricSummary& b) {
    int parent = locale_compare(a.parent, b.parent);
    if (parent != 0) {
        return parent < 0;
    }
    return locale_compare(std::string_view(a.name).substr(a.parent.size()),
                          std::string_view(b.name).substr(b.parent.size())) < 0;
}

double MetricSummary::value(const std::string& key) const {
    for (const auto& [k, v] : values) {
        if (k == key) {
            return v;
        }
    }
    return 0;
}

void validate_trend_stats(const std::vector<std::string>& stats) {
    for (const auto& stat : stats) {
        if (stat == "avg" || stat == "min" || stat == "med" || stat == "max" || stat == "count") {
            continue;
        }
        auto n = percentile_of(stat);
        if (!n || *n < 0 || *n > 100) {
            throw UserError(fmt::format("invalid summaryTrendStats value '{}'", stat),
                            "use avg, min, med, max, count or p(N) with 0 <= N <= 100",
                            ExitCode::kInvalidConfig);
        }
    }
}

Summary build_summary(const metrics::Engine& engine, const metrics::Registry& registry,
                      const metrics::Thresholds* thresholds, const SummaryOptions& options,
                      double test_duration_s, boost::json::value setup_data) {
    Summary s;
    s.options = options;
    s.test_run_duration_ms = test_duration_s * 1000;
    s.setup_data = std::move(setup_data);
    std::map<std::string, MetricSummary> by_name;
    for (auto id : engine.observed_metrics()) {
        const auto& def = registry.def(id);
        by_name.emplace(def.name,
                        summarize(def.name, def, *engine.metric(id), options, test_duration_s));
    }
    for (const auto& [name, id] : engine.observed_summary_submetrics()) {
        const auto& def = registry.def(engine.submetric_parent(id));
        by_name.emplace(name, summarize(name, def, engine.submetric(id), options, test_duration_s));
    }
    for (const auto& set : thresholds ? thresholds->sets() : std::vector<metrics::ThresholdSet>{}) {
        s.has_thresholds = true;
        const auto& def = registry.def(set.metric);
        auto it = by_name.find(set.name);
        if (it == by_name.end()) {
            Sink sink = set.submetric ? engine.submetric(*set.submetric)
                                      : engine.metric(set.metric).value_or(Sink(def.type));
            it = by_name.emplace(set.name, summarize(set.name, def, sink, options, test_duration_s))
                     .first;
        }
        add_thresholds(it->second, set, options);
    }
    for (auto& [name, m] : by_name) {
        s.metrics.push_back(std::move(m));
    }
    std::stable_sort(s.metrics.begin(), s.metrics.end(), metric_name_less);
    build_groups(s, engine);
    if (options.mode == "full") {
        build_sections(s, engine, registry, test_duration_s);
    }
    return s;
}

std::string md5_hex(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    VOLLEY_CHECK(EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) == 1);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

} // namespace volley::output
