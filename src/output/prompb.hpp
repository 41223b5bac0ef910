#pragma once

// The Prometheus remote-write 1.0 message (prometheus/prompb, types.proto and remote.proto) as
// plain structs, its protobuf encoding, and the snappy block compression the protocol requires.
// Only the fields k6's experimental-prometheus-rw output fills are modelled: a WriteRequest is a
// list of TimeSeries (field 1); a TimeSeries has labels (1), float samples (2) and native
// histograms (4). The encoding is hand-written (the schema is small and stable) and byte-for-byte
// what Go's proto.Marshal produces for the same message: fields in number order, proto3 scalars
// equal to zero left out, oneof members always written, repeated sint64 packed.
// Pure functions, any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace volley::output {

struct PromLabel {
    std::string name;
    std::string value;
    bool operator==(const PromLabel&) const = default;
};

struct PromSample {
    double value = 0;
    std::int64_t timestamp_ms = 0; // ms since the Unix epoch
};

struct PromBucketSpan {
    std::int32_t offset = 0; // gap to the previous span, or the first bucket's index
    std::uint32_t length = 0;
    bool operator==(const PromBucketSpan&) const = default;
};

// An integer native histogram (count_int and zero_count_int of the oneofs).
struct PromHistogram {
    std::uint64_t count = 0;
    double sum = 0;
    std::int32_t schema = 0;
    double zero_threshold = 0;
    std::uint64_t zero_count = 0;
    std::vector<PromBucketSpan> negative_spans;
    std::vector<std::int64_t> negative_deltas; // first bucket's count, then differences
    std::vector<PromBucketSpan> positive_spans;
    std::vector<std::int64_t> positive_deltas;
    std::int64_t timestamp_ms = 0;
};

struct PromTimeSeries {
    std::vector<PromLabel> labels; // sorted by name, `__name__` among them
    std::vector<PromSample> samples;
    std::vector<PromHistogram> histograms;
};

// The protobuf encoding of prometheus.WriteRequest{timeseries: series}.
std::string encode_write_request(const std::vector<PromTimeSeries>& series);

// Snappy's block format (not the framing format), as the remote-write protocol sends it.
std::string snappy_compress(std::string_view raw);
// nullopt when `compressed` is not a valid snappy block.
std::optional<std::string> snappy_uncompress(std::string_view compressed);

} // namespace volley::output
