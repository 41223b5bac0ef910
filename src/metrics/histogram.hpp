#pragma once

// Value storage for Trend metrics (docs/metrics.md, "Percentile accuracy and memory";
// docs/architecture.md, "Measured choices").
//
// TrendValues keeps every value while there are few of them (the "exact budget", default
// 100,000 per metric and tag set), so percentiles are exactly k6's: linear interpolation on the
// sorted values, index = p × (n − 1). Past the budget it folds the values into a
// LogLinearHistogram and from then on memory stays flat however many samples arrive.
//
// Error bound of LogLinearHistogram (what `approximate()` figures mean):
//  * Magnitudes in [2^-30, 2^50] (≈ 9.3e-10 to 1.1e15; for time metrics, in ms) fall into
//    buckets 2^e × [1 + k/128, 1 + (k+1)/128): 128 linear sub-buckets per power of two. A value is
//    reported as its bucket's midpoint, so the relative error of any rank value is at most
//    1/256 < 0.4 % (reached at a bucket's lower bound). The minimum and maximum are tracked exactly
//    and every reported value is clamped to [min, max].
//  * Magnitudes below 2^-30 are counted as 0 (absolute error < 9.3e-10); magnitudes above 2^50
//    share an overflow bucket whose rank values are the exact max (or min, when negative).
//    Rank 0 is always the exact min and rank n − 1 the exact max.
//  * A percentile interpolates between the two rank values around p × (n − 1), each within
//    0.4 %, so it is within 0.4 % of the exact figure when both have the same sign, and within
//    0.4 % of the larger magnitude of the two otherwise.
//  * Memory: one 64-bit counter per bucket between the smallest and largest bucket seen, per
//    sign: at most 2 × 80 × 128 counters (160 KiB), typically 10–30 KiB. Merging is exact (it
//    adds counters), so merging histograms from several threads or processes loses nothing more.
//
// None of these classes is thread-safe; the metrics engine serialises access.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace volley::metrics {

// k6's percentile on sorted values (metrics/sink.go TrendSink.P): 0 for no values, the value
// itself for one, else linear interpolation at index pct × (n − 1). `pct` is a fraction in
// [0, 1] (p(95) is 0.95, computed as 95.0 / 100). Precondition: `sorted` is sorted ascending.
double exact_percentile(const std::vector<double>& sorted, double pct);

class LogLinearHistogram {
public:
    static constexpr int kSubBucketBits = 7; // 128 sub-buckets per power of two
    static constexpr int kMinExponent = -30; // magnitudes below 2^-30 count as zero
    static constexpr int kMaxExponent = 50;  // magnitudes above 2^50 share the top bucket
    static constexpr double kMaxRelativeError = 1.0 / 256;

    void add(double value, std::uint64_t n = 1);
    void merge(const LogLinearHistogram& other);

    std::uint64_t count() const { return count_; }
    double min() const { return min_; } // exact; 0 when empty
    double max() const { return max_; } // exact; 0 when empty

    // The value of 0-based rank `rank` in ascending order (approximate, see the bound above).
    // Precondition: rank < count().
    double value_at_rank(std::uint64_t rank) const;
    // k6's percentile formula over value_at_rank. `pct` is a fraction in [0, 1].
    double percentile(double pct) const;

    // Heap bytes used by the counters.
    std::size_t memory_bytes() const;

    // The whole state, to save a histogram and restore it exactly (output/results_record):
    // bucket counters per sign from bucket index `lo` on, the values counted as zero, count, min
    // and max.
    struct State {
        std::int32_t positive_lo = 0;
        std::vector<std::uint64_t> positive;
        std::int32_t negative_lo = 0;
        std::vector<std::uint64_t> negative;
        std::uint64_t zeros = 0;
        std::uint64_t count = 0;
        double min = 0;
        double max = 0;
    };
    State state() const;
    // The histogram of a saved state. Returns false (and leaves `out` alone) when the state is
    // not one state() could have given: counts that do not add up, indices out of range, min >
    // max.
    static bool restore(State state, LogLinearHistogram& out);

private:
    // Counters for one sign, indexed by bucket index, covering [lo, lo + counts.size()).
    struct Side {
        std::int32_t lo = 0;
        std::vector<std::uint64_t> counts;
        void add(std::int32_t index, std::uint64_t n);
    };
    static std::int32_t bucket_index(double magnitude);
    static double bucket_midpoint(std::int32_t index);
    double clamp(double v) const;

    Side positive_;
    Side negative_; // indexed by magnitude
    std::uint64_t zeros_ = 0;
    std::uint64_t count_ = 0;
    double min_ = 0;
    double max_ = 0;
};

// A Trend's values: exact up to `exact_budget` values, then a LogLinearHistogram.
class TrendValues {
public:
    static constexpr std::size_t kDefaultExactBudget = 100'000;

    explicit TrendValues(std::size_t exact_budget = kDefaultExactBudget) : budget_(exact_budget) {}

    // Amortised O(1); allocates only while growing the exact buffer or a histogram range.
    void add(double value);
    // Adds every value of `other`. The result is exact iff both are exact and the combined count
    // fits this object's budget.
    void merge(const TrendValues& other);

    std::uint64_t count() const;
    // k6's percentile: `pct` is a fraction in [0, 1]. Sorts the exact values lazily (hence
    // non-const-looking state is `mutable`).
    double percentile(double pct) const;
    // True once the values were folded into the histogram: percentiles are then approximate.
    bool approximate() const { return approximate_; }
    std::size_t exact_budget() const { return budget_; }

    // The values kept while exact (in no particular order; empty once approximate()).
    const std::vector<double>& exact_values() const { return exact_; }
    // The histogram once approximate() (empty before).
    const LogLinearHistogram& histogram() const { return histogram_; }
    // Restores saved values (output/results_record): exact ones (folded at once if there are
    // more than `exact_budget`), or a histogram (approximate from then on).
    static TrendValues from_exact(std::vector<double> values, std::size_t exact_budget);
    static TrendValues from_histogram(LogLinearHistogram histogram, std::size_t exact_budget);

private:
    void fold_into_histogram();

    std::size_t budget_;
    bool approximate_ = false;
    mutable bool sorted_ = true;
    mutable std::vector<double> exact_;
    LogLinearHistogram histogram_;
};

} // namespace volley::metrics
