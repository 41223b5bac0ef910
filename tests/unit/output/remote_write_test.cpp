// The Prometheus remote-write output's pieces: the protobuf encoding and snappy, series names,
// labels and values (k6's remotewrite tests), trend stats, native histograms, the configuration.

#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/registry.hpp"
#include "metrics/tags.hpp"
#include "output/native_histogram.hpp"
#include "output/prompb.hpp"
#include "output/remote_write_config.hpp"
#include "output/remote_write_series.hpp"

namespace volley::output {
namespace {

using metrics::MetricType;
using metrics::Sample;
using metrics::ValueType;

std::string bytes(std::initializer_list<unsigned> list) {
    std::string out;
    for (unsigned b : list) {
        out.push_back(static_cast<char>(b));
    }
    return out;
}

// --- encoding ---

TEST(RemoteWriteEncoding, WriteRequestMatchesProtoc) {
    std::vector<PromTimeSeries> series(3);
    series[0].labels = {{"__name__", "k6_iterations_total"}, {"scenario", "default"}};
    series[0].samples = {{3, 1661990400000}};
    series[1].labels = {{"__name__", "k6_checks_rate"}};
    series[1].samples = {{0, 1661990400001}}; // a zero value is left out (proto3)
    series[2].labels = {{"__name__", "k6_iteration_duration_seconds"}};
    PromHistogram h;
    h.count = 4;
    h.sum = 0.75;
    h.schema = 3;
    h.zero_threshold = NativeHistogram::kZeroThreshold;
    h.zero_count = 0; // a oneof member: written even when 0
    h.negative_spans = {{-3, 1}};
    h.negative_deltas = {1};
    h.positive_spans = {{-24, 2}, {5, 1}};
    h.positive_deltas = {1, 0, -1};
    h.timestamp_ms = 1661990400002;
    series[2].histograms = {h};

    // `protoc --encode=prometheus.WriteRequest` (libprotoc 3.21.12, prompb's field numbers and
    // types) of the same message in text format.
    const std::string expected = bytes({
        0x0a, 0x48, 0x0a, 0x1f, 0x0a, 0x08, 0x5f, 0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x5f, 0x5f, 0x12,
        0x13, 0x6b, 0x36, 0x5f, 0x69, 0x74, 0x65, 0x72, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x73, 0x5f,
        0x74, 0x6f, 0x74, 0x61, 0x6c, 0x0a, 0x13, 0x0a, 0x08, 0x73, 0x63, 0x65, 0x6e, 0x61, 0x72,
        0x69, 0x6f, 0x12, 0x07, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x12, 0x10, 0x09, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x40, 0x10, 0x80, 0xe0, 0xe3, 0xb2, 0xaf, 0x30, 0x0a,
        0x25, 0x0a, 0x1a, 0x0a, 0x08, 0x5f, 0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x5f, 0x5f, 0x12, 0x0e,
        0x6b, 0x36, 0x5f, 0x63, 0x68, 0x65, 0x63, 0x6b, 0x73, 0x5f, 0x72, 0x61, 0x74, 0x65, 0x12,
        0x07, 0x10, 0x81, 0xe0, 0xe3, 0xb2, 0xaf, 0x30, 0x0a, 0x66, 0x0a, 0x29, 0x0a, 0x08, 0x5f,
        0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x5f, 0x5f, 0x12, 0x1d, 0x6b, 0x36, 0x5f, 0x69, 0x74, 0x65,
        0x72, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x5f, 0x64, 0x75, 0x72, 0x61, 0x74, 0x69, 0x6f, 0x6e,
        0x5f, 0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64, 0x73, 0x22, 0x39, 0x08, 0x04, 0x19, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xe8, 0x3f, 0x20, 0x06, 0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xf0, 0x37, 0x30, 0x00, 0x42, 0x04, 0x08, 0x05, 0x10, 0x01, 0x4a, 0x01, 0x02, 0x5a, 0x04,
        0x08, 0x2f, 0x10, 0x02, 0x5a, 0x04, 0x08, 0x0a, 0x10, 0x01, 0x62, 0x03, 0x02, 0x00, 0x01,
        0x78, 0x82, 0xe0, 0xe3, 0xb2, 0xaf, 0x30,
    });
    EXPECT_EQ(encode_write_request(series), expected);
    EXPECT_EQ(encode_write_request({}), "");
}

TEST(RemoteWriteEncoding, StaleMarkerAndNegativeZeroAreWritten) {
    PromTimeSeries s;
    s.samples = {{std::bit_cast<double>(std::uint64_t{0x7ff0000000000002}), 0}, {-0.0, 0}};
    // Two Sample messages with only the value (field 1, fixed64); timestamp 0 is left out.
    EXPECT_EQ(encode_write_request({s}),
              bytes({0x0a, 0x16, 0x12, 0x09, 0x09, 0x02, 0, 0, 0, 0, 0, 0xf0,
                     0x7f, 0x12, 0x09, 0x09, 0,    0,    0, 0, 0, 0, 0, 0x80}));
}

TEST(RemoteWriteEncoding, SnappyRoundTripAndGoCompatibleBlocks) {
    // Go's snappy.Encode("hello"): the length, then one literal.
    const std::string go_block = bytes({0x05, 0x10, 'h', 'e', 'l', 'l', 'o'});
    EXPECT_EQ(snappy_uncompress(go_block), "hello");
    EXPECT_EQ(snappy_compress("hello"), go_block);

    std::string big;
    for (int i = 0; i < 5000; ++i) {
        big += "k6_ws_msgs_sent_total{scenario=\"default\"} " + std::to_string(i) + "\n";
    }
    std::string packed = snappy_compress(big);
    EXPECT_LT(packed.size(), big.size() / 3);
    EXPECT_EQ(snappy_uncompress(packed), big);
    EXPECT_EQ(snappy_uncompress("\xff\xff\xff\xff\x0f garbage"), std::nullopt);
}

// --- series ---

class RemoteWriteSeriesTest : public ::testing::Test {
protected:
    metrics::MetricId define(const std::string& name, MetricType type,
                             ValueType contains = ValueType::kDefault) {
        return *registry.define(name, type, contains, nullptr);
    }
    Sample sample(metrics::MetricId m, const metrics::TagMap& t, std::int64_t ms, double v,
                  std::int64_t extra_ns = 0) {
        return Sample{m, tags.intern(t), ms * 1'000'000 + extra_ns, v};
    }
    static std::string name_of(const PromTimeSeries& s) {
        for (const auto& l : s.labels) {
            if (l.name == "__name__") {
                return l.value;
            }
        }
        return "";
    }
    static const PromTimeSeries* find(const std::vector<PromTimeSeries>& all,
                                      const std::string& name) {
        for (const auto& s : all) {
            if (name_of(s) == name) {
                return &s;
            }
        }
        return nullptr;
    }

    metrics::Registry registry;
    metrics::TagInterner tags;
};

TEST(RemoteWriteNames, MapSeriesSortsLabelsAndDropsEmptyTags) {
    auto labels = map_series(
        "metric4", {{"tagk1", "tagv1"}, {"We_need", "value"}, {"a_long", "value"}, {"group", ""}},
        "max");
    std::vector<PromLabel> expected = {{"We_need", "value"},
                                       {"__name__", "k6_metric4_max"},
                                       {"a_long", "value"},
                                       {"tagk1", "tagv1"}};
    EXPECT_EQ(labels, expected);
    EXPECT_EQ(map_series("vus", {}, ""), (std::vector<PromLabel>{{"__name__", "k6_vus"}}));
}

TEST(RemoteWriteNames, TrendStatKeysAndErrors) {
    auto stats = parse_trend_stats({"p(90)", "p(99.9)", "p(0.5)", "avg", "sum", "count", "med"});
    ASSERT_TRUE(stats);
    std::vector<std::string> keys;
    for (const auto& s : *stats) {
        keys.push_back(s.key);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"p90", "p999", "p05", "avg", "sum", "count", "med"}));
    EXPECT_EQ((*stats)[1].percentile, 99.9);
    EXPECT_EQ(parse_trend_stats({"p99"}).error(), "invalid trend stat 'p99', unknown format");
    EXPECT_EQ(parse_trend_stats({"p(101)"}).error(),
              "invalid percentile trend stat value 'p(101)', provide a number between 0 and 100");
    EXPECT_EQ(parse_trend_stats({"p(x)"}).error(),
              "invalid percentile trend stat value 'p(x)', provide a number between 0 and 100");
}

// k6's TestOutputConvertToPbSeries.
TEST_F(RemoteWriteSeriesTest, ConvertLikeK6) {
    auto m1 = define("metric1", MetricType::kCounter);
    auto m2 = define("metric2", MetricType::kCounter);
    auto m3 = define("metric3", MetricType::kRate);
    auto m4 = define("metric4", MetricType::kTrend);
    const std::int64_t sept1 = 1661990400000;
    const std::int64_t aug31 = sept1 - 86'400'000;
    metrics::TagMap t{{"tagk1", "tagv1"}};
    metrics::TagMap t4{{"tagk1", "tagv1"},   {"We_need", "value"}, {"a_long", "value"},
                       {"list_of", "value"}, {"tags_to", "value"}, {"reproduce_5175", "value"}};
    std::vector<Sample> samples = {sample(m1, t, sept1, 3), sample(m1, t, aug31, 4),
                                   sample(m2, t, sept1, 2), sample(m3, t, sept1, 7),
                                   sample(m4, t4, sept1, 55)};
    RemoteWriteSeries store(registry, tags, *parse_trend_stats({"p(90)", "p(95)", "max"}), false);
    auto out = store.convert(samples);
    ASSERT_EQ(out.size(), 6u);
    EXPECT_EQ(store.size(), 4u);

    const auto* c1 = find(out, "k6_metric1_total");
    ASSERT_NE(c1, nullptr);
    EXPECT_EQ(c1->labels,
              (std::vector<PromLabel>{{"__name__", "k6_metric1_total"}, {"tagk1", "tagv1"}}));
    ASSERT_EQ(c1->samples.size(), 1u);
    EXPECT_EQ(c1->samples[0].value, 7); // the older sample is aggregated too
    EXPECT_EQ(c1->samples[0].timestamp_ms, sept1);
    EXPECT_EQ(find(out, "k6_metric2_total")->samples[0].value, 2);
    EXPECT_EQ(find(out, "k6_metric3_rate")->samples[0].value, 1);
    for (const char* n : {"k6_metric4_max", "k6_metric4_p90", "k6_metric4_p95"}) {
        const auto* s = find(out, n);
        ASSERT_NE(s, nullptr) << n;
        EXPECT_EQ(s->samples[0].value, 55);
        EXPECT_EQ(s->labels[0], (PromLabel{"We_need", "value"}));
        EXPECT_EQ(s->labels[1], (PromLabel{"__name__", n}));
        EXPECT_EQ(s->labels.size(), 7u);
    }
}

TEST_F(RemoteWriteSeriesTest, ValuesAreCumulativeAndATimestampIsNeverRepeated) {
    auto c = define("cc", MetricType::kCounter);
    auto g = define("gg", MetricType::kGauge);
    auto r = define("rr", MetricType::kRate);
    RemoteWriteSeries store(registry, tags, *parse_trend_stats({"p(99)"}), false);
    auto first = store.convert(std::vector<Sample>{sample(c, {}, 1000, 2), sample(g, {}, 1000, 5),
                                                   sample(g, {}, 1000, 3), sample(r, {}, 1000, 1),
                                                   sample(r, {}, 1000, 0)});
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(find(first, "k6_cc_total")->samples[0].value, 2);
    EXPECT_EQ(find(first, "k6_gg")->samples[0].value, 3); // the last value added
    EXPECT_EQ(find(first, "k6_rr_rate")->samples[0].value, 0.5);

    // Same millisecond (a later nanosecond): aggregated, but not sent again.
    auto second = store.convert(std::vector<Sample>{sample(c, {}, 1000, 1, 500)});
    EXPECT_TRUE(second.empty());
    // A newer millisecond: the series is sent with everything so far.
    auto third = store.convert(std::vector<Sample>{sample(c, {}, 1001, 4)});
    ASSERT_EQ(third.size(), 1u);
    EXPECT_EQ(third[0].samples[0].value, 7);
    EXPECT_EQ(third[0].samples[0].timestamp_ms, 1001);
    EXPECT_TRUE(store.convert({}).empty());
}

TEST_F(RemoteWriteSeriesTest, TimeTrendsInSecondsDataInBytes) {
    auto t = define("tt", MetricType::kTrend, ValueType::kTime);
    auto d = define("dd", MetricType::kTrend, ValueType::kData);
    RemoteWriteSeries store(
        registry, tags, *parse_trend_stats({"min", "max", "avg", "med", "sum", "count", "p(50)"}),
        false);
    auto out = store.convert(
        std::vector<Sample>{sample(t, {}, 5, 100), sample(t, {}, 6, 300), sample(d, {}, 5, 2048)});
    EXPECT_EQ(out.size(), 14u);
    EXPECT_DOUBLE_EQ(find(out, "k6_tt_min")->samples[0].value, 0.1);
    EXPECT_DOUBLE_EQ(find(out, "k6_tt_max")->samples[0].value, 0.3);
    EXPECT_DOUBLE_EQ(find(out, "k6_tt_avg")->samples[0].value, 0.2);
    EXPECT_DOUBLE_EQ(find(out, "k6_tt_med")->samples[0].value, 0.2);
    EXPECT_DOUBLE_EQ(find(out, "k6_tt_p50")->samples[0].value, 0.2);
    EXPECT_DOUBLE_EQ(find(out, "k6_tt_sum")->samples[0].value, 0.4);
    // As k6: `count` goes through the unit conversion too.
    EXPECT_DOUBLE_EQ(find(out, "k6_tt_count")->samples[0].value, 0.002);
    EXPECT_EQ(find(out, "k6_tt_max")->samples[0].timestamp_ms, 6);
    EXPECT_EQ(find(out, "k6_dd_max")->samples[0].value, 2048);
    EXPECT_EQ(find(out, "k6_dd_count")->samples[0].value, 1);
}

TEST_F(RemoteWriteSeriesTest, NativeHistogramSeries) {
    auto t = define("tt", MetricType::kTrend, ValueType::kTime);
    auto d = define("dd", MetricType::kTrend, ValueType::kData);
    auto n = define("nn", MetricType::kTrend);
    RemoteWriteSeries store(registry, tags, {}, true);
    auto out = store.convert(std::vector<Sample>{sample(t, {{"a", "b"}}, 5, 1000),
                                                 sample(t, {{"a", "b"}}, 5, 2000),
                                                 sample(d, {}, 5, 10), sample(n, {}, 5, 1)});
    ASSERT_EQ(out.size(), 3u);
    const auto* ts = find(out, "k6_tt_seconds");
    ASSERT_NE(ts, nullptr);
    EXPECT_EQ(ts->labels, (std::vector<PromLabel>{{"__name__", "k6_tt_seconds"}, {"a", "b"}}));
    EXPECT_TRUE(ts->samples.empty());
    ASSERT_EQ(ts->histograms.size(), 1u);
    EXPECT_EQ(ts->histograms[0].count, 2u);
    EXPECT_EQ(ts->histograms[0].sum, 3); // seconds
    // 1 s is bucket 0 (upper bound 1, inclusive), 2 s bucket 8: one span with the gap.
    EXPECT_EQ(ts->histograms[0].positive_spans, (std::vector<PromBucketSpan>{{0, 1}, {7, 1}}));
    EXPECT_EQ(ts->histograms[0].positive_deltas, (std::vector<std::int64_t>{1, 0}));
    EXPECT_EQ(ts->histograms[0].timestamp_ms, 5);
    EXPECT_NE(find(out, "k6_dd_bytes"), nullptr);
    EXPECT_NE(find(out, "k6_nn"), nullptr);
}

TEST_F(RemoteWriteSeriesTest, StaleMarkersForEverySeries) {
    auto c = define("cc", MetricType::kCounter);
    auto t = define("tt", MetricType::kTrend, ValueType::kTime);
    RemoteWriteSeries store(registry, tags, *parse_trend_stats({"p(99)", "max"}), false);
    EXPECT_TRUE(store.stale_markers(9).empty());
    store.convert(std::vector<Sample>{sample(c, {}, 1, 1), sample(t, {}, 1, 1)});
    auto markers = store.stale_markers(42);
    ASSERT_EQ(markers.size(), 3u);
    for (const auto& m : markers) {
        ASSERT_EQ(m.samples.size(), 1u);
        EXPECT_EQ(std::bit_cast<std::uint64_t>(m.samples[0].value), 0x7ff0000000000002u);
        EXPECT_EQ(m.samples[0].timestamp_ms, 42);
    }
}

// --- native histogram ---

TEST(RemoteWriteNativeHistogram, BucketsLikeClientGolang) {
    EXPECT_EQ(NativeHistogram::bucket_key(1), 0);
    EXPECT_EQ(NativeHistogram::bucket_key(2), 8);
    EXPECT_EQ(NativeHistogram::bucket_key(0.75), -3);
    EXPECT_EQ(NativeHistogram::bucket_key(1.09), 1);
    EXPECT_EQ(NativeHistogram::bucket_key(100), 54);
    EXPECT_EQ(NativeHistogram::bucket_key(-100), 54);

    NativeHistogram h;
    for (double v : {0.75, 1.0, 1.09, 100.0, 0.0, -100.0}) {
        h.observe(v);
    }
    auto p = h.to_proto(7);
    EXPECT_EQ(p.count, 6u);
    EXPECT_NEAR(p.sum, 2.84, 1e-9);
    EXPECT_EQ(p.schema, 3);
    EXPECT_EQ(p.zero_threshold, 2.938735877055719e-39);
    EXPECT_EQ(p.zero_count, 1u);
    // Buckets -3, 0, 1 and 54: a gap of two empty buckets stays in the span, a larger one
    // starts a new span.
    EXPECT_EQ(p.positive_spans, (std::vector<PromBucketSpan>{{-3, 5}, {52, 1}}));
    EXPECT_EQ(p.positive_deltas, (std::vector<std::int64_t>{1, -1, 0, 1, 0, 0}));
    EXPECT_EQ(p.negative_spans, (std::vector<PromBucketSpan>{{54, 1}}));
    EXPECT_EQ(p.negative_deltas, (std::vector<std::int64_t>{1}));
    EXPECT_EQ(p.timestamp_ms, 7);
}

// --- configuration ---

TEST(RemoteWriteConfigTest, DefaultsLikeK6) {
    auto c = consolidate_remote_write_config(nullptr, {});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->server_url, "http://localhost:9090/api/v1/write");
    EXPECT_EQ(c->push_interval, std::chrono::seconds(5));
    EXPECT_EQ(c->trend_stats, std::vector<std::string>{"p(99)"});
    EXPECT_FALSE(c->trend_as_native_histogram);
    EXPECT_FALSE(c->stale_markers);
    EXPECT_FALSE(c->insecure_skip_tls_verify);
    EXPECT_FALSE(c->username);
}

TEST(RemoteWriteConfigTest, EnvironmentOverridesJson) {
    const std::string json = R"({"url": "http://json/", "pushInterval": "1m", "TRENDSTATS": ["max"],
        "headers": {"X-A": "json", "X-B": "json"}, "staleMarkers": true, "unknown": 1})";
    Environment env = {
        {"K6_PROMETHEUS_RW_SERVER_URL", "http://127.0.0.1:1/api/v1/write"},
        {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "250ms"},
        {"K6_PROMETHEUS_RW_TREND_STATS", "p(95),min"},
        {"K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM", "true"},
        {"K6_PROMETHEUS_RW_STALE_MARKERS", ""}, // empty: not set
        {"K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY", "true"},
        {"K6_PROMETHEUS_RW_USERNAME", "u"},
        {"K6_PROMETHEUS_RW_HEADERS_X-A", "env"},
        {"K6_PROMETHEUS_RW_HTTP_HEADERS", "X-C:1,X-D:2"},
        {"HOME", "/root"},
    };
    auto c = consolidate_remote_write_config(&json, env);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->server_url, "http://127.0.0.1:1/api/v1/write");
    EXPECT_EQ(c->push_interval, std::chrono::milliseconds(250));
    EXPECT_EQ(c->trend_stats, (std::vector<std::string>{"p(95)", "min"}));
    EXPECT_TRUE(c->trend_as_native_histogram);
    EXPECT_TRUE(c->stale_markers); // from the JSON
    EXPECT_TRUE(c->insecure_skip_tls_verify);
    EXPECT_EQ(c->username, "u");
    EXPECT_EQ(c->headers, (std::map<std::string, std::string>{
                              {"X-A", "env"}, {"X-B", "json"}, {"X-C", "1"}, {"X-D", "2"}}));
    // A number is milliseconds.
    const std::string ms = R"({"pushInterval": 1500})";
    EXPECT_EQ(consolidate_remote_write_config(&ms, {})->push_interval,
              std::chrono::milliseconds(1500));
}

TEST(RemoteWriteConfigTest, ErrorsInK6Words) {
    EXPECT_EQ(
        consolidate_remote_write_config(nullptr, {{"K6_PROMETHEUS_RW_HTTP_HEADERS", "a:b,c=d"}})
            .error(),
        "parse environment variables options failed: the provided header (c=d) does not "
        "respect the expected format <header key>:<value>");
    EXPECT_EQ(consolidate_remote_write_config(nullptr, {{"K6_PROMETHEUS_RW_STALE_MARKERS", "yes"}})
                  .error(),
              "parse environment variables options failed: envconfig.Process: assigning "
              "K6_PROMETHEUS_RW_STALE_MARKERS to StaleMarkers: converting 'yes' to type "
              "null.Bool. details: invalid input:yes");
    EXPECT_EQ(consolidate_remote_write_config(nullptr, {{"K6_PROMETHEUS_RW_PUSH_INTERVAL", "5x"}})
                  .error(),
              "parse environment variables options failed: envconfig.Process: assigning "
              "K6_PROMETHEUS_RW_PUSH_INTERVAL to PushInterval: converting '5x' to type "
              "types.NullDuration. details: time: invalid duration \"5x\"");
    const std::string bad = R"({"url": 1})";
    EXPECT_EQ(consolidate_remote_write_config(&bad, {}).error(),
              "parse JSON options failed: json: cannot unmarshal number into Go struct field "
              "Config.url of type string");
}

TEST(RemoteWriteConfigTest, SigV4AllOrNothing) {
    RemoteWriteConfig c;
    EXPECT_FALSE(sigv4_partially_configured(c));
    c.sigv4_region = "eu-west-1";
    EXPECT_TRUE(sigv4_partially_configured(c));
    c.sigv4_access_key = "a";
    c.sigv4_secret_key = " ";
    EXPECT_TRUE(sigv4_partially_configured(c));
    c.sigv4_secret_key = "s";
    EXPECT_FALSE(sigv4_partially_configured(c));
}

} // namespace
} // namespace volley::output
