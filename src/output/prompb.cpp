#include "output/prompb.hpp"

#include <bit>
#include <cstring>

#include <snappy.h>

namespace volley::output {
namespace {

// Wire types.
constexpr unsigned kVarint = 0;
constexpr unsigned kFixed64 = 1;
constexpr unsigned kLengthDelimited = 2;

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

void put_tag(std::string& out, unsigned field, unsigned wire_type) {
    put_varint(out, (std::uint64_t{field} << 3) | wire_type);
}

std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

void put_fixed64(std::string& out, std::uint64_t bits) {
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
    }
}

// proto3 implicit presence: Go writes a double unless its bits are all zero (so -0 is written).
void put_double_field(std::string& out, unsigned field, double v) {
    auto bits = std::bit_cast<std::uint64_t>(v);
    if (bits != 0) {
        put_tag(out, field, kFixed64);
        put_fixed64(out, bits);
    }
}

void put_varint_field(std::string& out, unsigned field, std::uint64_t v) {
    if (v != 0) {
        put_tag(out, field, kVarint);
        put_varint(out, v);
    }
}

// A length-delimited field whose payload is already encoded (a string or a sub-message). Go
// writes strings only when not empty; sub-messages of repeated fields are always written.
void put_bytes_field(std::string& out, unsigned field, std::string_view payload) {
    put_tag(out, field, kLengthDelimited);
    put_varint(out, payload.size());
    out.append(payload);
}

void put_string_field(std::string& out, unsigned field, std::string_view s) {
    if (!s.empty()) {
        put_bytes_field(out, field, s);
    }
}

std::string encode_label(const PromLabel& l) {
    std::string m;
    put_string_field(m, 1, l.name);
    put_string_field(m, 2, l.value);
    return m;
}

std::string encode_sample(const PromSample& s) {
    std::string m;
    put_double_field(m, 1, s.value);
    put_varint_field(m, 2, static_cast<std::uint64_t>(s.timestamp_ms));
    return m;
}

std::string encode_span(const PromBucketSpan& s) {
    std::string m;
    put_varint_field(m, 1, zigzag(s.offset)); // sint32
    put_varint_field(m, 2, s.length);
    return m;
}

void put_spans(std::string& out, unsigned field, const std::vector<PromBucketSpan>& spans) {
    for (const auto& s : spans) {
        put_bytes_field(out, field, encode_span(s));
    }
}

// Packed repeated sint64 (proto3's default for repeated scalars); nothing when empty.
void put_packed_sint64(std::string& out, unsigned field, const std::vector<std::int64_t>& values) {
    if (values.empty()) {
        return;
    }
    std::string packed;
    for (auto v : values) {
        put_varint(packed, zigzag(v));
    }
    put_bytes_field(out, field, packed);
}

std::string encode_histogram(const PromHistogram& h) {
    std::string m;
    put_tag(m, 1, kVarint); // oneof count: count_int, written even when 0
    put_varint(m, h.count);
    put_double_field(m, 3, h.sum);
    put_varint_field(m, 4, zigzag(h.schema)); // sint32
    put_double_field(m, 5, h.zero_threshold);
    put_tag(m, 6, kVarint); // oneof zero_count: zero_count_int
    put_varint(m, h.zero_count);
    put_spans(m, 8, h.negative_spans);
    put_packed_sint64(m, 9, h.negative_deltas);
    put_spans(m, 11, h.positive_spans);
    put_packed_sint64(m, 12, h.positive_deltas);
    put_varint_field(m, 15, static_cast<std::uint64_t>(h.timestamp_ms));
    return m;
}

std::string encode_series(const PromTimeSeries& ts) {
    std::string m;
    for (const auto& l : ts.labels) {
        put_bytes_field(m, 1, encode_label(l));
    }
    for (const auto& s : ts.samples) {
        put_bytes_field(m, 2, encode_sample(s));
    }
    for (const auto& h : ts.histograms) {
        put_bytes_field(m, 4, encode_histogram(h));
    }
    return m;
}

} // namespace

std::string encode_write_request(const std::vector<PromTimeSeries>& series) {
    std::string out;
    for (const auto& ts : series) {
        put_bytes_field(out, 1, encode_series(ts));
    }
    return out;
}

std::string snappy_compress(std::string_view raw) {
    std::string out;
    snappy::Compress(raw.data(), raw.size(), &out);
    return out;
}

std::optional<std::string> snappy_uncompress(std::string_view compressed) {
    std::string out;
    // Validate first: Uncompress() would allocate whatever length the header claims.
    if (!snappy::IsValidCompressedBuffer(compressed.data(), compressed.size()) ||
        !snappy::Uncompress(compressed.data(), compressed.size(), &out)) {
        return std::nullopt;
    }
    return out;
}

} // namespace volley::output
