#pragma once

// Aggregates of one metric (or one metric + tag set, or one submetric), with k6's semantics
// (metrics/sink.go, k6-behaviour.md §5.2). Every sink is mergeable, so per-thread or per-tag-set
// aggregates combine into per-metric ones, and summaries of several processes combine into one.
// Not thread-safe: the metrics engine serialises access.

#include <cstdint>
#include <variant>

#include "metrics/histogram.hpp"
#include "metrics/sample.hpp"

namespace volley::metrics {

struct CounterSink {
    double sum = 0;
    std::uint64_t samples = 0;

    void add(double v) {
        sum += v;
        ++samples;
    }
    void merge(const CounterSink& o);
    // sum / test duration in seconds (k6: value / (duration / time.Second)).
    double rate(double duration_s) const { return sum / duration_s; }
};

// Last value (by sample time; later-added wins ties), min and max. The max starts at
// 0 (k6-behaviour.md Q20), so an all-negative gauge reports max 0; min is the true minimum.
struct GaugeSink {
    double value = 0;
    double min = 0;
    double max = 0;
    std::int64_t last_time_ns = 0;
    std::uint64_t samples = 0;

    void add(double v, std::int64_t time_ns);
    void merge(const GaugeSink& o);
};

struct RateSink {
    std::uint64_t trues = 0; // samples with a non-zero value (k6's "passes")
    std::uint64_t total = 0;

    void add(double v) {
        trues += v != 0 ? 1 : 0;
        ++total;
    }
    void merge(const RateSink& o) {
        trues += o.trues;
        total += o.total;
    }
    std::uint64_t fails() const { return total - trues; }
    // Fraction of non-zero samples; 0 when empty (the summary's convention).
    double value() const;
};

class TrendSink {
public:
    explicit TrendSink(std::size_t exact_budget = TrendValues::kDefaultExactBudget)
        : values_(exact_budget) {}

    void add(double v);
    void merge(const TrendSink& o);

    std::uint64_t count() const { return count_; }
    double min() const { return min_; } // 0 when empty
    double max() const { return max_; } // 0 when empty
    double sum() const { return sum_; }
    double avg() const; // sum / count; 0 when empty
    double med() const { return percentile(50); }
    // p(N) for N in [0, 100] with k6's interpolation (the fraction is computed as N / 100).
    double percentile(double n) const;
    // True when percentiles come from the bounded histogram (see histogram.hpp for the bound).
    bool approximate() const { return values_.approximate(); }
    const TrendValues& values() const { return values_; }

    // A saved trend (output/results_record): count, min, max and sum as they were, and the values.
    // Precondition: values.count() == count.
    static TrendSink restore(std::uint64_t count, double min, double max, double sum,
                             TrendValues values);

private:
    std::uint64_t count_ = 0;
    double min_ = 0;
    double max_ = 0;
    double sum_ = 0;
    TrendValues values_;
};

// One sink of any type; the type is fixed at construction.
class Sink {
public:
    Sink(MetricType type, std::size_t trend_exact_budget = TrendValues::kDefaultExactBudget);
    // A sink holding a saved aggregate (output/results_record).
    explicit Sink(CounterSink s) : sink_(s) {}
    explicit Sink(GaugeSink s) : sink_(s) {}
    explicit Sink(RateSink s) : sink_(s) {}
    explicit Sink(TrendSink s) : sink_(std::move(s)) {}

    MetricType type() const { return static_cast<MetricType>(sink_.index()); }
    void add(double value, std::int64_t time_ns);
    // Precondition (VOLLEY_CHECK): same type.
    void merge(const Sink& other);
    // Number of samples added (directly or through merge).
    std::uint64_t samples() const;

    // Accessors; precondition (VOLLEY_CHECK): the matching type.
    const CounterSink& counter() const;
    const GaugeSink& gauge() const;
    const RateSink& rate() const;
    const TrendSink& trend() const;

private:
    // Alternative order = MetricType order.
    std::variant<CounterSink, GaugeSink, RateSink, TrendSink> sink_;
};

} // namespace volley::metrics
