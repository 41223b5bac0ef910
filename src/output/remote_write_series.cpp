#include "output/remote_write_series.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <variant>

#include "metrics/sink.hpp"
#include "output/native_histogram.hpp"

namespace volley::output {
namespace {

using metrics::MetricType;
using metrics::ValueType;

// k6's stale.Marker: Prometheus's StaleNaN.
const double kStaleMarker = std::bit_cast<double>(std::uint64_t{0x7ff0000000000002});

// k6's parsePercentile: "p(N)" with N a Go float in [0, 100].
boost::system::result<double, std::string> parse_percentile(const std::string& stat) {
    if (!stat.starts_with("p(") || !stat.ends_with(")")) {
        return "invalid trend stat '" + stat + "', unknown format";
    }
    std::string_view number(stat.data() + 2, stat.size() - 3);
    double p = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), p);
    if (ec != std::errc() || end != number.data() + number.size() || number.empty() || p < 0 ||
        p > 100) {
        return "invalid percentile trend stat value '" + stat +
               "', provide a number between 0 and 100";
    }
    return p;
}

// The series suffix of a stat: p(95) -> p95, p(99.9) -> p999, p(0.5) -> p05.
std::string stat_key(const std::string& stat) {
    if (!stat.starts_with("p(")) {
        return stat;
    }
    std::string key = "p";
    for (char c : std::string_view(stat).substr(2, stat.size() - 3)) {
        if (c != '.') {
            key.push_back(c);
        }
    }
    return key;
}

// k6's baseUnit: the native histogram's name suffix.
std::string_view base_unit(ValueType v) {
    switch (v) {
    case ValueType::kTime:
        return "seconds";
    case ValueType::kData:
        return "bytes";
    case ValueType::kDefault:
        break;
    }
    return "";
}

// k6's adaptUnit: milliseconds become seconds (Prometheus's base unit); bytes stay bytes.
double adapt_unit(ValueType v, double value) {
    return v == ValueType::kTime ? value / 1000 : value;
}

double stat_value(const TrendStat& stat, const metrics::TrendSink& t) {
    switch (stat.kind) {
    case TrendStat::Kind::kAvg:
        return t.avg();
    case TrendStat::Kind::kMin:
        return t.min();
    case TrendStat::Kind::kMed:
        return t.med();
    case TrendStat::Kind::kMax:
        return t.max();
    case TrendStat::Kind::kCount:
        return static_cast<double>(t.count());
    case TrendStat::Kind::kSum:
        return t.sum();
    case TrendStat::Kind::kPercentile:
        return t.percentile(stat.percentile);
    }
    return 0;
}

PromTimeSeries mono_series(std::vector<PromLabel> labels, double value, std::int64_t ts) {
    PromTimeSeries s;
    s.labels = std::move(labels);
    s.samples.push_back(PromSample{value, ts});
    return s;
}

} // namespace

boost::system::result<std::vector<TrendStat>, std::string>
parse_trend_stats(const std::vector<std::string>& stats) {
    static const std::pair<const char*, TrendStat::Kind> kStatic[] = {
        {"avg", TrendStat::Kind::kAvg},     {"min", TrendStat::Kind::kMin},
        {"med", TrendStat::Kind::kMed},     {"max", TrendStat::Kind::kMax},
        {"count", TrendStat::Kind::kCount}, {"sum", TrendStat::Kind::kSum},
    };
    std::vector<TrendStat> out;
    for (const auto& stat : stats) {
        TrendStat parsed{stat_key(stat)};
        auto known = std::find_if(std::begin(kStatic), std::end(kStatic),
                                  [&](const auto& s) { return stat == s.first; });
        if (known != std::end(kStatic)) {
            parsed.kind = known->second;
        } else {
            auto p = parse_percentile(stat);
            if (!p) {
                return p.error();
            }
            parsed.kind = TrendStat::Kind::kPercentile;
            parsed.percentile = *p;
        }
        // k6 keeps the resolvers in a map: a repeated key counts once (the last one wins).
        std::erase_if(out, [&](const TrendStat& s) { return s.key == parsed.key; });
        out.push_back(std::move(parsed));
    }
    return out;
}

std::vector<PromLabel> map_series(std::string_view metric_name, const metrics::TagMap& tags,
                                  std::string_view suffix) {
    std::vector<PromLabel> labels;
    labels.reserve(tags.size() + 1);
    for (const auto& [k, v] : tags) {
        if (!k.empty() && !v.empty()) {
            labels.push_back(PromLabel{k, v});
        }
    }
    std::string name = "k6_";
    name += metric_name;
    if (!suffix.empty()) {
        name += '_';
        name += suffix;
    }
    labels.push_back(PromLabel{"__name__", std::move(name)});
    std::stable_sort(labels.begin(), labels.end(),
                     [](const PromLabel& a, const PromLabel& b) { return a.name < b.name; });
    return labels;
}

namespace {

struct CounterValue {
    double value = 0;
};
struct GaugeValue {
    double value = 0;
};

} // namespace

struct RemoteWriteSeries::Entry {
    using Counter = CounterValue;
    using Gauge = GaugeValue;
    const metrics::MetricDef* def = nullptr;
    const metrics::TagMap* tags = nullptr;
    std::variant<Counter, Gauge, metrics::RateSink, metrics::TrendSink, NativeHistogram> measure;
    std::int64_t latest_ms = 0;
    std::uint64_t seen_in = 0; // the convert() call that last queued this series

    void add(double v) {
        std::visit(
            [v, this](auto& m) {
                using M = std::decay_t<decltype(m)>;
                if constexpr (std::is_same_v<M, Counter>) {
                    m.value += v;
                } else if constexpr (std::is_same_v<M, Gauge>) {
                    m.value = v; // k6's GaugeSink: the last value added
                } else if constexpr (std::is_same_v<M, NativeHistogram>) {
                    m.observe(adapt_unit(def->contains, v)); // k6 observes seconds
                } else {
                    m.add(v);
                }
            },
            measure);
    }
};

RemoteWriteSeries::RemoteWriteSeries(const metrics::Registry& registry,
                                     const metrics::TagInterner& tags, std::vector<TrendStat> stats,
                                     bool native_histograms)
    : registry_(registry), tags_(tags), stats_(std::move(stats)),
      native_histograms_(native_histograms) {}

RemoteWriteSeries::~RemoteWriteSeries() = default;

std::vector<PromTimeSeries> RemoteWriteSeries::convert(std::span<const metrics::Sample> samples) {
    const std::uint64_t call = ++calls_;
    std::vector<Entry*> seen;
    for (const auto& s : samples) {
        // Go's Time.Truncate(time.Millisecond).UnixMilli() (floor, also before 1970).
        std::int64_t ms = s.time_ns / 1'000'000 - (s.time_ns % 1'000'000 < 0 ? 1 : 0);
        std::uint64_t key = (std::uint64_t{s.metric} << 32) | s.tags;
        auto& slot = entries_[key];
        Entry* e = slot.get();
        bool newer = false;
        if (e == nullptr) {
            slot = std::make_unique<Entry>();
            e = slot.get();
            e->def = &registry_.def(s.metric);
            e->tags = &tags_.get(s.tags);
            switch (e->def->type) {
            case MetricType::kCounter:
                e->measure = Entry::Counter{};
                break;
            case MetricType::kGauge:
                e->measure = Entry::Gauge{};
                break;
            case MetricType::kRate:
                e->measure = metrics::RateSink{};
                break;
            case MetricType::kTrend:
                if (native_histograms_) {
                    e->measure = NativeHistogram{};
                } else {
                    e->measure = metrics::TrendSink{};
                }
                break;
            }
            e->latest_ms = ms;
            order_.push_back(e);
            newer = true;
        } else if (ms > e->latest_ms) {
            e->latest_ms = ms;
            newer = true;
        }
        // A sample in the same millisecond as (or older than) the series' newest is aggregated
        // but does not make the series due: sending it again would repeat a timestamp.
        if (newer && e->seen_in != call) {
            e->seen_in = call;
            seen.push_back(e);
        }
        e->add(s.value);
    }
    std::vector<PromTimeSeries> out;
    out.reserve(seen.size());
    for (const Entry* e : seen) {
        map_entry(*e, out);
    }
    return out;
}

void RemoteWriteSeries::map_entry(const Entry& e, std::vector<PromTimeSeries>& out) const {
    const auto& name = e.def->name;
    const auto ts = e.latest_ms;
    if (const auto* c = std::get_if<Entry::Counter>(&e.measure)) {
        out.push_back(mono_series(map_series(name, *e.tags, "total"), c->value, ts));
    } else if (const auto* g = std::get_if<Entry::Gauge>(&e.measure)) {
        out.push_back(mono_series(map_series(name, *e.tags, ""), g->value, ts));
    } else if (const auto* r = std::get_if<metrics::RateSink>(&e.measure)) {
        out.push_back(mono_series(map_series(name, *e.tags, "rate"), r->value(), ts));
    } else if (const auto* h = std::get_if<NativeHistogram>(&e.measure)) {
        PromTimeSeries s;
        s.labels = map_series(name, *e.tags, base_unit(e.def->contains));
        s.histograms.push_back(h->to_proto(ts));
        out.push_back(std::move(s));
    } else {
        const auto& trend = std::get<metrics::TrendSink>(e.measure);
        auto labels = map_series(name, *e.tags, "");
        auto name_label = std::find_if(labels.begin(), labels.end(),
                                       [](const PromLabel& l) { return l.name == "__name__"; });
        const auto name_index = name_label - labels.begin();
        for (const auto& stat : stats_) {
            auto stat_labels = labels;
            stat_labels[name_index].value += "_" + stat.key;
            // As k6, every stat goes through adaptUnit, `count` too (a time trend's count is
            // divided by 1000).
            out.push_back(mono_series(std::move(stat_labels),
                                      adapt_unit(e.def->contains, stat_value(stat, trend)), ts));
        }
    }
}

std::vector<PromTimeSeries> RemoteWriteSeries::stale_markers(std::int64_t timestamp_ms) const {
    std::vector<PromTimeSeries> out;
    for (const Entry* e : order_) {
        std::size_t first = out.size();
        map_entry(*e, out);
        for (std::size_t i = first; i < out.size(); ++i) {
            auto& s = out[i];
            // A native histogram series gets a float sample holding the marker (k6 does the
            // same); its histogram stays in the message.
            if (s.samples.empty()) {
                s.samples.push_back(PromSample{});
            }
            s.samples[0].value = kStaleMarker;
            s.samples[0].timestamp_ms = timestamp_ms;
        }
    }
    return out;
}

} // namespace volley::output
