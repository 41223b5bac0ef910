#include "metrics/sink.hpp"

#include <algorithm>

#include "util/error.hpp"

namespace volley::metrics {

void CounterSink::merge(const CounterSink& o) {
    sum += o.sum;
    samples += o.samples;
}

void GaugeSink::add(double v, std::int64_t time_ns) {
    if (samples == 0 || time_ns >= last_time_ns) {
        value = v;
        last_time_ns = time_ns;
    }
    max = std::max(max, v); // starts at 0: k6's quirk
    min = samples == 0 ? v : std::min(min, v);
    ++samples;
}

void GaugeSink::merge(const GaugeSink& o) {
    if (o.samples == 0) {
        return;
    }
    if (samples == 0 || o.last_time_ns >= last_time_ns) {
        value = o.value;
        last_time_ns = o.last_time_ns;
    }
    max = std::max(max, o.max);
    min = samples == 0 ? o.min : std::min(min, o.min);
    samples += o.samples;
}

double RateSink::value() const {
    return total == 0 ? 0 : static_cast<double>(trues) / static_cast<double>(total);
}

void TrendSink::add(double v) {
    if (count_ == 0) {
        min_ = max_ = v;
    } else {
        min_ = std::min(min_, v);
        max_ = std::max(max_, v);
    }
    ++count_;
    sum_ += v;
    values_.add(v);
}

void TrendSink::merge(const TrendSink& o) {
    if (o.count_ == 0) {
        return;
    }
    min_ = count_ == 0 ? o.min_ : std::min(min_, o.min_);
    max_ = count_ == 0 ? o.max_ : std::max(max_, o.max_);
    count_ += o.count_;
    sum_ += o.sum_;
    values_.merge(o.values_);
}

TrendSink TrendSink::restore(std::uint64_t count, double min, double max, double sum,
                             TrendValues values) {
    VOLLEY_CHECK(values.count() == count);
    TrendSink t(values.exact_budget());
    t.count_ = count;
    t.min_ = min;
    t.max_ = max;
    t.sum_ = sum;
    t.values_ = std::move(values);
    return t;
}

double TrendSink::avg() const {
    return count_ == 0 ? 0 : sum_ / static_cast<double>(count_);
}

double TrendSink::percentile(double n) const {
    return values_.percentile(n / 100);
}

Sink::Sink(MetricType type, std::size_t trend_exact_budget) {
    switch (type) {
    case MetricType::kCounter:
        sink_.emplace<CounterSink>();
        break;
    case MetricType::kGauge:
        sink_.emplace<GaugeSink>();
        break;
    case MetricType::kRate:
        sink_.emplace<RateSink>();
        break;
    case MetricType::kTrend:
        sink_.emplace<TrendSink>(trend_exact_budget);
        break;
    }
}

void Sink::add(double value, std::int64_t time_ns) {
    switch (sink_.index()) {
    case 0:
        std::get<0>(sink_).add(value);
        break;
    case 1:
        std::get<1>(sink_).add(value, time_ns);
        break;
    case 2:
        std::get<2>(sink_).add(value);
        break;
    default:
        std::get<3>(sink_).add(value);
        break;
    }
}

void Sink::merge(const Sink& other) {
    VOLLEY_CHECK(other.sink_.index() == sink_.index());
    std::visit(
        [&other](auto& mine) {
            using T = std::decay_t<decltype(mine)>;
            mine.merge(std::get<T>(other.sink_));
        },
        sink_);
}

std::uint64_t Sink::samples() const {
    switch (sink_.index()) {
    case 0:
        return std::get<0>(sink_).samples;
    case 1:
        return std::get<1>(sink_).samples;
    case 2:
        return std::get<2>(sink_).total;
    default:
        return std::get<3>(sink_).count();
    }
}

const CounterSink& Sink::counter() const {
    VOLLEY_CHECK(type() == MetricType::kCounter);
    return std::get<CounterSink>(sink_);
}

const GaugeSink& Sink::gauge() const {
    VOLLEY_CHECK(type() == MetricType::kGauge);
    return std::get<GaugeSink>(sink_);
}

const RateSink& Sink::rate() const {
    VOLLEY_CHECK(type() == MetricType::kRate);
    return std::get<RateSink>(sink_);
}

const TrendSink& Sink::trend() const {
    VOLLEY_CHECK(type() == MetricType::kTrend);
    return std::get<TrendSink>(sink_);
}

} // namespace volley::metrics
