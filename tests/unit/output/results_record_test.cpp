// The results record (`--out results=FILE`): every aggregate survives the file exactly, the
// output aggregates by (metric, tag set), and what is not a record is refused.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "output/results_output.hpp"
#include "output/results_record.hpp"

namespace volley::output {
namespace {

using metrics::MetricType;
using metrics::Sink;

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

ResultsRecord sample_record() {
    ResultsRecord r;
    r.script_sha256 = sha256_hex("script");
    r.options_sha256 = sha256_hex("options");
    r.options = boost::json::parse(R"j({"vus":2,"summaryTrendStats":["avg","p(99)"]})j");
    r.thresholds = boost::json::parse(R"({"units":["count<50"]})");
    r.execution_segment = "1/3:2/3";
    r.execution_segment_sequence = "0,1/3,2/3,1";
    r.start_ns = 1735812000123456789;
    r.end_ns = 1735812003123456789;
    r.setup_data = boost::json::parse(R"({"token":"abc"})");
    r.metrics = {{"units", MetricType::kCounter, metrics::ValueType::kDefault},
                 {"level", MetricType::kGauge, metrics::ValueType::kDefault},
                 {"ok", MetricType::kRate, metrics::ValueType::kDefault},
                 {"lat", MetricType::kTrend, metrics::ValueType::kTime},
                 {"big", MetricType::kTrend, metrics::ValueType::kDefault}};
    Sink counter(MetricType::kCounter), gauge(MetricType::kGauge), rate(MetricType::kRate);
    counter.add(0.1, 1), counter.add(0.2, 2);
    gauge.add(1.0 / 3, 20), gauge.add(-2.5, 10);
    rate.add(1, 1), rate.add(0, 2), rate.add(1, 3);
    Sink exact(MetricType::kTrend), big(MetricType::kTrend, 100);
    for (int i = 0; i < 250; ++i) {
        exact.add(i / 7.0 + 1e-9, i);
        big.add(i % 2 == 0 ? i * 1.37 : -i / 9.0, i); // past its budget of 100: a histogram
    }
    r.series = {{"units", {{"scenario", "a"}}, 1, counter},
                {"level", {}, 10, gauge},
                {"ok", {{"check", "c"}, {"group", "::g"}}, 1, rate},
                {"lat", {{"scenario", "a"}, {"url", "ws://x"}}, 0, exact},
                {"big", {}, 0, big}};
    return r;
}

// `same_order`: the sums were added in the same order (else equal to rounding only).
void expect_same_trend(const metrics::TrendSink& a, const metrics::TrendSink& b,
                       bool same_order = true) {
    EXPECT_EQ(a.count(), b.count());
    EXPECT_EQ(a.min(), b.min());
    EXPECT_EQ(a.max(), b.max());
    if (same_order) {
        EXPECT_EQ(a.sum(), b.sum());
    } else {
        EXPECT_NEAR(a.sum(), b.sum(), 1e-12 * std::abs(b.sum()));
    }
    EXPECT_EQ(a.approximate(), b.approximate());
    for (double p : {0.0, 10.0, 50.0, 90.0, 95.0, 99.0, 100.0}) {
        EXPECT_EQ(a.percentile(p), b.percentile(p)) << "p(" << p << ")";
    }
}

TEST(ResultsRecord, RoundTripIsExact) {
    ResultsRecord r = sample_record();
    ASSERT_TRUE(r.series[4].sink.trend().approximate());
    ResultsRecord back = parse_record(record_to_json(r));
    EXPECT_EQ(back.script_sha256, r.script_sha256);
    EXPECT_EQ(back.options_sha256, r.options_sha256);
    EXPECT_EQ(back.options, r.options);
    EXPECT_EQ(back.thresholds, r.thresholds);
    EXPECT_EQ(back.setup_data, r.setup_data);
    EXPECT_EQ(back.execution_segment, "1/3:2/3");
    EXPECT_EQ(back.execution_segment_sequence, "0,1/3,2/3,1");
    EXPECT_EQ(back.start_ns, r.start_ns);
    EXPECT_EQ(back.end_ns, r.end_ns);
    EXPECT_DOUBLE_EQ(back.duration_s(), 3.0);
    ASSERT_EQ(back.metrics.size(), 5u);
    EXPECT_EQ(back.metrics[3].name, "lat");
    EXPECT_EQ(back.metrics[3].type, MetricType::kTrend);
    EXPECT_EQ(back.metrics[3].contains, metrics::ValueType::kTime);
    ASSERT_EQ(back.series.size(), 5u);
    EXPECT_EQ(back.series[0].sink.counter().sum, 0.1 + 0.2);
    EXPECT_EQ(back.series[0].sink.counter().samples, 2u);
    EXPECT_EQ(back.series[0].tags, (metrics::TagMap{{"scenario", "a"}}));
    const auto& g = back.series[1].sink.gauge();
    EXPECT_EQ(g.value, 1.0 / 3);
    EXPECT_EQ(g.last_time_ns, 20);
    EXPECT_EQ(g.min, -2.5);
    EXPECT_EQ(g.max, 1.0 / 3);
    EXPECT_EQ(back.series[2].sink.rate().trues, 2u);
    EXPECT_EQ(back.series[2].sink.rate().total, 3u);
    EXPECT_EQ(back.series[3].first_seen_ns, 0);
    expect_same_trend(back.series[3].sink.trend(), r.series[3].sink.trend());
    expect_same_trend(back.series[4].sink.trend(), r.series[4].sink.trend());
}

TEST(ResultsRecord, MergedHistogramEqualsHistogramOfEveryValue) {
    ResultsRecord r = sample_record();
    ResultsRecord back = parse_record(record_to_json(r));
    Sink merged(MetricType::kTrend, 100);
    merged.merge(back.series[4].sink);
    merged.merge(back.series[4].sink);
    Sink direct(MetricType::kTrend, 100);
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 250; ++i) {
            direct.add(i % 2 == 0 ? i * 1.37 : -i / 9.0, i);
        }
    }
    expect_same_trend(merged.trend(), direct.trend(), false);
}

TEST(ResultsRecord, RefusesWhatIsNotARecord) {
    auto refused = [](const std::string& text) {
        try {
            parse_record(text);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(refused("{\"metrics\": {}}").find("not a volley results record"), 0u);
    EXPECT_EQ(refused("not json").find("not JSON"), 0u);
    EXPECT_EQ(refused(R"({"volleyResults": 2})"),
              "results record format 2 (this volley reads format 1)");
    std::string text = record_to_json(sample_record());
    auto doc = boost::json::parse(text);
    doc.at("series").at(2).as_object()["passes"] = 9; // more passes than samples
    EXPECT_EQ(refused(boost::json::serialize(doc)), "a rate has more passes than samples");
    doc = boost::json::parse(text);
    doc.at("series").at(4).at("histogram").as_object()["zeros"] = 5; // counts no longer add up
    EXPECT_EQ(refused(boost::json::serialize(doc)), "a trend's histogram is inconsistent");
    doc = boost::json::parse(text);
    doc.at("series").at(3).as_object()["count"] = 7;
    EXPECT_EQ(refused(boost::json::serialize(doc)), "a trend's values do not match its count");
    doc = boost::json::parse(text);
    doc.as_object().erase("optionsSha256");
    EXPECT_EQ(refused(boost::json::serialize(doc)), "field 'optionsSha256' is missing");
}

TEST(ResultsRecord, ScriptHashIgnoresWhereTheScriptLives) {
    auto a = script_hash("/home/a/test/main.js",
                         {{"/home/a/test/main.js", "x"}, {"/home/a/test/lib/m.js", "y"}});
    auto b = script_hash("/tmp/t/main.js", {{"/tmp/t/main.js", "x"}, {"/tmp/t/lib/m.js", "y"}});
    auto c = script_hash("/tmp/t/main.js", {{"/tmp/t/main.js", "x"}, {"/tmp/t/lib/m.js", "z"}});
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ResultsOutput, AggregatesPerTagSetAndWritesAtStop) {
    metrics::Registry registry;
    metrics::TagInterner tags;
    const auto& b = registry.builtins();
    auto dir = std::filesystem::temp_directory_path() / "volley_results_output_test";
    std::filesystem::create_directories(dir);
    RunFacts facts;
    facts.options_json = R"({"vus":1})";
    facts.execution_segment = "0:1/2";
    facts.start_ns = 100;
    facts.setup_data = [] { return std::string(R"([1,2])"); };
    OutputParams params{registry, tags};
    params.run_facts = &facts;
    auto out = make_results_output((dir / "r.json").string(), params);
    EXPECT_EQ(out->description(), "results (" + (dir / "r.json").string() + ")");
    auto a = tags.intern({{"scenario", "a"}});
    metrics::Sample batch[] = {{b.iterations, a, 300, 1},
                               {b.iterations, 0, 200, 1},
                               {b.iterations, a, 250, 1},
                               {b.iteration_duration, a, 260, 12.5}};
    out->consume(batch);
    facts.end_ns = 2'000'000'100;
    out->stop();
    auto r = parse_record(read_file(dir / "r.json"));
    EXPECT_EQ(r.execution_segment, "0:1/2");
    EXPECT_EQ(r.setup_data, boost::json::parse("[1,2]"));
    EXPECT_DOUBLE_EQ(r.duration_s(), 2.0);
    EXPECT_EQ(r.metrics.size(), registry.size());
    ASSERT_EQ(r.series.size(), 3u);
    EXPECT_EQ(r.series[0].metric, "iterations");
    EXPECT_EQ(r.series[0].tags, (metrics::TagMap{{"scenario", "a"}}));
    EXPECT_EQ(r.series[0].first_seen_ns, 250);
    EXPECT_EQ(r.series[0].sink.counter().sum, 2);
    EXPECT_EQ(r.series[1].sink.counter().sum, 1);
    EXPECT_EQ(r.series[2].sink.trend().avg(), 12.5);
    std::filesystem::remove_all(dir);
}

TEST(ResultsOutput, NeedsAFile) {
    metrics::Registry registry;
    metrics::TagInterner tags;
    RunFacts facts;
    OutputParams params{registry, tags};
    params.run_facts = &facts;
    EXPECT_THROW(make_results_output("", params), UserError);
    params.run_facts = nullptr;
    EXPECT_THROW(make_results_output("/tmp/x.json", params), UserError);
}

} // namespace
} // namespace volley::output
