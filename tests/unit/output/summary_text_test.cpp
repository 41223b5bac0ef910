#include <gtest/gtest.h>

#include "output/summary.hpp"

namespace volley::output {
namespace {

using metrics::MetricType;
using metrics::ValueType;

// k6's summary.js output for a synthetic report of an echo test (k6-behaviour.md §5.9).
const char* const kSpecExample = R"GOLDEN(

  █ THRESHOLDS 

    ws_connecting
    ✓ 'p(95)<500' p(95)=1.83ms

    ws_msgs_received
    ✗ 'count>=5' count=3


  █ TOTAL RESULTS 

    checks_total.......: 4      2/s
    checks_succeeded...: 75.00% 3 out of 4
    checks_failed......: 25.00% 1 out of 4

    ✓ status is 101
    ✗ got echo
      ↳  0% — ✓ 0 / ✗ 1

    CUSTOM
    my_counter............: 7      3.5/s

    EXECUTION
    iteration_duration....: avg=604.12ms min=603.9ms med=604.2ms max=604.35ms p(90)=604.29ms p(95)=604.33ms
    iterations............: 3      1.4999/s
    vus...................: 1      min=1    max=1
    vus_max...............: 1      min=1    max=1

    NETWORK
    data_received.........: 1.2 kB 617 B/s
    data_sent.............: 987 B  494 B/s

    WEBSOCKET
    ws_connecting.........: avg=1.52ms   min=1.2ms   med=1.5ms   max=1.87ms   p(90)=1.8ms    p(95)=1.83ms  
    ws_msgs_received......: 3      1.5/s
    ws_msgs_sent..........: 3      1.5/s
    ws_ping...............: avg=345µs    min=200µs   med=300µs   max=500µs    p(90)=480µs    p(95)=490µs   
    ws_session_duration...: avg=603.5ms  min=603.1ms med=603.4ms max=604ms    p(90)=603.9ms  p(95)=603.95ms
    ws_sessions...........: 3      1.5/s



)GOLDEN";

MetricSummary metric(std::string name, MetricType type, ValueType contains,
                     std::vector<std::pair<std::string, double>> values) {
    MetricSummary m;
    m.name = m.parent = std::move(name);
    m.type = type;
    m.contains = contains;
    m.values = std::move(values);
    return m;
}

MetricSummary trend(std::string name, std::vector<double> v) {
    return metric(std::move(name), MetricType::kTrend, ValueType::kTime,
                  {{"avg", v[0]},
                   {"min", v[1]},
                   {"med", v[2]},
                   {"max", v[3]},
                   {"p(90)", v[4]},
                   {"p(95)", v[5]}});
}

MetricSummary counter(std::string name, double count, double rate,
                      ValueType contains = ValueType::kDefault) {
    return metric(std::move(name), MetricType::kCounter, contains,
                  {{"count", count}, {"rate", rate}});
}

MetricSummary gauge(std::string name, double v) {
    return metric(std::move(name), MetricType::kGauge, ValueType::kDefault,
                  {{"value", v}, {"min", v}, {"max", v}});
}

Summary spec_example() {
    Summary s;
    s.test_run_duration_ms = 2000;
    s.has_thresholds = true;
    auto connecting = trend("ws_connecting", {1.52, 1.2, 1.5, 1.87, 1.8, 1.83});
    connecting.thresholds = {{"p(95)<500", true, "p(95)", "1.83ms"}};
    auto received = counter("ws_msgs_received", 3, 1.5);
    received.thresholds = {{"count>=5", false, "count", "3"}};
    // In name order, as build_summary sorts them.
    s.metrics = {
        metric("checks", MetricType::kRate, ValueType::kDefault,
               {{"rate", 0.75}, {"passes", 3}, {"fails", 1}}),
        counter("data_received", 1200, 617, ValueType::kData),
        counter("data_sent", 987, 494, ValueType::kData),
        trend("iteration_duration", {604.123, 603.9, 604.2, 604.35, 604.3, 604.33}),
        counter("iterations", 3, 1.4999),
        counter("my_counter", 7, 3.5),
        gauge("vus", 1),
        gauge("vus_max", 1),
        connecting,
        received,
        counter("ws_msgs_sent", 3, 1.5),
        trend("ws_ping", {0.345, 0.2, 0.3, 0.5, 0.48, 0.49}),
        trend("ws_session_duration", {603.5, 603.1, 603.4, 604, 603.9, 603.95}),
        counter("ws_sessions", 3, 1.5),
    };
    s.checks_by_name = {{"status is 101", "::status is 101", "", 3, 0},
                        {"got echo", "::got echo", "", 0, 1}};
    return s;
}

TEST(TextSummary, SpecExampleIsByteExact) {
    EXPECT_EQ(render_text_summary(spec_example()), kSpecExample);
}

TEST(TextSummary, SingleMetricLosesItsDots) { // k6-behaviour.md Q19
    Summary s;
    s.test_run_duration_ms = 1000;
    s.metrics = {counter("iterations", 1, 1)};
    EXPECT_EQ(render_text_summary(s),
              "\n\n  █ TOTAL RESULTS \n\n    EXECUTION\n    iterations: 1 1/s\n\n\n\n");
}

TEST(TextSummary, SubmetricThresholdsIndentUnderTheirParent) { // case 67
    Summary s;
    s.test_run_duration_ms = 1000;
    s.has_thresholds = true;
    auto parent = counter("iterations", 3, 3);
    parent.thresholds = {{"count == 3", true, "count", "3"}};
    auto sc1 = counter("iterations{scenario:sc1}", 1, 1);
    sc1.parent = "iterations";
    sc1.thresholds = {{"count == 2", false, "count", "1"}};
    auto orphan = counter("ws_sessions{a:b}", 0, 0);
    orphan.parent = "ws_sessions";
    orphan.thresholds = {{"rate>1", false, "rate", "0/s"}};
    s.metrics = {parent, sc1, orphan};
    std::string text = render_text_summary(s);
    EXPECT_NE(text.find("    iterations\n    ✓ 'count == 3' count=3\n\n"
                        "      {scenario:sc1}\n      ✗ 'count == 2' count=1\n\n"
                        "    ws_sessions{a:b}\n    ✗ 'rate>1' rate=0/s\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("    EXECUTION\n    iterations...........: 3 3/s\n"
                        "      { scenario:sc1 }...: 1 1/s\n"),
              std::string::npos)
        << text;
}

TEST(TextSummary, ColourOnlyWhenAsked) {
    Summary s = spec_example();
    EXPECT_EQ(render_text_summary(s).find('\x1b'), std::string::npos);
    s.options.color = true;
    std::string text = render_text_summary(s);
    EXPECT_NE(text.find("  █ \x1b[1mTHRESHOLDS\x1b[0m \n"), std::string::npos);
    EXPECT_NE(text.find("\x1b[32m✓ status is 101\x1b[0m"), std::string::npos);
    EXPECT_NE(text.find("ws_session_duration\x1b[2;37m...:\x1b[0m avg=\x1b[36m603.5ms\x1b[0m  "),
              std::string::npos);
}

TEST(TextSummary, NoThresholdsNoChecks) {
    Summary s;
    s.test_run_duration_ms = 1000;
    s.metrics = {counter("ws_sessions", 2, 2), counter("ws_msgs_sent", 10, 10),
                 metric("group_duration", MetricType::kTrend, ValueType::kTime, {})};
    std::string text = render_text_summary(s);
    EXPECT_EQ(text.find("THRESHOLDS"), std::string::npos);
    EXPECT_EQ(text.find("checks_total"), std::string::npos);
    EXPECT_EQ(text.find("group_duration"), std::string::npos); // hidden
    EXPECT_NE(
        text.find("    WEBSOCKET\n    ws_msgs_sent...: 10 10/s\n    ws_sessions....: 2  2/s\n"),
        std::string::npos)
        << text;
}

TEST(TextSummary, SaysWhichTrendsAreApproximate) {
    Summary s = spec_example();
    EXPECT_EQ(render_text_summary(s).find("approximate"), std::string::npos);
    for (auto& m : s.metrics) {
        if (m.name == "ws_connecting") {
            m.approximate = true;
        }
    }
    EXPECT_NE(render_text_summary(s).find(
                  "    ≈ percentiles of ws_connecting are approximate (within 0.4 %: bounded "
                  "histogram)\n"),
              std::string::npos)
        << render_text_summary(s);
}

} // namespace
} // namespace volley::output
