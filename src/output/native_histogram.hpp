#pragma once

// A Prometheus native (sparse) histogram, built the way k6's experimental-prometheus-rw output
// builds one for a Trend with K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: client_golang's
// prometheus.Histogram with NativeHistogramBucketFactor 1.1 (schema 3: eight buckets per power of
// two, upper bounds inclusive), the default zero threshold 2^-128, no bucket limit and no reset,
// converted to a remote-write Histogram as client_golang's Write() and k6's
// histogramToHistogramProto do (spans bridge gaps of up to two empty buckets).
// Not thread-safe: one owner.

#include <cstdint>
#include <map>

#include "output/prompb.hpp"

namespace volley::output {

class NativeHistogram {
public:
    static constexpr std::int32_t kSchema = 3; // pickSchema(1.1)
    static constexpr double kZeroThreshold = 2.938735877055719e-39;

    // Counts `v` (NaN counts in count and sum only, ±Inf in the outermost buckets).
    void observe(double v);

    // The histogram so far, with `timestamp_ms`.
    PromHistogram to_proto(std::int64_t timestamp_ms) const;

    // The bucket index of |v| > 0 under schema 3: bucket i holds (2^((i-1)/8), 2^(i/8)].
    static int bucket_key(double v);

private:
    std::uint64_t count_ = 0;
    double sum_ = 0;
    std::uint64_t zero_count_ = 0;
    std::map<int, std::int64_t> positive_; // bucket index -> count
    std::map<int, std::int64_t> negative_;
};

} // namespace volley::output
