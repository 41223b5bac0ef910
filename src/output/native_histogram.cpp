#include "output/native_histogram.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace volley::output {
namespace {

// client_golang's nativeHistogramBounds[3]: 2^(i/8) / 2, the bounds of a frexp fraction.
constexpr std::array<double, 8> kBounds = {
    0.5,
    0.5452538663326288,
    0.5946035575013605,
    0.6484197773255048,
    0.7071067811865475,
    0.7711054127039704,
    0.8408964152537144,
    0.9170040432046711,
};

// client_golang's makeBuckets: spans and deltas of the non-empty buckets in index order; a gap
// of one or two empty buckets is written as zero-count buckets instead of a new span.
void make_buckets(const std::map<int, std::int64_t>& buckets, std::vector<PromBucketSpan>& spans,
                  std::vector<std::int64_t>& deltas) {
    std::int64_t prev_count = 0;
    int next_index = 0;
    bool first = true;
    auto append = [&](std::int64_t count) {
        ++spans.back().length;
        deltas.push_back(count - prev_count);
        prev_count = count;
    };
    for (const auto& [index, count] : buckets) {
        auto gap = static_cast<std::int32_t>(index - next_index);
        if (first || gap > 2) {
            spans.push_back(PromBucketSpan{gap, 0});
        } else {
            for (std::int32_t j = 0; j < gap; ++j) {
                append(0);
            }
        }
        append(count);
        next_index = index + 1;
        first = false;
    }
}

} // namespace

int NativeHistogram::bucket_key(double v) {
    bool inf = std::isinf(v);
    if (inf) {
        v = std::numeric_limits<double>::max(); // as client_golang: the last finite bucket, + 1
    }
    int exp = 0;
    double frac = std::frexp(std::fabs(v), &exp);
    auto i = std::lower_bound(kBounds.begin(), kBounds.end(), frac) - kBounds.begin();
    int key = static_cast<int>(i) + (exp - 1) * static_cast<int>(kBounds.size());
    return inf ? key + 1 : key;
}

void NativeHistogram::observe(double v) {
    ++count_;
    sum_ += v;
    if (std::isnan(v)) {
        return;
    }
    if (v > kZeroThreshold) {
        ++positive_[bucket_key(v)];
    } else if (v < -kZeroThreshold) {
        ++negative_[bucket_key(v)];
    } else {
        ++zero_count_;
    }
}

PromHistogram NativeHistogram::to_proto(std::int64_t timestamp_ms) const {
    PromHistogram h;
    h.count = count_;
    h.sum = sum_;
    h.schema = kSchema;
    h.zero_threshold = kZeroThreshold;
    h.zero_count = zero_count_;
    make_buckets(negative_, h.negative_spans, h.negative_deltas);
    make_buckets(positive_, h.positive_spans, h.positive_deltas);
    h.timestamp_ms = timestamp_ms;
    return h;
}

} // namespace volley::output
