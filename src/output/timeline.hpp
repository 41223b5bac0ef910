#pragma once

// The run over time, for the HTML report's plots (docs/insight.md, "HTML report"): a few
// metrics' samples folded into time buckets. Buckets are 1 s wide at first; when a run passes
// kMaxBuckets, neighbours are merged and the width doubles, so memory stays bounded however
// long the run. Not thread-safe (the metrics engine's aggregation thread feeds it).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/histogram.hpp"
#include "metrics/registry.hpp"
#include "metrics/sample.hpp"
#include "metrics/tags.hpp"

namespace volley::output {

class Timeline {
public:
    static constexpr std::size_t kMaxBuckets = 240;

    enum Count { kSessions, kMsgsSent, kMsgsReceived, kIterations, kCountKinds };
    enum Trend { kConnecting, kSessionDuration, kTrendKinds };

    struct Bucket {
        double vus = 0;                           // the highest vus sample
        std::array<double, kCountKinds> counts{}; // sums
        std::array<metrics::LogLinearHistogram, kTrendKinds> trends;
        std::vector<double> errors;   // ws_errors by index into error_codes()
        std::optional<double> cpu;    // generator_cpu, highest over the workers
        std::optional<double> lag_ms; // generator_lag, highest
    };

    Timeline(const metrics::Registry& registry, const metrics::TagInterner& tags);

    void add(const metrics::Sample& sample);

    double width_s() const { return static_cast<double>(width_ns_) / 1e9; }
    const std::vector<Bucket>& buckets() const { return buckets_; }
    // The error codes seen (the error_code tag of ws_errors), in first-seen order.
    const std::vector<std::string>& error_codes() const { return error_codes_; }
    bool has_generator() const { return has_generator_; }
    bool has_errors() const { return !error_codes_.empty(); }

private:
    Bucket& bucket_at(std::int64_t time_ns);
    void widen(); // merges neighbours: half as many buckets, twice as wide
    std::size_t error_index(metrics::TagSetId tags);

    const metrics::TagInterner& tags_;
    metrics::Builtins ids_;
    std::optional<metrics::MetricId> ws_errors_;
    std::optional<metrics::MetricId> generator_cpu_;
    std::optional<metrics::MetricId> generator_lag_;
    std::int64_t origin_ns_ = 0; // the first sample's second
    std::int64_t width_ns_ = 1'000'000'000;
    std::vector<Bucket> buckets_;
    std::vector<std::string> error_codes_;
    bool has_generator_ = false;
};

} // namespace volley::output
