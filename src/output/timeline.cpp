#include "output/timeline.hpp"

#include <algorithm>

namespace volley::output {

Timeline::Timeline(const metrics::Registry& registry, const metrics::TagInterner& tags)
    : tags_(tags), ids_(registry.builtins()), ws_errors_(registry.find("ws_errors")),
      generator_cpu_(registry.find("generator_cpu")),
      generator_lag_(registry.find("generator_lag")) {}

Timeline::Bucket& Timeline::bucket_at(std::int64_t time_ns) {
    if (buckets_.empty()) {
        origin_ns_ = time_ns - time_ns % 1'000'000'000;
    }
    std::int64_t offset = std::max<std::int64_t>(time_ns - origin_ns_, 0);
    auto index = static_cast<std::size_t>(offset / width_ns_);
    while (index >= kMaxBuckets) {
        widen();
        index = static_cast<std::size_t>(offset / width_ns_);
    }
    if (index >= buckets_.size()) {
        buckets_.resize(index + 1);
    }
    return buckets_[index];
}

void Timeline::widen() {
    std::vector<Bucket> merged((buckets_.size() + 1) / 2);
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        Bucket& to = merged[i / 2];
        Bucket& from = buckets_[i];
        to.vus = std::max(to.vus, from.vus);
        for (std::size_t k = 0; k < kCountKinds; ++k) {
            to.counts[k] += from.counts[k];
        }
        for (std::size_t k = 0; k < kTrendKinds; ++k) {
            to.trends[k].merge(from.trends[k]);
        }
        to.errors.resize(std::max(to.errors.size(), from.errors.size()));
        for (std::size_t k = 0; k < from.errors.size(); ++k) {
            to.errors[k] += from.errors[k];
        }
        if (from.cpu) {
            to.cpu = std::max(to.cpu.value_or(0), *from.cpu);
        }
        if (from.lag_ms) {
            to.lag_ms = std::max(to.lag_ms.value_or(0), *from.lag_ms);
        }
    }
    buckets_ = std::move(merged);
    width_ns_ *= 2;
}

std::size_t Timeline::error_index(metrics::TagSetId tags) {
    const metrics::TagMap& map = tags_.get(tags);
    auto it = map.find("error_code");
    std::string code = it != map.end() ? it->second : "?";
    auto found = std::find(error_codes_.begin(), error_codes_.end(), code);
    if (found != error_codes_.end()) {
        return static_cast<std::size_t>(found - error_codes_.begin());
    }
    error_codes_.push_back(code);
    return error_codes_.size() - 1;
}

void Timeline::add(const metrics::Sample& s) {
    const metrics::MetricId m = s.metric;
    auto count = [&](Count kind) { bucket_at(s.time_ns).counts[kind] += s.value; };
    if (m == ids_.vus) {
        Bucket& b = bucket_at(s.time_ns);
        b.vus = std::max(b.vus, s.value);
    } else if (m == ids_.ws_sessions) {
        count(kSessions);
    } else if (m == ids_.ws_msgs_sent) {
        count(kMsgsSent);
    } else if (m == ids_.ws_msgs_received) {
        count(kMsgsReceived);
    } else if (m == ids_.iterations) {
        count(kIterations);
    } else if (m == ids_.ws_connecting) {
        bucket_at(s.time_ns).trends[kConnecting].add(s.value);
    } else if (m == ids_.ws_session_duration) {
        bucket_at(s.time_ns).trends[kSessionDuration].add(s.value);
    } else if (ws_errors_ && m == *ws_errors_) {
        std::size_t i = error_index(s.tags);
        Bucket& b = bucket_at(s.time_ns);
        b.errors.resize(std::max(b.errors.size(), i + 1));
        b.errors[i] += s.value;
    } else if (generator_cpu_ && m == *generator_cpu_) {
        Bucket& b = bucket_at(s.time_ns);
        b.cpu = std::max(b.cpu.value_or(0), s.value);
        has_generator_ = true;
    } else if (generator_lag_ && m == *generator_lag_) {
        Bucket& b = bucket_at(s.time_ns);
        b.lag_ms = std::max(b.lag_ms.value_or(0), s.value);
    }
}

} // namespace volley::output
