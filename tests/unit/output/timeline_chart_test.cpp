// The HTML report's parts: Timeline (buckets, widening, errors by code) and svg_chart.

#include <gtest/gtest.h>

#include "output/svg_chart.hpp"
#include "output/timeline.hpp"

namespace volley::output {
namespace {

constexpr std::int64_t kS = 1'000'000'000;
constexpr std::int64_t kT0 = 1'700'000'000 * kS;

class TimelineTest : public ::testing::Test {
protected:
    TimelineTest() {
        errors_ = *registry_.define("ws_errors", metrics::MetricType::kCounter,
                                    metrics::ValueType::kDefault, nullptr);
    }
    metrics::Sample sample(metrics::MetricId m, double at_s, double v, metrics::TagSetId tags = 0) {
        return {m, tags, kT0 + static_cast<std::int64_t>(at_s * 1e9), v};
    }
    metrics::Registry registry_;
    metrics::TagInterner tags_;
    metrics::MetricId errors_ = 0;
};

TEST_F(TimelineTest, FoldsSamplesIntoSeconds) {
    Timeline t(registry_, tags_);
    const auto& b = registry_.builtins();
    t.add(sample(b.vus, 0.2, 3));
    t.add(sample(b.vus, 0.7, 5));
    t.add(sample(b.ws_msgs_sent, 1.5, 1));
    t.add(sample(b.ws_msgs_sent, 1.6, 1));
    t.add(sample(b.ws_connecting, 2.1, 4));
    t.add(sample(errors_, 2.5, 1, tags_.intern({{"error_code", "1212"}})));
    ASSERT_EQ(t.buckets().size(), 3U);
    EXPECT_EQ(t.width_s(), 1);
    EXPECT_EQ(t.buckets()[0].vus, 5);
    EXPECT_EQ(t.buckets()[1].counts[Timeline::kMsgsSent], 2);
    EXPECT_EQ(t.buckets()[2].trends[Timeline::kConnecting].count(), 1U);
    EXPECT_EQ(t.error_codes(), std::vector<std::string>{"1212"});
    EXPECT_EQ(t.buckets()[2].errors.at(0), 1);
    EXPECT_TRUE(t.has_errors());
    EXPECT_FALSE(t.has_generator());
}

TEST_F(TimelineTest, LongRunsWidenTheBucketsAndKeepEveryCount) {
    Timeline t(registry_, tags_);
    const auto& b = registry_.builtins();
    for (int s = 0; s < 1000; ++s) {
        t.add(sample(b.ws_sessions, s + 0.5, 1));
    }
    EXPECT_LE(t.buckets().size(), Timeline::kMaxBuckets);
    EXPECT_EQ(t.width_s(), 8); // 1000 s in at most 240 buckets: 1, 2, 4, 8
    double total = 0;
    for (const auto& bucket : t.buckets()) {
        total += bucket.counts[Timeline::kSessions];
    }
    EXPECT_EQ(total, 1000);
}

TEST(SvgChart, DrawsEachSeriesAndEscapes) {
    std::string svg = svg_chart({"a <b>", "/s", 1, {{"x&y", "#123456", {1.0, std::nullopt, 3.0}}}});
    EXPECT_NE(svg.find("<figcaption>a &lt;b&gt;</figcaption>"), std::string::npos);
    EXPECT_NE(svg.find("<title>x&amp;y</title>"), std::string::npos);
    // Two points (the missing value is skipped); the axis tops at 5, the nice ceiling of 3.
    auto at = svg.find("<polyline points=\"");
    ASSERT_NE(at, std::string::npos);
    std::string points = svg.substr(at + 18, svg.find('"', at + 18) - at - 18);
    EXPECT_EQ(std::count(points.begin(), points.end(), ','), 2) << points;
    EXPECT_NE(svg.find(">5/s</text>"), std::string::npos) << svg;
}

TEST(SvgChart, NoValuesSaysSo) {
    std::string svg = svg_chart({"empty", "", 1, {{"x", "#000", {std::nullopt}}}});
    EXPECT_EQ(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("no samples"), std::string::npos);
}

} // namespace
} // namespace volley::output
