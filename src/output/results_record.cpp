#include "output/results_record.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "metrics/registry.hpp"
#include "util/error.hpp"

namespace volley::output {
namespace {

namespace json = boost::json;
using metrics::MetricType;
using metrics::ValueType;

constexpr std::int64_t kFormat = 1;

// Shortest round-trip text of a double (fmt's default), "nan"/"inf"/"-inf" included.
std::string num(double v) {
    return fmt::format("{}", v);
}

[[noreturn]] void bad(const std::string& what) {
    throw std::invalid_argument(what);
}

double parse_double(std::string_view text, const char* field) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
        bad(fmt::format("field '{}' is not a number: \"{}\"", field, text));
    }
    return v;
}

const json::value& field(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr) {
        bad(fmt::format("field '{}' is missing", name));
    }
    return *v;
}

const json::object& object_field(const json::object& o, const char* name) {
    const auto& v = field(o, name);
    if (!v.is_object()) {
        bad(fmt::format("field '{}' is not an object", name));
    }
    return v.get_object();
}

const json::array& array_field(const json::object& o, const char* name) {
    const auto& v = field(o, name);
    if (!v.is_array()) {
        bad(fmt::format("field '{}' is not an array", name));
    }
    return v.get_array();
}

std::string string_field(const json::object& o, const char* name) {
    const auto& v = field(o, name);
    if (!v.is_string()) {
        bad(fmt::format("field '{}' is not a string", name));
    }
    return std::string(v.get_string());
}

double double_field(const json::object& o, const char* name) {
    return parse_double(string_field(o, name), name);
}

std::int64_t int_field(const json::object& o, const char* name) {
    const auto& v = field(o, name);
    if (v.is_int64()) {
        return v.get_int64();
    }
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v.get_uint64());
    }
    bad(fmt::format("field '{}' is not a whole number", name));
}

std::uint64_t count_of(const json::value& v, const char* name) {
    if (v.is_uint64()) {
        return v.get_uint64();
    }
    if (v.is_int64() && v.get_int64() >= 0) {
        return static_cast<std::uint64_t>(v.get_int64());
    }
    bad(fmt::format("field '{}' is not a count", name));
}

std::uint64_t count_field(const json::object& o, const char* name) {
    return count_of(field(o, name), name);
}

bool bool_field(const json::object& o, const char* name) {
    const auto& v = field(o, name);
    if (!v.is_bool()) {
        bad(fmt::format("field '{}' is not a boolean", name));
    }
    return v.get_bool();
}

MetricType type_from(const std::string& name) {
    for (auto t :
         {MetricType::kCounter, MetricType::kGauge, MetricType::kRate, MetricType::kTrend}) {
        if (name == metrics::type_name(t)) {
            return t;
        }
    }
    bad(fmt::format("unknown metric type \"{}\"", name));
}

ValueType contains_from(const std::string& name) {
    for (auto t : {ValueType::kDefault, ValueType::kTime, ValueType::kData}) {
        if (name == metrics::value_type_name(t)) {
            return t;
        }
    }
    bad(fmt::format("unknown metric contents \"{}\"", name));
}

json::array counts_json(const std::vector<std::uint64_t>& counts) {
    json::array a;
    a.reserve(counts.size());
    for (auto n : counts) {
        a.emplace_back(n);
    }
    return a;
}

std::vector<std::uint64_t> counts_from(const json::array& a, const char* name) {
    std::vector<std::uint64_t> out;
    out.reserve(a.size());
    for (const auto& v : a) {
        out.push_back(count_of(v, name));
    }
    return out;
}

void write_trend(const metrics::TrendSink& t, json::object& o) {
    o["count"] = t.count();
    o["sum"] = num(t.sum());
    o["min"] = num(t.min());
    o["max"] = num(t.max());
    if (!t.approximate()) {
        std::string values;
        for (double v : t.values().exact_values()) {
            values += values.empty() ? "" : " ";
            values += num(v);
        }
        o["values"] = values;
        return;
    }
    auto h = t.values().histogram().state();
    o["histogram"] = json::object{{"zeros", h.zeros},
                                  {"count", h.count},
                                  {"min", num(h.min)},
                                  {"max", num(h.max)},
                                  {"positiveLo", h.positive_lo},
                                  {"positive", counts_json(h.positive)},
                                  {"negativeLo", h.negative_lo},
                                  {"negative", counts_json(h.negative)}};
}

void write_sink(const metrics::Sink& sink, json::object& o) {
    switch (sink.type()) {
    case MetricType::kCounter:
        o["sum"] = num(sink.counter().sum);
        o["samples"] = sink.counter().samples;
        return;
    case MetricType::kGauge:
        o["value"] = num(sink.gauge().value);
        o["min"] = num(sink.gauge().min);
        o["max"] = num(sink.gauge().max);
        o["lastTimeNs"] = sink.gauge().last_time_ns;
        o["samples"] = sink.gauge().samples;
        return;
    case MetricType::kRate:
        o["passes"] = sink.rate().trues;
        o["total"] = sink.rate().total;
        return;
    case MetricType::kTrend:
        write_trend(sink.trend(), o);
        return;
    }
}

std::vector<double> values_from(const std::string& text) {
    std::vector<double> values;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = std::min(text.find(' ', pos), text.size());
        values.push_back(parse_double(std::string_view(text).substr(pos, end - pos), "values"));
        pos = end + 1;
    }
    return values;
}

metrics::TrendValues trend_values(const json::object& o, std::uint64_t count) {
    constexpr auto kBudget = metrics::TrendValues::kDefaultExactBudget;
    if (const auto* values = o.if_contains("values")) {
        if (!values->is_string()) {
            bad("field 'values' is not a string");
        }
        auto exact = values_from(std::string(values->get_string()));
        if (exact.size() != count) {
            bad("a trend's values do not match its count");
        }
        // Past the budget the output writes the histogram, so more values than that mean the
        // record was made with a larger budget: keep them all (still exact).
        std::size_t budget = std::max(kBudget, exact.size());
        return metrics::TrendValues::from_exact(std::move(exact), budget);
    }
    const auto& h = object_field(o, "histogram");
    metrics::LogLinearHistogram::State state;
    state.zeros = count_field(h, "zeros");
    state.count = count_field(h, "count");
    state.min = double_field(h, "min");
    state.max = double_field(h, "max");
    auto lo = [&](const char* name) {
        std::int64_t v = int_field(h, name);
        if (v < 0 || v > INT32_MAX) {
            bad(fmt::format("field '{}' is out of range", name));
        }
        return static_cast<std::int32_t>(v);
    };
    state.positive_lo = lo("positiveLo");
    state.positive = counts_from(array_field(h, "positive"), "positive");
    state.negative_lo = lo("negativeLo");
    state.negative = counts_from(array_field(h, "negative"), "negative");
    metrics::LogLinearHistogram histogram;
    if (state.count != count ||
        !metrics::LogLinearHistogram::restore(std::move(state), histogram)) {
        bad("a trend's histogram is inconsistent");
    }
    return metrics::TrendValues::from_histogram(std::move(histogram), kBudget);
}

metrics::Sink read_sink(MetricType type, const json::object& o) {
    switch (type) {
    case MetricType::kCounter:
        return metrics::Sink(
            metrics::CounterSink{double_field(o, "sum"), count_field(o, "samples")});
    case MetricType::kGauge:
        return metrics::Sink(metrics::GaugeSink{double_field(o, "value"), double_field(o, "min"),
                                                double_field(o, "max"), int_field(o, "lastTimeNs"),
                                                count_field(o, "samples")});
    case MetricType::kRate: {
        metrics::RateSink r{count_field(o, "passes"), count_field(o, "total")};
        if (r.trues > r.total) {
            bad("a rate has more passes than samples");
        }
        return metrics::Sink(r);
    }
    case MetricType::kTrend:
        break;
    }
    std::uint64_t count = count_field(o, "count");
    return metrics::Sink(metrics::TrendSink::restore(count, double_field(o, "min"),
                                                     double_field(o, "max"), double_field(o, "sum"),
                                                     trend_values(o, count)));
}

json::object tags_json(const metrics::TagMap& tags) {
    json::object o;
    for (const auto& [k, v] : tags) {
        o[k] = v;
    }
    return o;
}

metrics::TagMap tags_from(const json::object& o) {
    metrics::TagMap tags;
    for (const auto& [k, v] : o) {
        if (!v.is_string()) {
            bad(fmt::format("tag '{}' is not a string", std::string_view(k)));
        }
        tags.emplace(std::string(k), std::string(v.get_string()));
    }
    return tags;
}

std::vector<MetricRecord> metrics_from(const json::array& a) {
    std::vector<MetricRecord> out;
    for (const auto& v : a) {
        if (!v.is_object()) {
            bad("a metric is not an object");
        }
        const auto& m = v.get_object();
        out.push_back(MetricRecord{string_field(m, "name"), type_from(string_field(m, "type")),
                                   contains_from(string_field(m, "contains"))});
    }
    return out;
}

std::vector<SeriesRecord> series_from(const json::array& a, const std::vector<MetricRecord>& defs) {
    std::vector<SeriesRecord> out;
    out.reserve(a.size());
    for (const auto& v : a) {
        if (!v.is_object()) {
            bad("a series is not an object");
        }
        const auto& s = v.get_object();
        std::string name = string_field(s, "metric");
        auto def = std::find_if(defs.begin(), defs.end(),
                                [&](const MetricRecord& m) { return m.name == name; });
        if (def == defs.end()) {
            bad(fmt::format("series of an undefined metric '{}'", name));
        }
        out.push_back(SeriesRecord{name, tags_from(object_field(s, "tags")),
                                   int_field(s, "firstSeenNs"), read_sink(def->type, s)});
    }
    return out;
}

} // namespace

double ResultsRecord::duration_s() const {
    return static_cast<double>(std::max<std::int64_t>(end_ns - start_ns, 1)) / 1e9;
}

std::string record_to_json(const ResultsRecord& r) {
    json::array metric_defs;
    for (const auto& m : r.metrics) {
        metric_defs.push_back(json::object{{"name", m.name},
                                           {"type", metrics::type_name(m.type)},
                                           {"contains", metrics::value_type_name(m.contains)}});
    }
    json::array series;
    series.reserve(r.series.size());
    for (const auto& s : r.series) {
        json::object o{
            {"metric", s.metric}, {"tags", tags_json(s.tags)}, {"firstSeenNs", s.first_seen_ns}};
        write_sink(s.sink, o);
        series.push_back(std::move(o));
    }
    json::object root{{"volleyResults", kFormat},
                      {"scriptSha256", r.script_sha256},
                      {"optionsSha256", r.options_sha256},
                      {"executionSegment", r.execution_segment},
                      {"executionSegmentSequence", r.execution_segment_sequence},
                      {"startNs", r.start_ns},
                      {"endNs", r.end_ns},
                      {"options", r.options},
                      {"thresholds", r.thresholds},
                      {"noThresholds", r.no_thresholds},
                      {"setupData", r.setup_data},
                      {"metrics", std::move(metric_defs)},
                      {"series", std::move(series)}};
    return json::serialize(root) + "\n";
}

ResultsRecord parse_record(std::string_view text) {
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec) {
        bad("not JSON (" + ec.message() + ")");
    }
    if (!doc.is_object() || doc.get_object().if_contains("volleyResults") == nullptr) {
        bad("not a volley results record (no \"volleyResults\" field)");
    }
    const auto& o = doc.get_object();
    if (int_field(o, "volleyResults") != kFormat) {
        bad(fmt::format("results record format {} (this volley reads format {})",
                        json::serialize(o.at("volleyResults")), kFormat));
    }
    ResultsRecord r;
    r.script_sha256 = string_field(o, "scriptSha256");
    r.options_sha256 = string_field(o, "optionsSha256");
    r.execution_segment = string_field(o, "executionSegment");
    r.execution_segment_sequence = string_field(o, "executionSegmentSequence");
    r.start_ns = int_field(o, "startNs");
    r.end_ns = int_field(o, "endNs");
    r.options = object_field(o, "options");
    r.thresholds = field(o, "thresholds");
    r.no_thresholds = bool_field(o, "noThresholds");
    r.setup_data = field(o, "setupData");
    r.metrics = metrics_from(array_field(o, "metrics"));
    r.series = series_from(array_field(o, "series"), r.metrics);
    return r;
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    VOLLEY_CHECK(EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) == 1);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

std::string script_hash(const std::string& entry,
                        const std::vector<std::pair<std::string, std::string>>& sources) {
    std::string folder = entry.substr(0, entry.rfind('/') + 1);
    std::vector<std::pair<std::string, const std::string*>> named;
    for (const auto& [name, source] : sources) {
        bool under = !folder.empty() && name.starts_with(folder);
        named.emplace_back(under ? name.substr(folder.size()) : name, &source);
    }
    std::sort(named.begin(), named.end());
    std::string text;
    for (const auto& [name, source] : named) {
        text += fmt::format("{}\n{}\n", name, source->size());
        text += *source;
    }
    return sha256_hex(text);
}

} // namespace volley::output
