// Engine::add_aggregate: the samples of a test split into parts, each part aggregated by (metric,
// tag set) elsewhere, give the figures of one engine fed every sample (volley merge).

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "metrics/engine.hpp"

namespace volley::metrics {
namespace {

constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

class AggregateMergeTest : public ::testing::Test {
protected:
    Registry registry;
    TagInterner tags;
    const Builtins& b = registry.builtins();
    MetricId latency = *registry.define("latency", MetricType::kTrend, ValueType::kTime, nullptr);

    // A deterministic value with a fractional part that is not a short decimal.
    static double value_of(int i) { return std::fmod(i * 7.31, 97.0) + i / 3.0; }

    // Samples 0..n-1 of `latency` with tag set `ts`, split into `parts` (round-robin), each
    // aggregated in a Sink with `budget`, then fed to `merged`; `whole` gets every sample.
    void feed(Engine& whole, Engine& merged, int n, int parts, std::size_t budget, TagSetId ts) {
        std::vector<Sink> sinks(static_cast<std::size_t>(parts), Sink(MetricType::kTrend, budget));
        std::vector<Sample> all;
        for (int i = 0; i < n; ++i) {
            all.push_back({latency, ts, i, value_of(i)});
            sinks[static_cast<std::size_t>(i % parts)].add(value_of(i), i);
        }
        whole.add(all);
        whole.process_pending();
        for (const auto& s : sinks) {
            merged.add_aggregate(latency, ts, s);
        }
    }
};

TEST_F(AggregateMergeTest, ExactPartsGiveExactlyTheWholeRunsTrend) {
    Engine whole(registry, tags);
    Engine merged(registry, tags, EngineOptions{.trend_exact_budget = kUnbounded});
    feed(whole, merged, 1000, 3, TrendValues::kDefaultExactBudget, 0);
    const auto w = whole.metric(latency)->trend();
    const auto m = merged.metric(latency)->trend();
    EXPECT_FALSE(m.approximate());
    EXPECT_EQ(m.count(), w.count());
    EXPECT_EQ(m.min(), w.min());
    EXPECT_EQ(m.max(), w.max());
    EXPECT_NEAR(m.avg(), w.avg(), 1e-12 * w.avg()); // sums added in another order
    for (double p : {0.0, 50.0, 90.0, 95.0, 99.9, 100.0}) {
        EXPECT_EQ(m.percentile(p), w.percentile(p)) << "p(" << p << ")";
    }
}

TEST_F(AggregateMergeTest, PartPastItsBudgetMergesAsHistogram) {
    Engine whole(registry, tags); // 3000 values: exact in one process
    Engine merged(registry, tags, EngineOptions{.trend_exact_budget = kUnbounded});
    feed(whole, merged, 3000, 3, 500, 0); // each part (1000 values) folded past 500
    const auto w = whole.metric(latency)->trend();
    const auto m = merged.metric(latency)->trend();
    ASSERT_FALSE(w.approximate());
    EXPECT_TRUE(m.approximate());
    EXPECT_EQ(m.count(), 3000u);
    EXPECT_EQ(m.min(), w.min());
    EXPECT_EQ(m.max(), w.max());
    EXPECT_NEAR(m.avg(), w.avg(), 1e-12 * w.avg());
    for (double p : {50.0, 90.0, 95.0}) {
        EXPECT_NEAR(m.percentile(p), w.percentile(p),
                    LogLinearHistogram::kMaxRelativeError * w.percentile(p))
            << "p(" << p << ")";
    }
}

TEST_F(AggregateMergeTest, CountersRatesGaugesChecksAndSubmetricsAddUp) {
    TagSetId ok = tags.intern({{"check", "ok"}, {"group", "::g"}});
    TagSetId room = tags.intern({{"room", "a"}});
    Engine merged(registry, tags);
    SubmetricId sub = merged.add_submetric(b.iterations, {{"room", "a"}});
    Sink c1(MetricType::kCounter), c2(MetricType::kCounter);
    c1.add(3, 1), c1.add(4, 2), c2.add(5, 3);
    merged.add_aggregate(b.iterations, room, c1);
    merged.add_aggregate(b.iterations, 0, c2);
    Sink r1(MetricType::kRate), r2(MetricType::kRate);
    r1.add(1, 1), r1.add(0, 2), r2.add(1, 3), r2.add(1, 4);
    merged.add_aggregate(b.checks, ok, r1);
    merged.add_aggregate(b.checks, ok, r2);
    Sink g1(MetricType::kGauge), g2(MetricType::kGauge);
    g1.add(7, 100), g1.add(2, 50), g2.add(-1, 80), g2.add(5, 90);
    merged.add_aggregate(b.vus, 0, g2);
    merged.add_aggregate(b.vus, 0, g1);

    EXPECT_EQ(merged.metric(b.iterations)->counter().sum, 12);
    EXPECT_EQ(merged.submetric(sub).counter().sum, 7);
    EXPECT_EQ(merged.metric(b.checks)->rate().trues, 3u);
    EXPECT_EQ(merged.metric(b.checks)->rate().total, 4u);
    ASSERT_EQ(merged.checks().size(), 1u);
    EXPECT_EQ(merged.checks()[0].passes, 3u);
    EXPECT_EQ(merged.checks()[0].fails, 1u);
    EXPECT_EQ(merged.groups(), std::vector<std::string>{"::g"});
    const auto g = merged.metric(b.vus)->gauge();
    EXPECT_EQ(g.value, 7); // the latest sample (t=100), whichever part came first
    EXPECT_EQ(g.min, -1);
    EXPECT_EQ(g.max, 7);
    EXPECT_EQ(merged.samples_aggregated(), 3u + 4u + 4u);
}

} // namespace
} // namespace volley::metrics
