// The scheduling policies, exactly, on virtual time (style.md rule 24).

#include <gtest/gtest.h>

#include "exec/constant_arrival_rate.hpp"
#include "exec/constant_vus.hpp"
#include "exec/per_vu_iterations.hpp"
#include "exec/ramping_arrival_rate.hpp"
#include "exec/ramping_vus.hpp"
#include "exec/scenario_run.hpp"
#include "exec/shared_iterations.hpp"
#include "unit/exec/policies.hpp"

namespace volley::exec {
namespace {

using namespace std::chrono_literals;
using config::ExecutorType;
using config::ScenarioConfig;
using config::Stage;

using testing::all_starts;
using testing::make;

TEST(SharedIterations, HandsOutEachIterationOnceUntilExhaustedOrMaxDuration) {
    auto sc = make(ExecutorType::kSharedIterations);
    sc.vus = 2;
    sc.iterations = 3;
    sc.max_duration = 10s;
    SharedIterations p(sc);
    EXPECT_EQ(p.max_vus(), 2u);
    EXPECT_EQ(p.active_vus(0s), 2u);
    EXPECT_EQ(p.active_vus(10s), 0u);
    EXPECT_EQ(p.claim(0, 0, 0s), 0u);
    EXPECT_EQ(p.claim(1, 0, 1s), 1u);
    EXPECT_EQ(p.claim(2, 0, 1s), std::nullopt); // no such VU
    EXPECT_EQ(p.claim(0, 1, 2s), 2u);
    EXPECT_EQ(p.claim(1, 1, 2s), std::nullopt);
    EXPECT_EQ(p.claim(0, 2, 2s), std::nullopt);

    SharedIterations late(sc);
    EXPECT_EQ(late.claim(0, 0, 10s), std::nullopt);
    EXPECT_EQ(late.claim(0, 0, 9s), 0u); // nothing was used up by the refused claim
}

TEST(PerVuIterations, EachVuRunsItsOwnCount) {
    auto sc = make(ExecutorType::kPerVuIterations);
    sc.vus = 2;
    sc.iterations = 2;
    sc.max_duration = 1min;
    PerVuIterations p(sc);
    EXPECT_EQ(p.claim(0, 0, 0s), 0u);
    EXPECT_EQ(p.claim(1, 0, 0s), 1u);
    EXPECT_EQ(p.claim(0, 1, 0s), 2u);
    EXPECT_EQ(p.claim(0, 2, 0s), std::nullopt);
    EXPECT_EQ(p.claim(1, 1, 1min), std::nullopt);
    EXPECT_EQ(p.claim(2, 0, 0s), std::nullopt);
    EXPECT_EQ(p.regular_duration(), 1min);
}

TEST(ConstantVus, LoopsUntilTheDuration) {
    auto sc = make(ExecutorType::kConstantVus);
    sc.vus = 3;
    sc.duration = 30s;
    ConstantVus p(sc);
    EXPECT_EQ(p.max_vus(), 3u);
    EXPECT_EQ(p.claim(2, 100, 29999ms), 0u);
    EXPECT_EQ(p.claim(2, 101, 30s), std::nullopt);
    EXPECT_EQ(p.claim(3, 0, 0s), std::nullopt);
    EXPECT_EQ(p.active_vus(30s), 0u);
    EXPECT_EQ(p.next_change(0s), std::nullopt);
}

TEST(RampingVus, StepsFollowK6RawExecutionSteps) {
    auto steps = ramping_vus_steps(0, {{10s, 10}, {10s, 10}, {5s, 0}});
    std::vector<VuStep> want{{0s, 0}};
    for (int k = 1; k <= 10; ++k) {
        want.push_back({std::chrono::seconds(k), static_cast<std::uint64_t>(k)});
    }
    // Down from 10 over [20s, 25s]: to u-1 at 25s - 5s*(u-1)/10.
    want.push_back({20500ms, 9});
    for (int u = 9; u >= 1; --u) {
        want.push_back({25s - 500ms * (u - 1), static_cast<std::uint64_t>(u - 1)});
    }
    EXPECT_EQ(steps, want);
}

TEST(RampingVus, ZeroLengthStagesJumpAndEqualTargetsMerge) {
    auto steps = ramping_vus_steps(1, {{0s, 5}, {10s, 5}, {0s, 2}});
    EXPECT_EQ(steps, (std::vector<VuStep>{{0s, 1}, {0s, 5}, {10s, 2}}));
    auto uneven = ramping_vus_steps(0, {{1s, 3}});
    EXPECT_EQ(uneven, (std::vector<VuStep>{{0s, 0}, {333333334ns, 1}, {666666667ns, 2}, {1s, 3}}));
}

TEST(RampingVus, ActiveAndGracefulCountsOverTime) {
    auto sc = make(ExecutorType::kRampingVus);
    sc.start_vus = 0;
    sc.stages = {{10s, 10}, {10s, 10}, {5s, 0}};
    sc.graceful_ramp_down = 2s;
    sc.graceful_stop = 30s;
    RampingVus p(sc);
    EXPECT_EQ(p.max_vus(), 10u);
    EXPECT_EQ(p.regular_duration(), 25s);
    EXPECT_EQ(p.active_vus(0s), 0u);
    EXPECT_EQ(p.active_vus(999ms), 0u);
    EXPECT_EQ(p.active_vus(1s), 1u);
    EXPECT_EQ(p.active_vus(5500ms), 5u);
    EXPECT_EQ(p.active_vus(20499ms), 10u);
    EXPECT_EQ(p.active_vus(20500ms), 9u);
    EXPECT_EQ(p.active_vus(24999ms), 1u);
    EXPECT_EQ(p.active_vus(25s), 0u);
    // A VU ramped down at 20.5s may finish its iteration until 22.5s.
    EXPECT_EQ(p.graceful_vus(22499ms), 10u);
    EXPECT_EQ(p.graceful_vus(22500ms), 9u);
    EXPECT_EQ(p.graceful_vus(26999ms), 1u);
    EXPECT_EQ(p.graceful_vus(27s), 0u);
    EXPECT_EQ(p.next_change(0s), 1s);
    EXPECT_EQ(p.next_change(20s), 20500ms);
    EXPECT_EQ(p.next_change(22s), 22500ms);
    EXPECT_EQ(p.claim(0, 0, 999ms), std::nullopt);
    EXPECT_EQ(p.claim(0, 0, 1s), 0u);
    EXPECT_EQ(p.claim(9, 0, 20500ms), std::nullopt);
    EXPECT_EQ(p.claim(8, 0, 20500ms), 1u);
}

TEST(RampingVus, VusStillActiveAtTheEndGetGracefulStop) {
    auto sc = make(ExecutorType::kRampingVus);
    sc.start_vus = 2;
    sc.stages = {{10s, 2}};
    sc.graceful_ramp_down = 1s;
    sc.graceful_stop = 5s;
    RampingVus p(sc);
    EXPECT_EQ(p.active_vus(10s), 0u);
    EXPECT_EQ(p.graceful_vus(14999ms), 2u);
    EXPECT_EQ(p.graceful_vus(15s), 0u);
    EXPECT_EQ(p.next_change(10s), 15s); // the end of gracefulStop
}

TEST(ConstantArrivalRate, StartsOnATruncatedPeriodFromZero) {
    auto sc = make(ExecutorType::kConstantArrivalRate);
    sc.rate = 2;
    sc.duration = 2s;
    ConstantArrivalRate p(sc);
    EXPECT_EQ(all_starts(p), (std::vector<Duration>{0s, 500ms, 1s, 1500ms}));

    sc.rate = 3;
    sc.duration = 1s;
    ConstantArrivalRate thirds(sc);
    EXPECT_EQ(thirds.period(), 333333333ns);
    EXPECT_EQ(all_starts(thirds),
              (std::vector<Duration>{0ns, 333333333ns, 666666666ns, 999999999ns}));

    sc.rate = 30;
    sc.time_unit = 1min;
    sc.duration = 5s;
    ConstantArrivalRate per_minute(sc);
    EXPECT_EQ(all_starts(per_minute), (std::vector<Duration>{0s, 2s, 4s}));
}

TEST(RampingArrivalRate, ConstantStageStartsAfterOnePeriod) {
    auto sc = make(ExecutorType::kRampingArrivalRate);
    sc.start_rate = 5;
    sc.stages = {{2s, 5}};
    RampingArrivalRate p(sc);
    auto starts = all_starts(p);
    ASSERT_EQ(starts.size(), 10u);
    for (std::size_t i = 0; i < starts.size(); ++i) {
        EXPECT_EQ(starts[i], 200ms * static_cast<int>(i + 1)) << i;
    }
    EXPECT_EQ(p.regular_duration(), 2s);
}

TEST(RampingArrivalRate, LinearRampStartsWhereTheAreaReachesEachIteration) {
    auto sc = make(ExecutorType::kRampingArrivalRate);
    sc.start_rate = 0;
    sc.stages = {{10s, 10}, {5s, 0}, {5s, 0}};
    RampingArrivalRate p(sc);
    auto starts = all_starts(p);
    // Area t^2/2 over the first 10 s (50 iterations), then 25 more while ramping down.
    ASSERT_EQ(starts.size(), 75u);
    for (int i = 1; i <= 50; ++i) {
        double want = std::sqrt(2.0 * i) * 1e9;
        EXPECT_NEAR(static_cast<double>(starts[i - 1].count()), want, 2) << i;
    }
    EXPECT_LE(starts.back(), 15s);
    EXPECT_TRUE(std::is_sorted(starts.begin(), starts.end()));
}

TEST(ArrivalSchedule, MaxVusNeverBelowPreAllocated) {
    auto sc = make(ExecutorType::kConstantArrivalRate);
    sc.rate = 1;
    sc.pre_allocated_vus = 4;
    sc.max_vus = 0;
    auto s = make_arrival_schedule(sc);
    EXPECT_EQ(s->pre_allocated_vus(), 4u);
    EXPECT_EQ(s->max_vus(), 4u);
    sc.max_vus = 9;
    EXPECT_EQ(make_arrival_schedule(sc)->max_vus(), 9u);
    EXPECT_EQ(make_looping_executor(sc), nullptr);
    EXPECT_EQ(make_arrival_schedule(make(ExecutorType::kConstantVus)), nullptr);
}

TEST(PlannedVus, OverlappingScenariosAddUpSequentialOnesShare) {
    auto a = make(ExecutorType::kPerVuIterations);
    a.vus = 3;
    a.max_duration = 10min;
    auto b = make(ExecutorType::kConstantVus);
    b.vus = 2;
    b.duration = 1min;
    b.start_time = 5min;
    EXPECT_EQ(planned_vus({a, b}), 5u);
    b.start_time = 10min + 30s; // a ends (maxDuration + gracefulStop) exactly then
    EXPECT_EQ(planned_vus({a, b}), 3u);
    auto c = make(ExecutorType::kConstantArrivalRate);
    c.rate = 1;
    c.duration = 1min;
    c.pre_allocated_vus = 7;
    c.max_vus = 20;
    EXPECT_EQ(planned_vus({c}), 7u);
    EXPECT_EQ(planned_vus({}), 0u);
}

} // namespace
} // namespace volley::exec
