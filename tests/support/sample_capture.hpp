#pragma once

// A SampleSink that keeps every sample, for assertions in tests. Thread-safe.

#include <mutex>
#include <string>
#include <vector>

#include "metrics/registry.hpp"
#include "metrics/sample.hpp"
#include "metrics/tags.hpp"

namespace volley::test {

class SampleCapture : public metrics::SampleSink {
public:
    void add(const metrics::Sample& s) override {
        std::lock_guard lock(mutex_);
        samples_.push_back(s);
    }
    void flush() override {}
    std::vector<metrics::Sample> samples() const {
        std::lock_guard lock(mutex_);
        return samples_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<metrics::Sample> samples_;
};

// A sample with its names resolved, for readable assertions.
struct NamedSample {
    std::string metric;
    metrics::TagMap tags;
    double value = 0;
};

std::vector<NamedSample> resolve(const std::vector<metrics::Sample>& samples,
                                 const metrics::Registry& registry,
                                 const metrics::TagInterner& interner);

// Samples of `metric` only.
std::vector<NamedSample> only(const std::vector<NamedSample>& samples, const std::string& metric);

} // namespace volley::test
