#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "metrics/thresholds.hpp"

namespace volley::metrics {
namespace {

namespace json = boost::json;

std::string parse_error(const std::string& options_json, const Registry& registry) {
    try {
        Thresholds::parse(json::parse(options_json), registry);
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kInvalidConfig);
        return e.what();
    }
    return "no error";
}

std::string expr_error(const std::string& expr) {
    try {
        parse_threshold_expression(expr);
    } catch (const UserError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ThresholdExpression, EveryFormSpacesOptional) {
    auto t = parse_threshold_expression("p(95)<200");
    EXPECT_EQ(t.aggregation, "p");
    EXPECT_EQ(t.percentile, 95);
    EXPECT_EQ(t.op, "<");
    EXPECT_EQ(t.value, 200);
    EXPECT_EQ(t.stat_name(), "p(95)");
    t = parse_threshold_expression("  p(99.9)  <=  1.5 ");
    EXPECT_EQ(t.stat_name(), "p(99.9)");
    EXPECT_EQ(t.op, "<=");
    EXPECT_EQ(t.value, 1.5);
    EXPECT_EQ(parse_threshold_expression("count === 3").op, "===");
    EXPECT_EQ(parse_threshold_expression("count==3").op, "==");
    EXPECT_EQ(parse_threshold_expression("rate!=0").op, "!=");
    EXPECT_EQ(parse_threshold_expression("value>=1e3").value, 1000);
    EXPECT_EQ(parse_threshold_expression("avg>-1").value, -1);
    for (const char* agg : {"avg", "min", "max", "med", "count", "rate", "value"}) {
        EXPECT_EQ(parse_threshold_expression(std::string(agg) + ">1").aggregation, agg);
    }
}

TEST(ThresholdExpression, K6ErrorTexts) {
    EXPECT_EQ(expr_error("p95 200"), "failed parsing threshold expression \"p95 200\"; reason: "
                                     "malformed threshold expression");
    EXPECT_EQ(expr_error("average<2"), "failed parsing threshold expression's \"average<2\" left "
                                       "hand side; reason: failed parsing method from expression");
    EXPECT_EQ(expr_error("p(x)<2"),
              "failed parsing threshold expression's \"p(x)<2\" left hand side; reason: malformed "
              "percentile value; reason: strconv.ParseFloat: parsing \"x\": invalid syntax");
    EXPECT_EQ(expr_error("avg<abc"), "failed parsing threshold expresion's \"avg<abc\" right hand "
                                     "side; reason: strconv.ParseFloat: parsing \"abc\": invalid "
                                     "syntax");
    EXPECT_EQ(expr_error("avg<"), "failed parsing threshold expresion's \"avg<\" right hand side; "
                                  "reason: strconv.ParseFloat: parsing \"\": invalid syntax");
}

TEST(Thresholds, ParsesStringsAndObjectsAndSubmetrics) {
    Registry registry;
    auto th = Thresholds::parse(json::parse(R"({
            "ws_connecting": ["p(95)<500", {"threshold": "avg<100", "abortOnFail": true,
                                            "delayAbortEval": "1m30s"}],
            "ws_connecting{url: 'ws://127.0.0.1:8080/echo' , my_tag:\"hi\"}": ["max<1"]
        })"),
                                registry);
    auto sets = th.sets();
    ASSERT_EQ(sets.size(), 2u);
    EXPECT_EQ(sets[0].name, "ws_connecting");
    EXPECT_EQ(sets[0].thresholds[1].source, "avg<100");
    EXPECT_TRUE(sets[0].thresholds[1].abort_on_fail);
    EXPECT_EQ(sets[0].thresholds[1].delay_abort_eval_ns, 90'000'000'000);
    EXPECT_EQ(sets[1].name, "ws_connecting{url: 'ws://127.0.0.1:8080/echo' , my_tag:\"hi\"}");
    EXPECT_EQ(sets[1].filter, (TagMap{{"url", "ws://127.0.0.1:8080/echo"}, {"my_tag", "hi"}}));
    EXPECT_EQ(sets[1].type, MetricType::kTrend);
    EXPECT_TRUE(Thresholds::parse(json::value(nullptr), registry).empty());
}

TEST(Thresholds, ValidationErrorsWithK6Texts) {
    Registry registry;
    EXPECT_EQ(parse_error(R"({"nope": ["count>1"]})", registry),
              "invalid threshold defined on nope; reason: no metric name \"nope\" found");
    EXPECT_EQ(parse_error(R"({"nope{a:b}": ["count>1"]})", registry),
              "invalid threshold defined on nope{a:b}; reason: no metric name \"nope{a:b}\" found");
    EXPECT_EQ(parse_error(R"({"ws_ping": ["count>1"]})", registry),
              "invalid threshold \"count>1\" applied on metric ws_ping; reason: unsupported "
              "aggregation method count on metric of type trend. supported aggregation methods "
              "for this metric are: avg, min, max, med, p");
    EXPECT_EQ(parse_error(R"({"ws_sessions": ["p(95)>1"]})", registry),
              "invalid threshold \"p(95)>1\" applied on metric ws_sessions; reason: unsupported "
              "aggregation method p on metric of type counter. supported aggregation methods for "
              "this metric are: count, rate");
    EXPECT_EQ(parse_error(R"({"checks": ["value>1"]})", registry),
              "invalid threshold \"value>1\" applied on metric checks; reason: unsupported "
              "aggregation method value on metric of type rate. supported aggregation methods "
              "for this metric are: rate");
    EXPECT_EQ(parse_error(R"({"vus": ["rate>1"]})", registry).find("are: value"),
              parse_error(R"({"vus": ["rate>1"]})", registry).size() - 10);
    EXPECT_EQ(parse_error(R"({"ws_sessions": ["bad"]})", registry),
              "failed parsing threshold expression \"bad\"; reason: malformed threshold "
              "expression");
}

TEST(Thresholds, RejectsPercentileOutOfRange) { // k6-behaviour.md Q22
    Registry registry;
    EXPECT_EQ(parse_error(R"({"ws_ping": ["p(101)<1"]})", registry),
              "invalid threshold \"p(101)<1\" applied on metric ws_ping; reason: percentile value "
              "must be between 0 and 100");
    EXPECT_NE(parse_error(R"({"ws_ping": ["p(-1)<1"]})", registry), "no error");
    EXPECT_EQ(parse_error(R"({"ws_ping": ["p(0)<1", "p(100)<1"]})", registry), "no error");
}

TEST(Thresholds, MalformedNamesAndShapes) {
    Registry registry;
    EXPECT_EQ(parse_error(R"({"ws_ping{a:b": ["avg<1"]})", registry),
              "unable to validate threshold expressions; reason: parsing metric name failed, "
              "metric \"ws_ping{a:b\" has unmatched opening/close curly braces");
    EXPECT_EQ(parse_error(R"({"ws_ping{a:b}x": ["avg<1"]})", registry),
              "unable to validate threshold expressions; reason: parsing metric name failed, "
              "metric \"ws_ping{a:b}x\" lacks a closing curly brace in its last position");
    EXPECT_EQ(parse_error(R"({"ws_ping}a:b{": ["avg<1"]})", registry),
              "unable to validate threshold expressions; reason: parsing metric name failed, "
              "metric \"ws_ping}a:b{\" closing curly brace appears before opening one");
    EXPECT_EQ(parse_error(R"({"ws_ping{a}": ["avg<1"]})", registry),
              "unable to validate threshold expressions; reason: parsing metric name failed, "
              "metric \"a\" tag expression is malformed");
    EXPECT_NE(parse_error(R"({"ws_ping": "avg<1"})", registry), "no error");
    EXPECT_NE(parse_error(R"({"ws_ping": [{"abortOnFail": true}]})", registry), "no error");
    EXPECT_NE(parse_error(R"({"ws_ping": [{"threshold": "avg<1", "abortOnFail": 1}]})", registry),
              "no error");
    EXPECT_NE(
        parse_error(R"({"ws_ping": [{"threshold": "avg<1", "delayAbortEval": "1x"}]})", registry),
        "no error");
    EXPECT_NE(parse_error(R"(["ws_ping"])", registry), "no error");
}

// delayAbortEval is a k6 duration (types.NullDuration): a string as ParseExtendedDuration reads
// it (a bare number means milliseconds) or a JSON number of milliseconds.
TEST(Thresholds, DelayAbortEvalIsAK6Duration) {
    Registry registry;
    auto delay = [&](const std::string& value) {
        auto th = Thresholds::parse(
            json::parse(R"({"ws_ping": [{"threshold": "avg<1", "delayAbortEval": )" + value +
                        "}]}"),
            registry);
        return th.sets().at(0).thresholds.at(0).delay_abort_eval_ns;
    };
    EXPECT_EQ(delay(R"("1m30s")"), 90'000'000'000);
    EXPECT_EQ(delay(R"("1d")"), 86'400'000'000'000);
    EXPECT_EQ(delay(R"("10")"), 10'000'000);
    EXPECT_EQ(delay("250"), 250'000'000);
    EXPECT_EQ(delay("null"), std::nullopt);
    for (const char* bad : {R"("")", R"("s")", "true", R"("9999999999999999999h")"}) {
        EXPECT_NE(
            parse_error(std::string(R"({"ws_ping": [{"threshold": "avg<1", "delayAbortEval": )") +
                            bad + "}]}",
                        registry),
            "no error")
            << bad;
    }
}

// Expressions are quoted with Go's %q in errors: a newline is \n, not \x0a.
TEST(Thresholds, ErrorsQuoteLikeGo) {
    EXPECT_EQ(expr_error("avg<1\n2"), "failed parsing threshold expresion's \"avg<1\\n2\" right "
                                      "hand side; reason: strconv.ParseFloat: parsing \"1\\n2\": "
                                      "invalid syntax");
}

class ThresholdEval : public ::testing::Test {
protected:
    Registry registry;
    TagInterner tags;
    const Builtins& b = registry.builtins();
};

TEST_F(ThresholdEval, Case67SubmetricCounts) {
    auto th = Thresholds::parse(json::parse(R"({
        "iterations": ["count == 3"],
        "iterations{scenario:sc1}": ["count == 2"],
        "iterations{scenario:sc2}": ["count == 1"],
        "iterations{scenario:sc3}": ["count == 0"]})"),
                                registry);
    Engine engine(registry, tags);
    th.register_submetrics(engine);
    auto sc1 = tags.intern({{"scenario", "sc1"}});
    auto sc2 = tags.intern({{"scenario", "sc2"}});
    Sample batch[] = {
        {b.iterations, sc1, 1, 1}, {b.iterations, sc2, 2, 1}, {b.iterations, sc2, 3, 1}};
    engine.add(batch);
    engine.stop();
    EXPECT_FALSE(th.evaluate(engine, 1.0, true));
    EXPECT_EQ(th.failed_names(),
              (std::vector<std::string>{"iterations{scenario:sc1}", "iterations{scenario:sc2}"}));
    EXPECT_EQ(th.crossed_message(), "thresholds on metrics 'iterations{scenario:sc1}, "
                                    "iterations{scenario:sc2}' have been crossed");
    auto sets = th.sets();
    EXPECT_EQ(sets[1].thresholds[0].observed, 1);
    EXPECT_TRUE(sets[3].thresholds[0].evaluated);
    EXPECT_FALSE(sets[3].thresholds[0].failed);
    EXPECT_FALSE(th.should_abort());
}

TEST_F(ThresholdEval, EmptyTrendIsZeroEmptyRatePasses) { // k6-behaviour.md Q21
    auto th = Thresholds::parse(
        json::parse(R"({"ws_ping": ["avg>0", "p(95)==0"], "checks": ["rate>0.99"]})"), registry);
    Engine engine(registry, tags);
    engine.stop();
    EXPECT_TRUE(th.evaluate(engine, 1.0, false)); // during the run: nothing evaluated
    EXPECT_FALSE(th.sets()[0].thresholds[0].evaluated);
    EXPECT_FALSE(th.evaluate(engine, 1.0, true));
    auto sets = th.sets();
    EXPECT_TRUE(sets[0].thresholds[0].failed);
    EXPECT_FALSE(sets[0].thresholds[1].failed);
    EXPECT_FALSE(sets[1].thresholds[0].failed);
    EXPECT_EQ(th.failed_names(), std::vector<std::string>{"ws_ping"});
}

TEST_F(ThresholdEval, EveryAggregationAndOperator) {
    auto th = Thresholds::parse(json::parse(R"({
        "ws_ping": ["avg==2", "min===1", "max>=3", "med<=2", "p(50)!=5", "p(100)>2.9"],
        "ws_sessions": ["count==4", "rate==2"],
        "vus": ["value<10"],
        "checks": ["rate>0.7", "rate<0.5"]})"),
                                registry);
    Engine engine(registry, tags);
    Sample batch[] = {{b.ws_ping, 0, 1, 1},     {b.ws_ping, 0, 1, 2}, {b.ws_ping, 0, 1, 3},
                      {b.ws_sessions, 0, 1, 4}, {b.vus, 0, 1, 7},     {b.checks, 0, 1, 1},
                      {b.checks, 0, 1, 1},      {b.checks, 0, 1, 1},  {b.checks, 0, 1, 0}};
    engine.add(batch);
    engine.stop();
    EXPECT_FALSE(th.evaluate(engine, 2.0, true));
    auto sets = th.sets();
    for (const auto& set : sets) {
        for (const auto& t : set.thresholds) {
            EXPECT_EQ(t.failed, t.source == "rate<0.5") << set.name << " " << t.source;
        }
    }
    EXPECT_EQ(sets[3].thresholds[0].observed, 0.75);
}

TEST_F(ThresholdEval, AbortOnFailWaitsForDelay) {
    auto th = Thresholds::parse(json::parse(R"({"ws_sessions": [
        {"threshold": "count<1", "abortOnFail": true, "delayAbortEval": "10s"}]})"),
                                registry);
    Engine engine(registry, tags);
    Sample s{b.ws_sessions, 0, 1, 1};
    engine.add({&s, 1});
    engine.process_pending();
    EXPECT_FALSE(th.evaluate(engine, 5.0, false));
    EXPECT_FALSE(th.should_abort());
    EXPECT_FALSE(th.evaluate(engine, 11.0, false));
    EXPECT_TRUE(th.should_abort());
    EXPECT_EQ(th.abort_message(), "thresholds on metrics 'ws_sessions' were crossed; at least one "
                                  "has abortOnFail enabled, stopping test prematurely");
}

TEST_F(ThresholdEval, AbortOnFailWithoutDelayAbortsAtOnce) {
    auto th = Thresholds::parse(
        json::parse(R"({"ws_sessions": [{"threshold": "count<1", "abortOnFail": true}],
                        "iterations": ["count<1"]})"),
        registry);
    Engine engine(registry, tags);
    Sample s[] = {{b.ws_sessions, 0, 1, 1}};
    engine.add(s);
    engine.process_pending();
    EXPECT_FALSE(th.evaluate(engine, 0.1, false));
    EXPECT_TRUE(th.should_abort());
    EXPECT_EQ(th.crossed_message(), "thresholds on metrics 'ws_sessions' have been crossed");
}

TEST_F(ThresholdEval, PassingThresholdsGiveNoMessage) {
    auto th = Thresholds::parse(json::parse(R"({"ws_sessions": ["count>=0"]})"), registry);
    Engine engine(registry, tags);
    engine.stop();
    EXPECT_TRUE(th.evaluate(engine, 1.0, true));
    EXPECT_EQ(th.crossed_message(), "");
}

} // namespace
} // namespace volley::metrics
