// Full summary mode (k6-behaviour.md §5.9 items 3 and 4): GROUP and SCENARIO sections built from an
// Engine fed synthetic samples.

#include <gtest/gtest.h>

#include "output/summary.hpp"

namespace volley::output {
namespace {

using metrics::Sample;

class FullSummaryTest : public ::testing::Test {
protected:
    metrics::Registry registry;
    metrics::TagInterner tags;
    const metrics::Builtins& b = registry.builtins();

    metrics::TagSetId tag(const std::string& scenario, const std::string& group,
                          const std::string& check = "") {
        metrics::TagMap m{{"group", group}};
        if (!scenario.empty()) {
            m["scenario"] = scenario;
        }
        if (!check.empty()) {
            m["check"] = check;
        }
        return tags.intern(m);
    }

    Summary summarize(metrics::Engine& engine, const std::string& mode = "full") {
        engine.stop();
        SummaryOptions o;
        o.mode = mode;
        return build_summary(engine, registry, nullptr, o, 2.0);
    }
};

TEST_F(FullSummaryTest, NestedGroups) {
    metrics::Engine engine(registry, tags);
    auto chat = tag("default", "::chat");
    auto inner = tag("default", "::chat::inner");
    Sample batch[] = {
        {b.vus, tags.intern({}), 1, 1},
        {b.iterations, tag("default", ""), 1, 1},
        {b.iterations, tag("default", ""), 2, 1},
        {b.data_sent, tag("", "::setup"), 1, 100},
        {b.checks, tag("", "::setup", "setup ok"), 1, 1},
        {b.checks, tag("default", "::chat", "connected"), 1, 1},
        {b.checks, tag("default", "::chat", "connected"), 2, 1},
        {b.ws_sessions, chat, 1, 1},
        {b.ws_sessions, chat, 2, 1},
        {b.ws_connecting, chat, 1, 1},
        {b.ws_connecting, chat, 2, 3},
        {b.checks, tag("default", "::chat::inner", "got echo"), 1, 1},
        {b.checks, tag("default", "::chat::inner", "got echo"), 2, 0},
        {b.ws_msgs_received, inner, 1, 3},
        {b.ws_msgs_sent, inner, 1, 4},
        {b.data_sent, tag("default", "::other"), 1, 1500},
        {b.data_received, tag("default", "::other"), 1, 20},
    };
    engine.add(batch);
    std::string text = text_summary(summarize(engine));
    EXPECT_EQ(text,
              "\n"
              "  █ TOTAL RESULTS \n"
              "\n"
              "    checks_total.......: 5      2.5/s\n"
              "    checks_succeeded...: 80.00% 4 out of 5\n"
              "    checks_failed......: 20.00% 1 out of 5\n"
              "\n"
              "    ✓ setup ok\n"
              "    ✓ connected\n"
              "    ✗ got echo\n"
              "      ↳  50% — ✓ 1 / ✗ 1\n"
              "\n"
              "    EXECUTION\n"
              "    iterations.........: 2      1/s\n"
              "    vus................: 1      min=1   max=1\n"
              "\n"
              "    NETWORK\n"
              "    data_received......: 20 B   10 B/s\n"
              "    data_sent..........: 1.6 kB 800 B/s\n"
              "\n"
              "    WEBSOCKET\n"
              "    ws_connecting......: avg=2ms min=1ms med=2ms max=3ms p(90)=2.8ms p(95)=2.9ms\n"
              "    ws_msgs_received...: 3      1.5/s\n"
              "    ws_msgs_sent.......: 4      2/s\n"
              "    ws_sessions........: 2      1/s\n"
              "\n"
              "\n"
              "  █ GROUP: chat \n"
              "\n"
              "    checks_total.......: 2       1/s\n"
              "    checks_succeeded...: 100.00% 2 out of 2\n"
              "    checks_failed......: 0.00%   0 out of 2\n"
              "\n"
              "    ✓ connected\n"
              "\n"
              "    WEBSOCKET\n"
              "    ws_connecting...: avg=2ms min=1ms med=2ms max=3ms p(90)=2.8ms p(95)=2.9ms\n"
              "    ws_sessions.....: 2 1/s\n"
              "\n"
              "    ↳ GROUP: inner \n"
              "\n"
              "      checks_total.......: 2      1/s\n"
              "      checks_succeeded...: 50.00% 1 out of 2\n"
              "      checks_failed......: 50.00% 1 out of 2\n"
              "\n"
              "      ✗ got echo\n"
              "          ↳  50% — ✓ 1 / ✗ 1\n"
              "\n"
              "      WEBSOCKET\n"
              "      ws_msgs_received...: 3 1.5/s\n"
              "      ws_msgs_sent.......: 4 2/s\n"
              "\n"
              "\n"
              "  █ GROUP: other \n"
              "\n"
              "    NETWORK\n"
              "    data_received...: 20 B   10 B/s\n"
              "    data_sent.......: 1.5 kB 750 B/s\n"
              "\n")
        << text;
}

TEST_F(FullSummaryTest, TwoScenarios) {
    metrics::Engine engine(registry, tags);
    Sample batch[] = {
        {b.vus, tags.intern({}), 1, 2},
        {b.iterations, tag("writers", ""), 1, 1},
        {b.iterations, tag("readers", ""), 1, 1},
        {b.iterations, tag("readers", ""), 2, 1},
        {b.iterations, tag("default", ""), 2, 1},
        {b.ws_msgs_sent, tag("writers", ""), 1, 10},
        {b.ws_msgs_received, tag("readers", "::read"), 1, 7},
        {b.checks, tag("readers", "::read", "got data"), 1, 1},
        {b.ws_sessions, tag("readers", "::read"), 1, 1},
        {b.checks, tag("readers", "", "closed"), 1, 0},
    };
    engine.add(batch);
    std::string text = text_summary(summarize(engine));
    EXPECT_EQ(text, "\n"
                    "  █ TOTAL RESULTS \n"
                    "\n"
                    "    checks_total.......: 2      1/s\n"
                    "    checks_succeeded...: 50.00% 1 out of 2\n"
                    "    checks_failed......: 50.00% 1 out of 2\n"
                    "\n"
                    "    ✓ got data\n"
                    "    ✗ closed\n"
                    "      ↳  0% — ✓ 0 / ✗ 1\n"
                    "\n"
                    "    EXECUTION\n"
                    "    iterations.........: 4  2/s\n"
                    "    vus................: 2  min=2 max=2\n"
                    "\n"
                    "    WEBSOCKET\n"
                    "    ws_msgs_received...: 7  3.5/s\n"
                    "    ws_msgs_sent.......: 10 5/s\n"
                    "    ws_sessions........: 1  0.5/s\n"
                    "\n"
                    "\n"
                    "  █ SCENARIO: readers \n"
                    "\n"
                    "    checks_total.......: 2      1/s\n"
                    "    checks_succeeded...: 50.00% 1 out of 2\n"
                    "    checks_failed......: 50.00% 1 out of 2\n"
                    "\n"
                    "    ✓ got data\n"
                    "    ✗ closed\n"
                    "      ↳  0% — ✓ 0 / ✗ 1\n"
                    "\n"
                    "    EXECUTION\n"
                    "    iterations.........: 2 1/s\n"
                    "\n"
                    "    WEBSOCKET\n"
                    "    ws_msgs_received...: 7 3.5/s\n"
                    "    ws_sessions........: 1 0.5/s\n"
                    "\n"
                    "    ↳ GROUP: read \n"
                    "\n"
                    "      checks_total.......: 1       0.5/s\n"
                    "      checks_succeeded...: 100.00% 1 out of 1\n"
                    "      checks_failed......: 0.00%   0 out of 1\n"
                    "\n"
                    "      ✓ got data\n"
                    "\n"
                    "      WEBSOCKET\n"
                    "      ws_msgs_received...: 7 3.5/s\n"
                    "      ws_sessions........: 1 0.5/s\n"
                    "\n"
                    "\n"
                    "  █ SCENARIO: writers \n"
                    "\n"
                    "    EXECUTION\n"
                    "    iterations.....: 1  0.5/s\n"
                    "\n"
                    "    WEBSOCKET\n"
                    "    ws_msgs_sent...: 10 5/s\n"
                    "\n")
        << text;
}

TEST_F(FullSummaryTest, CompactModeHasNoSections) {
    metrics::Engine engine(registry, tags);
    Sample batch[] = {{b.iterations, tag("readers", "::read"), 1, 1}};
    engine.add(batch);
    Summary s = summarize(engine, "compact");
    EXPECT_TRUE(s.groups.empty());
    EXPECT_TRUE(s.scenarios.empty());
    EXPECT_EQ(text_summary(s).find("GROUP"), std::string::npos);
}

} // namespace
} // namespace volley::output
