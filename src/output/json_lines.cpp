#include "output/json_lines.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "output/js_format.hpp"
#include "output/summary.hpp"
#include "output/time_format.hpp"

namespace volley::output {
namespace {

namespace json = boost::json;

json::value threshold_json(const metrics::Threshold& t) {
    if (!t.abort_on_fail) {
        return json::value(t.source);
    }
    json::value delay = nullptr;
    if (t.delay_abort_eval_ns) {
        delay = json::value(go_duration_string(*t.delay_abort_eval_ns));
    }
    return json::object{{"threshold", t.source}, {"abortOnFail", true}, {"delayAbortEval", delay}};
}

json::object tags_json(const metrics::TagMap& tags) {
    json::object o;
    for (const auto& [k, v] : tags) {
        o[k] = v;
    }
    return o;
}

} // namespace

JsonLinesOutput::JsonLinesOutput(const std::string& path, const OutputParams& params)
    : params_(params), file_("json", path) {}

std::string JsonLinesOutput::description() const {
    return "json (" + (file_.path().empty() ? std::string("-") : file_.path()) + ")";
}

std::string JsonLinesOutput::metric_record(metrics::MetricId id) const {
    const auto& def = params_.registry.def(id);
    json::array thresholds;
    json::array submetrics;
    for (const auto& set :
         params_.thresholds ? params_.thresholds->sets() : std::vector<metrics::ThresholdSet>{}) {
        if (set.metric != id) {
            continue;
        }
        if (set.name == def.name) {
            for (const auto& t : set.thresholds) {
                thresholds.push_back(threshold_json(t));
            }
        } else {
            submetrics.push_back(json::object{
                {"name", set.name}, {"suffix", set.suffix}, {"tags", tags_json(set.filter)}});
        }
    }
    json::value subs = submetrics.empty() ? json::value(nullptr) : json::value(submetrics);
    json::object data{{"name", def.name},
                      {"type", metrics::type_name(def.type)},
                      {"contains", metrics::value_type_name(def.contains)},
                      {"thresholds", std::move(thresholds)},
                      {"submetrics", std::move(subs)}};
    json::object record{{"type", "Metric"}, {"data", std::move(data)}, {"metric", def.name}};
    return js_stringify(record, 0) + "\n";
}

void JsonLinesOutput::append_point(const metrics::Sample& s, std::string& out) const {
    const std::string& name = params_.registry.def(s.metric).name;
    out += R"({"type":"Point","data":{"time":")";
    out += rfc3339_nano_local(s.time_ns);
    out += R"(","value":)";
    out += std::isfinite(s.value) ? js_number_to_string(s.value) : "null";
    out += R"(,"tags":)";
    out += js_stringify(tags_json(params_.tags.get(s.tags)), 0);
    out += R"(},"metric":)";
    out += json::serialize(json::string(name));
    out += "}\n";
}

void JsonLinesOutput::consume(std::span<const metrics::Sample> batch) {
    buffer_.clear();
    for (const auto& s : batch) {
        if (s.metric >= announced_.size()) {
            announced_.resize(s.metric + 1, false);
        }
        if (!announced_[s.metric]) {
            announced_[s.metric] = true;
            buffer_ += metric_record(s.metric);
        }
        append_point(s, buffer_);
    }
    file_.write(buffer_);
}

void JsonLinesOutput::stop() {
    file_.close();
}

} // namespace volley::output
