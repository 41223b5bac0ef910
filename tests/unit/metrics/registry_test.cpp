#include <gtest/gtest.h>

#include "metrics/registry.hpp"

namespace volley::metrics {
namespace {

TEST(Registry, BuiltinsHaveK6TypesAndUnits) {
    Registry r;
    const auto& b = r.builtins();
    EXPECT_EQ(r.def(b.ws_connecting).name, "ws_connecting");
    EXPECT_EQ(r.def(b.ws_connecting).type, MetricType::kTrend);
    EXPECT_EQ(r.def(b.ws_connecting).contains, ValueType::kTime);
    EXPECT_EQ(r.def(b.data_sent).contains, ValueType::kData);
    EXPECT_EQ(r.def(b.checks).type, MetricType::kRate);
    EXPECT_EQ(r.def(b.vus).type, MetricType::kGauge);
    EXPECT_EQ(r.def(b.iterations).type, MetricType::kCounter);
    EXPECT_EQ(r.find("http_req_duration").has_value(), true);
    EXPECT_EQ(r.find("ws_ping"), b.ws_ping);
}

TEST(Registry, DefineReturnsSameIdForSameDefinition) {
    Registry r;
    std::string err;
    auto a = r.define("my_trend", MetricType::kTrend, ValueType::kTime, &err);
    auto b = r.define("my_trend", MetricType::kTrend, ValueType::kTime, &err);
    ASSERT_TRUE(a.has_value());
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(r.def(*a).name, "my_trend");
    EXPECT_EQ(r.find("my_trend"), *a);
    EXPECT_TRUE(err.empty());
}

TEST(Registry, RejectsInvalidNamesWithK6Text) {
    Registry r;
    for (const char* bad : {"a", "1abc", "has-dash", "sp ace", ""}) {
        std::string err;
        auto res = r.define(bad, MetricType::kCounter, ValueType::kDefault, &err);
        EXPECT_FALSE(res.has_value()) << bad;
        EXPECT_EQ(err, std::string("Invalid metric name: '") + bad +
                           "'. Metric names must only include up to 128 ASCII letters, numbers, "
                           "or underscores and start with a letter or an underscore.");
    }
    std::string ok_long = "_" + std::string(128, 'x');
    EXPECT_TRUE(r.define(ok_long, MetricType::kCounter, ValueType::kDefault, nullptr).has_value());
    EXPECT_FALSE(
        r.define(ok_long + "y", MetricType::kCounter, ValueType::kDefault, nullptr).has_value());
}

TEST(Registry, RejectsTypeConflictsIncludingBuiltins) {
    Registry r;
    std::string err;
    EXPECT_FALSE(r.define("ws_ping", MetricType::kCounter, ValueType::kDefault, &err).has_value());
    EXPECT_EQ(err, "metric 'ws_ping' already exists but with type trend, instead of counter");
    EXPECT_FALSE(r.define("ws_ping", MetricType::kTrend, ValueType::kDefault, &err).has_value());
    EXPECT_EQ(err,
              "metric 'ws_ping' already exists but with a value type time, instead of default");
    auto size = r.size();
    EXPECT_FALSE(r.define("ws_ping", MetricType::kGauge, ValueType::kData, nullptr).has_value());
    EXPECT_EQ(r.size(), size);
}

TEST(Registry, NamesOfEnums) {
    EXPECT_STREQ(type_name(MetricType::kGauge), "gauge");
    EXPECT_STREQ(type_name(MetricType::kRate), "rate");
    EXPECT_STREQ(value_type_name(ValueType::kData), "data");
    EXPECT_STREQ(value_type_name(ValueType::kTime), "time");
}

} // namespace
} // namespace volley::metrics
