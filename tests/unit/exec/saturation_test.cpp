// judge_saturation and saturation_line (exec/saturation.hpp): which stretches of a run count as
// saturated, their union across workers, the window, and the line.

#include <gtest/gtest.h>

#include "exec/saturation.hpp"

namespace volley::exec {
namespace {

constexpr std::int64_t kS = 1'000'000'000;

LoadTick tick(double begin_s, double end_s, double cpu, double lag_ms = 0) {
    return {static_cast<std::int64_t>(begin_s * kS), static_cast<std::int64_t>(end_s * kS), cpu,
            lag_ms};
}

TEST(Saturation, QuietWorkersAreNotSaturated) {
    auto s =
        judge_saturation({{tick(0, 1, 0.2, 1), tick(1, 2, 0.5, 3)}, {tick(0, 1, 0.1)}}, 0, 2 * kS);
    EXPECT_FALSE(s.saturated());
    EXPECT_EQ(s.saturated_s, 0);
    EXPECT_EQ(saturation_line(s), "");
}

TEST(Saturation, HighCpuSaturatesTheWholeInterval) {
    auto s = judge_saturation({{tick(0, 1, 0.2), tick(1, 2, 0.95), tick(2, 3, 0.3)}}, 0, 4 * kS);
    EXPECT_TRUE(s.saturated());
    EXPECT_DOUBLE_EQ(s.saturated_s, 1);
    EXPECT_DOUBLE_EQ(s.window_s, 4);
    EXPECT_DOUBLE_EQ(s.first_s, 1);
    EXPECT_DOUBLE_EQ(s.last_s, 2);
    EXPECT_EQ(s.workers, std::vector<std::size_t>{1});
    EXPECT_EQ(saturation_line(s),
              "volley was saturated for 1.0s of 4.0s (25%), from 1.0s to 2.0s: worker 1 of 1 "
              "(CPU up to 95%, event loop up to 0.00s late); the server's figures in that time "
              "are understated");
}

TEST(Saturation, LagSaturatesTheTimeTheTimerWaited) {
    // A timer due at 1 s ran at 2.5 s: 1.5 s late, while the thread was off CPU.
    auto s = judge_saturation({{tick(0, 2.5, 0.1, 1500)}}, 0, 3 * kS);
    EXPECT_DOUBLE_EQ(s.saturated_s, 1.5);
    EXPECT_DOUBLE_EQ(s.first_s, 1);
    EXPECT_DOUBLE_EQ(s.max_lag_ms, 1500);
}

TEST(Saturation, BelowTheBoundsIsQuiet) {
    auto s = judge_saturation({{tick(0, 1, 0.89, 99)}}, 0, kS);
    EXPECT_EQ(s.saturated_s, 0);
}

TEST(Saturation, WorkersOverlapOnceAndAreNamed) {
    auto s = judge_saturation(
        {{tick(0, 1, 0.2), tick(1, 2, 1.0)}, {tick(0, 1, 0.2), tick(1, 2, 0.99), tick(2, 3, 0.97)}},
        0, 4 * kS);
    EXPECT_DOUBLE_EQ(s.saturated_s, 2); // [1, 2] counted once, then [2, 3]
    EXPECT_EQ(s.workers, (std::vector<std::size_t>{1, 2}));
    EXPECT_NE(saturation_line(s).find("workers 1, 2 of 2"), std::string::npos);
}

TEST(Saturation, OnlyTheWindowCounts) {
    // Saturated during init (before the first scenario) and after the window: not reported.
    auto s = judge_saturation({{tick(0, 1, 1.0), tick(1, 2, 0.1), tick(2, 3, 1.0)}}, kS, 2 * kS);
    EXPECT_EQ(s.saturated_s, 0);
    auto partly = judge_saturation({{tick(0, 2, 1.0)}}, kS, 3 * kS);
    EXPECT_DOUBLE_EQ(partly.saturated_s, 1);
    EXPECT_DOUBLE_EQ(partly.first_s, 0);
}

TEST(Saturation, ShortIntervalsAndBlipsAreNotReported) {
    // The last, partial interval of 10 ms at full CPU: its share is not judged.
    auto s = judge_saturation({{tick(0, 1, 0.1), tick(1, 1.01, 1.0)}}, 0, 2 * kS);
    EXPECT_EQ(s.saturated_s, 0);
    // One 200 ms pause is saturated time, but below the reporting bound.
    auto blip = judge_saturation({{tick(0, 1.2, 0.2, 200)}}, 0, 2 * kS);
    EXPECT_DOUBLE_EQ(blip.saturated_s, 0.2);
    EXPECT_FALSE(blip.saturated());
    EXPECT_EQ(saturation_line(blip), "");
}

} // namespace
} // namespace volley::exec
