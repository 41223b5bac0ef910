#include "output/results_output.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>

#include "util/error.hpp"

namespace volley::output {

ResultsOutput::ResultsOutput(const std::string& path, const OutputParams& params,
                             const RunFacts& facts)
    : params_(params), facts_(facts), file_("results", path) {}

std::string ResultsOutput::description() const {
    return "results (" + file_.path() + ")";
}

void ResultsOutput::consume(std::span<const metrics::Sample> batch) {
    for (const auto& s : batch) {
        std::uint64_t key = (std::uint64_t{s.metric} << 32) | s.tags;
        auto [it, added] = index_.try_emplace(key, series_.size());
        if (added) {
            series_.push_back(Series{s.metric, s.tags, s.time_ns,
                                     metrics::Sink(params_.registry.def(s.metric).type)});
        }
        Series& series = series_[it->second];
        series.first_seen_ns = std::min(series.first_seen_ns, s.time_ns);
        series.sink.add(s.value, s.time_ns);
    }
}

ResultsRecord ResultsOutput::record() const {
    ResultsRecord r;
    r.script_sha256 = facts_.script_sha256;
    r.options_sha256 = facts_.options_sha256;
    r.options = boost::json::parse(facts_.options_json);
    r.thresholds = facts_.thresholds;
    r.no_thresholds = facts_.no_thresholds;
    r.execution_segment = facts_.execution_segment;
    r.execution_segment_sequence = facts_.execution_segment_sequence;
    r.start_ns = facts_.start_ns;
    r.end_ns = facts_.end_ns;
    std::string setup = facts_.setup_data ? facts_.setup_data() : std::string();
    if (!setup.empty()) {
        boost::system::error_code ec;
        r.setup_data = boost::json::parse(setup, ec);
        if (ec) {
            r.setup_data = nullptr;
        }
    }
    for (std::size_t id = 0; id < params_.registry.size(); ++id) {
        const auto& def = params_.registry.def(static_cast<metrics::MetricId>(id));
        r.metrics.push_back(MetricRecord{def.name, def.type, def.contains});
    }
    r.series.reserve(series_.size());
    for (const auto& s : series_) {
        r.series.push_back(SeriesRecord{params_.registry.def(s.metric).name,
                                        params_.tags.get(s.tags), s.first_seen_ns, s.sink});
    }
    return r;
}

std::unique_ptr<Output> make_results_output(const std::string& path, const OutputParams& params) {
    if (path.empty() || path == "-" || params.run_facts == nullptr) {
        throw UserError("the 'results' output needs a file: --out results=FILE",
                        "e.g. --out results=part1.json, then `volley merge part*.json`",
                        ExitCode::kGeneric);
    }
    return std::make_unique<ResultsOutput>(path, params, *params.run_facts);
}

void ResultsOutput::stop() {
    if (written_ || facts_.end_ns == 0) {
        return; // written, or the test never ended (stop() from ~Engine after an error)
    }
    written_ = true;
    file_.write(record_to_json(record()));
    file_.close();
}

} // namespace volley::output
