#pragma once

// The unit of measurement that flows from the VUs to the metrics engine (docs/architecture.md,
// "Data flow").
// Plain data, 24 bytes, no heap: tags are an interned TagSetId (metrics/tags.hpp).

#include <cstdint>

namespace volley::metrics {

using MetricId = std::uint32_t;
using TagSetId = std::uint32_t;

enum class MetricType : std::uint8_t { kCounter, kGauge, kRate, kTrend };

// What a metric's values mean (k6's "contains"): plain numbers, milliseconds, or bytes.
enum class ValueType : std::uint8_t { kDefault, kTime, kData };

struct Sample {
    MetricId metric = 0;
    TagSetId tags = 0;
    std::int64_t time_ns = 0; // wall-clock time, nanoseconds since the Unix epoch
    double value = 0;         // ms for kTime metrics, bytes for kData, else the number
};

// Where samples go. One SampleSink per worker thread (not thread-safe: only that thread adds);
// add() must not allocate on the hot path and costs a few nanoseconds.
class SampleSink {
public:
    virtual ~SampleSink() = default;
    virtual void add(const Sample& sample) = 0;
    // Hands buffered samples to the engine now (called periodically and at the end).
    virtual void flush() = 0;
};

} // namespace volley::metrics
