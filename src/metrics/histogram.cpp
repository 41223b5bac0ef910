#include "metrics/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace volley::metrics {
namespace {

constexpr int kMantissaBits = 52;
constexpr int kShift = kMantissaBits - LogLinearHistogram::kSubBucketBits;

// Bucket index of 2^kMinExponent: every index is relative to it, so indices start at 0.
std::int64_t raw_index(double magnitude) {
    return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(magnitude) >> kShift);
}
const std::int64_t kBaseIndex = raw_index(std::ldexp(1.0, LogLinearHistogram::kMinExponent));
const std::int64_t kTopIndex = raw_index(std::ldexp(1.0, LogLinearHistogram::kMaxExponent));

double bound_of(std::int64_t index) {
    return std::bit_cast<double>(static_cast<std::uint64_t>(index + kBaseIndex) << kShift);
}

} // namespace

double exact_percentile(const std::vector<double>& sorted, double pct) {
    if (sorted.empty()) {
        return 0;
    }
    if (sorted.size() == 1) {
        return sorted[0];
    }
    double i = pct * (static_cast<double>(sorted.size()) - 1.0);
    double j = sorted[static_cast<std::size_t>(std::floor(i))];
    double k = sorted[static_cast<std::size_t>(std::ceil(i))];
    double f = i - std::floor(i);
    return j + (k - j) * f;
}

void LogLinearHistogram::Side::add(std::int32_t index, std::uint64_t n) {
    if (counts.empty()) {
        lo = index;
        counts.assign(1, 0);
    } else if (index < lo) {
        counts.insert(counts.begin(), static_cast<std::size_t>(lo - index), 0);
        lo = index;
    } else if (static_cast<std::size_t>(index - lo) >= counts.size()) {
        counts.resize(static_cast<std::size_t>(index - lo) + 1, 0);
    }
    counts[static_cast<std::size_t>(index - lo)] += n;
}

std::int32_t LogLinearHistogram::bucket_index(double magnitude) {
    std::int64_t raw = std::min(raw_index(magnitude), kTopIndex);
    return static_cast<std::int32_t>(raw - kBaseIndex);
}

double LogLinearHistogram::bucket_midpoint(std::int32_t index) {
    if (index + kBaseIndex >= kTopIndex) {
        return HUGE_VAL; // the overflow bucket: clamped to the exact max (or min when negated)
    }
    return (bound_of(index) + bound_of(index + 1)) / 2;
}

double LogLinearHistogram::clamp(double v) const {
    return std::clamp(v, min_, max_);
}

void LogLinearHistogram::add(double value, std::uint64_t n) {
    if (n == 0 || std::isnan(value)) {
        return;
    }
    if (count_ == 0) {
        min_ = max_ = value;
    } else {
        min_ = std::min(min_, value);
        max_ = std::max(max_, value);
    }
    count_ += n;
    double magnitude = std::fabs(value);
    if (magnitude < std::ldexp(1.0, kMinExponent)) {
        zeros_ += n;
    } else if (value > 0) {
        positive_.add(bucket_index(magnitude), n);
    } else {
        negative_.add(bucket_index(magnitude), n);
    }
}

void LogLinearHistogram::merge(const LogLinearHistogram& other) {
    if (other.count_ == 0) {
        return;
    }
    min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
    max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
    count_ += other.count_;
    zeros_ += other.zeros_;
    for (std::size_t i = 0; i < other.positive_.counts.size(); ++i) {
        if (other.positive_.counts[i] != 0) {
            positive_.add(other.positive_.lo + static_cast<std::int32_t>(i),
                          other.positive_.counts[i]);
        }
    }
    for (std::size_t i = 0; i < other.negative_.counts.size(); ++i) {
        if (other.negative_.counts[i] != 0) {
            negative_.add(other.negative_.lo + static_cast<std::int32_t>(i),
                          other.negative_.counts[i]);
        }
    }
}

double LogLinearHistogram::value_at_rank(std::uint64_t rank) const {
    if (rank == 0) {
        return min_;
    }
    if (rank + 1 >= count_) {
        return max_;
    }
    // Ascending order: negatives from the largest magnitude down, zeros, then positives.
    const auto& neg = negative_.counts;
    for (std::size_t i = neg.size(); i-- > 0;) {
        if (rank < neg[i]) {
            return clamp(-bucket_midpoint(negative_.lo + static_cast<std::int32_t>(i)));
        }
        rank -= neg[i];
    }
    if (rank < zeros_) {
        return clamp(0);
    }
    rank -= zeros_;
    const auto& pos = positive_.counts;
    for (std::size_t i = 0; i < pos.size(); ++i) {
        if (rank < pos[i]) {
            return clamp(bucket_midpoint(positive_.lo + static_cast<std::int32_t>(i)));
        }
        rank -= pos[i];
    }
    return max_; // unreachable when rank < count()
}

double LogLinearHistogram::percentile(double pct) const {
    if (count_ == 0) {
        return 0;
    }
    double i = pct * (static_cast<double>(count_) - 1.0);
    double j = value_at_rank(static_cast<std::uint64_t>(std::floor(i)));
    double k = value_at_rank(static_cast<std::uint64_t>(std::ceil(i)));
    double f = i - std::floor(i);
    return j + (k - j) * f;
}

std::size_t LogLinearHistogram::memory_bytes() const {
    return (positive_.counts.capacity() + negative_.counts.capacity()) * sizeof(std::uint64_t);
}

LogLinearHistogram::State LogLinearHistogram::state() const {
    return State{positive_.lo, positive_.counts, negative_.lo, negative_.counts,
                 zeros_,       count_,           min_,         max_};
}

bool LogLinearHistogram::restore(State state, LogLinearHistogram& out) {
    const std::int64_t buckets = kTopIndex - kBaseIndex + 1;
    std::uint64_t total = state.zeros;
    for (const auto* side : {&state.positive, &state.negative}) {
        std::int32_t lo = side == &state.positive ? state.positive_lo : state.negative_lo;
        if (lo < 0 || lo + static_cast<std::int64_t>(side->size()) > buckets) {
            return false;
        }
        for (auto n : *side) {
            if (n > state.count || total > state.count - n) {
                return false; // would not add up (checked before adding: no overflow)
            }
            total += n;
        }
    }
    if (total != state.count || state.min > state.max || std::isnan(state.min) ||
        std::isnan(state.max)) {
        return false;
    }
    LogLinearHistogram h;
    h.positive_ = Side{state.positive_lo, std::move(state.positive)};
    h.negative_ = Side{state.negative_lo, std::move(state.negative)};
    h.zeros_ = state.zeros;
    h.count_ = state.count;
    h.min_ = state.count == 0 ? 0 : state.min;
    h.max_ = state.count == 0 ? 0 : state.max;
    out = std::move(h);
    return true;
}

TrendValues TrendValues::from_exact(std::vector<double> values, std::size_t exact_budget) {
    TrendValues t(exact_budget);
    t.exact_ = std::move(values);
    t.sorted_ = false;
    if (t.exact_.size() > t.budget_) {
        t.fold_into_histogram();
    }
    return t;
}

TrendValues TrendValues::from_histogram(LogLinearHistogram histogram, std::size_t exact_budget) {
    TrendValues t(exact_budget);
    t.histogram_ = std::move(histogram);
    t.approximate_ = true;
    return t;
}

void TrendValues::add(double value) {
    if (approximate_) {
        histogram_.add(value);
        return;
    }
    exact_.push_back(value);
    sorted_ = false;
    if (exact_.size() > budget_) {
        fold_into_histogram();
    }
}

void TrendValues::merge(const TrendValues& other) {
    if (other.approximate_) {
        fold_into_histogram();
        histogram_.merge(other.histogram_);
        return;
    }
    if (approximate_) {
        for (double v : other.exact_) {
            histogram_.add(v);
        }
        return;
    }
    exact_.insert(exact_.end(), other.exact_.begin(), other.exact_.end());
    sorted_ = false;
    if (exact_.size() > budget_) {
        fold_into_histogram();
    }
}

std::uint64_t TrendValues::count() const {
    return approximate_ ? histogram_.count() : exact_.size();
}

double TrendValues::percentile(double pct) const {
    if (approximate_) {
        return histogram_.percentile(pct);
    }
    if (!sorted_) {
        std::sort(exact_.begin(), exact_.end());
        sorted_ = true;
    }
    return exact_percentile(exact_, pct);
}

void TrendValues::fold_into_histogram() {
    if (approximate_) {
        return;
    }
    for (double v : exact_) {
        histogram_.add(v);
    }
    std::vector<double>().swap(exact_); // release the memory, not just the size
    approximate_ = true;
    sorted_ = true;
}

} // namespace volley::metrics
