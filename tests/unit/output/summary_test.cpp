#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "output/summary.hpp"

namespace volley::output {
namespace {

namespace json = boost::json;
using metrics::Sample;

class SummaryTest : public ::testing::Test {
protected:
    metrics::Registry registry;
    metrics::TagInterner tags;
    const metrics::Builtins& b = registry.builtins();
};

TEST_F(SummaryTest, Case67ThresholdsExportAndText) {
    auto th = metrics::Thresholds::parse(json::parse(R"({
        "iterations": ["count == 3"],
        "iterations{scenario:sc1}": ["count == 2"],
        "iterations{scenario:sc2}": ["count == 1"],
        "iterations{scenario:sc3}": ["count == 0"]})"),
                                         registry);
    metrics::Engine engine(registry, tags);
    th.register_submetrics(engine);
    auto sc1 = tags.intern({{"scenario", "sc1"}});
    auto sc2 = tags.intern({{"scenario", "sc2"}});
    Sample batch[] = {
        {b.iterations, sc1, 1, 1}, {b.iterations, sc2, 2, 1}, {b.iterations, sc2, 3, 1}};
    engine.add(batch);
    engine.stop();
    th.evaluate(engine, 1.0, true);
    Summary s = build_summary(engine, registry, &th, {}, 1.0);

    std::string text = render_text_summary(s);
    for (const char* expected : {"    iterations\n    ✓ 'count == 3' count=3",
                                 "      {scenario:sc1}\n      ✗ 'count == 2' count=1",
                                 "      {scenario:sc2}\n      ✗ 'count == 1' count=2",
                                 "      {scenario:sc3}\n      ✓ 'count == 0' count=0"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    }

    auto exported = json::parse(summary_export_json(s));
    const auto& metrics = exported.at("metrics");
    EXPECT_EQ(metrics.at("iterations").at("count").to_number<double>(), 3);
    EXPECT_EQ(metrics.at("iterations").at("thresholds").at("count == 3"), false);
    EXPECT_EQ(metrics.at("iterations{scenario:sc1}").at("thresholds").at("count == 2"), true);
    EXPECT_EQ(metrics.at("iterations{scenario:sc2}").at("thresholds").at("count == 1"), true);
    EXPECT_EQ(metrics.at("iterations{scenario:sc3}").at("count").to_number<double>(), 0);
}

TEST_F(SummaryTest, ChecksGroupsAndHandleSummaryData) {
    metrics::Engine engine(registry, tags);
    auto ok_root = tags.intern({{"check", "ok"}, {"group", ""}});
    auto ok_chat = tags.intern({{"check", "ok"}, {"group", "::chat"}});
    auto echo = tags.intern({{"check", "echo"}, {"group", "::chat::inner"}});
    Sample batch[] = {{b.checks, ok_root, 1, 1},
                      {b.checks, ok_chat, 2, 0},
                      {b.checks, echo, 3, 1},
                      {b.ws_ping, 0, 4, 2.5}};
    engine.add(batch);
    engine.stop();
    SummaryOptions options;
    options.trend_stats = {"count", "p(99.9)", "max"};
    Summary s = build_summary(engine, registry, nullptr, options, 2.0, json::parse(R"({"a":1})"));

    ASSERT_EQ(s.checks_by_name.size(), 2u);
    EXPECT_EQ(s.checks_by_name[0].name, "ok");
    EXPECT_EQ(s.checks_by_name[0].passes, 1u);
    EXPECT_EQ(s.checks_by_name[0].fails, 1u);
    EXPECT_EQ(s.root_group.id, "d41d8cd98f00b204e9800998ecf8427e");
    ASSERT_EQ(s.root_group.groups.size(), 1u);
    EXPECT_EQ(s.root_group.groups[0].name, "chat");
    EXPECT_EQ(s.root_group.groups[0].groups[0].path, "::chat::inner");
    EXPECT_EQ(s.root_group.groups[0].groups[0].checks[0].path, "::chat::inner::echo");
    EXPECT_EQ(s.root_group.groups[0].id, md5_hex("::chat"));

    auto data = handle_summary_data(s);
    EXPECT_EQ(data.at("metrics").at("checks").at("values").at("passes").to_number<double>(), 2);
    EXPECT_EQ(data.at("metrics").at("checks").at("type"), "rate");
    EXPECT_EQ(data.at("metrics").at("ws_ping").at("contains"), "time");
    EXPECT_EQ(data.at("metrics").at("ws_ping").at("values").at("p(99.9)").to_number<double>(), 2.5);
    EXPECT_EQ(data.at("state").at("testRunDurationMs").to_number<double>(), 2000);
    EXPECT_EQ(data.at("options").at("noColor"), true);
    EXPECT_EQ(data.at("setup_data").at("a").to_number<double>(), 1);
    EXPECT_EQ(data.at("root_group").at("groups").as_array().size(), 1u);

    auto exported = json::parse(summary_export_json(s));
    EXPECT_EQ(exported.at("root_group").at("checks").at("ok").at("passes").to_number<double>(), 1);
    EXPECT_EQ(exported.at("root_group")
                  .at("groups")
                  .at("chat")
                  .at("checks")
                  .at("ok")
                  .at("fails")
                  .to_number<double>(),
              1);
    EXPECT_EQ(exported.at("metrics").at("checks").at("value").to_number<double>(), 2.0 / 3);
    EXPECT_FALSE(exported.at("metrics").at("checks").as_object().contains("rate"));
}

TEST(SummaryJson, StringifyIndentsLikeJavaScript) {
    auto v = json::parse(R"({"a":[1,2.5,{}],"b":{"c":"x\"y"},"d":[],"e":null,"f":1e21})");
    EXPECT_EQ(js_stringify(v, 4),
              "{\n    \"a\": [\n        1,\n        2.5,\n        {}\n    ],\n"
              "    \"b\": {\n        \"c\": \"x\\\"y\"\n    },\n    \"d\": [],\n"
              "    \"e\": null,\n    \"f\": 1e+21\n}");
    EXPECT_EQ(js_stringify(v, 0), R"({"a":[1,2.5,{}],"b":{"c":"x\"y"},"d":[],"e":null,"f":1e+21})");
}

TEST(SummaryOptions, TrendStatsValidation) {
    EXPECT_NO_THROW(validate_trend_stats({"avg", "min", "med", "max", "count", "p(0)", "p(99.9)"}));
    EXPECT_THROW(validate_trend_stats({"p(101)"}), UserError);
    EXPECT_THROW(validate_trend_stats({"p(x)"}), UserError);
    EXPECT_THROW(validate_trend_stats({"mean"}), UserError);
}

TEST(Md5, KnownVectors) {
    EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

} // namespace
} // namespace volley::output
