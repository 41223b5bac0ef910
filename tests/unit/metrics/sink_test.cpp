#include <gtest/gtest.h>

#include "metrics/sink.hpp"

namespace volley::metrics {
namespace {

TEST(CounterSink, SumsAndRatesOverDuration) {
    CounterSink c;
    c.add(3);
    c.add(4);
    EXPECT_EQ(c.sum, 7);
    EXPECT_EQ(c.samples, 2u);
    EXPECT_DOUBLE_EQ(c.rate(2.0), 3.5);
    CounterSink other;
    other.add(-1); // k6 does not validate signs
    c.merge(other);
    EXPECT_EQ(c.sum, 6);
    EXPECT_EQ(c.samples, 3u);
}

TEST(GaugeSink, KeepsLastValueMinAndMax) {
    GaugeSink g;
    g.add(5, 10);
    g.add(2, 20);
    g.add(9, 30);
    g.add(7, 40);
    EXPECT_EQ(g.value, 7);
    EXPECT_EQ(g.min, 2);
    EXPECT_EQ(g.max, 9);
}

TEST(GaugeSink, MaxStartsAtZeroLikeK6) {
    GaugeSink g;
    g.add(-5, 1);
    g.add(-3, 2);
    EXPECT_EQ(g.value, -3);
    EXPECT_EQ(g.min, -5);
    EXPECT_EQ(g.max, 0); // k6-behaviour.md Q20
}

TEST(GaugeSink, MergeTakesTheLaterValue) {
    GaugeSink a;
    GaugeSink b;
    a.add(1, 100);
    b.add(4, 50);
    b.add(-2, 60);
    GaugeSink ab = a;
    ab.merge(b);
    EXPECT_EQ(ab.value, 1);
    EXPECT_EQ(ab.min, -2);
    EXPECT_EQ(ab.max, 4);
    EXPECT_EQ(ab.samples, 3u);
    GaugeSink ba = b;
    ba.merge(a);
    EXPECT_EQ(ba.value, 1);
    GaugeSink empty;
    empty.merge(b);
    EXPECT_EQ(empty.min, -2);
    EXPECT_EQ(empty.value, -2);
    b.merge(GaugeSink{});
    EXPECT_EQ(b.samples, 2u);
}

TEST(RateSink, FractionOfNonZero) {
    RateSink r;
    EXPECT_EQ(r.value(), 0);
    r.add(1);
    r.add(0);
    r.add(0.5);
    r.add(-1);
    EXPECT_EQ(r.trues, 3u);
    EXPECT_EQ(r.fails(), 1u);
    EXPECT_DOUBLE_EQ(r.value(), 0.75);
    RateSink o;
    o.add(0);
    r.merge(o);
    EXPECT_EQ(r.total, 5u);
    EXPECT_DOUBLE_EQ(r.value(), 0.6);
}

TEST(TrendSink, K6StatsAndInterpolation) {
    TrendSink t;
    EXPECT_EQ(t.percentile(95), 0);
    EXPECT_EQ(t.avg(), 0);
    for (double v : {10.0, 40.0, 20.0, 30.0}) {
        t.add(v);
    }
    EXPECT_EQ(t.count(), 4u);
    EXPECT_EQ(t.min(), 10);
    EXPECT_EQ(t.max(), 40);
    EXPECT_EQ(t.avg(), 25);
    EXPECT_EQ(t.med(), 25);                 // index 1.5
    EXPECT_DOUBLE_EQ(t.percentile(90), 37); // index 2.7 -> 30 + 10*0.7
    EXPECT_EQ(t.percentile(0), 10);
    EXPECT_EQ(t.percentile(100), 40);
    EXPECT_FALSE(t.approximate());
}

TEST(TrendSink, SingleValueIsEveryPercentile) {
    TrendSink t;
    t.add(-3.5);
    EXPECT_EQ(t.percentile(1), -3.5);
    EXPECT_EQ(t.med(), -3.5);
    EXPECT_EQ(t.min(), -3.5);
    EXPECT_EQ(t.max(), -3.5);
}

TEST(TrendSink, MergeCombinesStats) {
    TrendSink a;
    TrendSink b;
    a.add(1);
    a.add(2);
    b.add(3);
    b.add(-4);
    a.merge(b);
    EXPECT_EQ(a.count(), 4u);
    EXPECT_EQ(a.min(), -4);
    EXPECT_EQ(a.max(), 3);
    EXPECT_EQ(a.sum(), 2);
    EXPECT_EQ(a.med(), 1.5);
    TrendSink empty;
    empty.merge(a);
    EXPECT_EQ(empty.min(), -4);
    a.merge(TrendSink{});
    EXPECT_EQ(a.count(), 4u);
}

TEST(TrendSink, BecomesApproximatePastBudget) {
    TrendSink t(10);
    for (int i = 1; i <= 11; ++i) {
        t.add(i);
    }
    EXPECT_TRUE(t.approximate());
    EXPECT_EQ(t.min(), 1);
    EXPECT_EQ(t.max(), 11);
    EXPECT_NEAR(t.med(), 6, 6 * 0.004);
}

TEST(Sink, DispatchesByType) {
    Sink c(MetricType::kCounter);
    Sink g(MetricType::kGauge);
    Sink r(MetricType::kRate);
    Sink t(MetricType::kTrend);
    for (Sink* s : {&c, &g, &r, &t}) {
        s->add(2, 1);
        s->add(0, 2);
        EXPECT_EQ(s->samples(), 2u);
    }
    EXPECT_EQ(c.type(), MetricType::kCounter);
    EXPECT_EQ(c.counter().sum, 2);
    EXPECT_EQ(g.gauge().value, 0);
    EXPECT_EQ(r.rate().trues, 1u);
    EXPECT_EQ(t.trend().max(), 2);
    Sink t2(MetricType::kTrend);
    t2.add(5, 3);
    t.merge(t2);
    EXPECT_EQ(t.trend().count(), 3u);
    EXPECT_EQ(t.type(), MetricType::kTrend);
}

TEST(SinkDeathTest, WrongAccessorOrMergeAborts) {
    Sink c(MetricType::kCounter);
    Sink t(MetricType::kTrend);
    EXPECT_DEATH((void)c.trend(), "check failed");
    EXPECT_DEATH(c.merge(t), "check failed");
}

} // namespace
} // namespace volley::metrics
