// The executors in execution segments, against k6 v1.6.1's tables (lib/executor/*_test.go) and
// the property that matters for a distributed test: the segments of a sequence together do
// exactly what the whole test does.

#include <algorithm>

#include <gtest/gtest.h>

#include "exec/constant_arrival_rate.hpp"
#include "exec/constant_vus.hpp"
#include "exec/per_vu_iterations.hpp"
#include "exec/ramping_arrival_rate.hpp"
#include "exec/ramping_vus.hpp"
#include "exec/run_snapshot.hpp"
#include "exec/scenario_run.hpp"
#include "exec/shared_iterations.hpp"
#include "unit/exec/policies.hpp"

namespace volley::exec {
namespace {

using namespace std::chrono_literals;
using config::ExecutionTuple;
using config::ExecutorType;
using config::ScenarioConfig;
using config::Segment;
using config::SegmentSequence;
using config::Stage;

constexpr const char* kThirds = "0,1/3,2/3,1";

ExecutionTuple tuple(std::string_view segment, std::string_view sequence = "") {
    return {Segment::parse(segment), SegmentSequence::parse(sequence)};
}

std::vector<ExecutionTuple> all_of(std::string_view sequence) {
    std::vector<ExecutionTuple> out;
    auto seq = SegmentSequence::parse(sequence);
    for (const auto& s : seq.segments()) {
        out.emplace_back(s, seq);
    }
    return out;
}

using testing::all_starts;
using testing::make;

std::vector<VuStep> steps(std::initializer_list<std::pair<int, std::uint64_t>> list) {
    std::vector<VuStep> out;
    for (auto [s, vus] : list) {
        out.push_back({std::chrono::seconds(s), vus});
    }
    return out;
}

// k6's TestRampingVUsExecutionTupleTests stages.
std::vector<Stage> k6_stages() {
    std::vector<std::pair<int, std::int64_t>> raw = {{2, 6}, {5, 1}, {4, 5}, {4, 1}, {3, 4},
                                                     {2, 4}, {0, 1}, {3, 1}, {0, 5}, {3, 5},
                                                     {0, 0}, {2, 2}, {2, 0}, {4, 4}};
    std::vector<Stage> out;
    for (auto [d, target] : raw) {
        out.push_back({std::chrono::seconds(d), target});
    }
    return out;
}

TEST(SegmentedRampingVus, StepsAsK6) {
    auto stages = k6_stages();
    EXPECT_EQ(ramping_vus_steps(4, stages, tuple("0:1/3", kThirds).stripe()), steps({{0, 2},
                                                                                     {5, 1},
                                                                                     {10, 2},
                                                                                     {13, 1},
                                                                                     {18, 2},
                                                                                     {20, 1},
                                                                                     {23, 2},
                                                                                     {26, 0},
                                                                                     {27, 1},
                                                                                     {30, 0},
                                                                                     {31, 1},
                                                                                     {34, 2}}));
    EXPECT_EQ(ramping_vus_steps(4, stages, tuple("2/3:1", kThirds).stripe()), steps({{0, 1},
                                                                                     {2, 2},
                                                                                     {3, 1},
                                                                                     {6, 0},
                                                                                     {9, 1},
                                                                                     {14, 0},
                                                                                     {17, 1},
                                                                                     {20, 0},
                                                                                     {23, 1},
                                                                                     {26, 0},
                                                                                     {33, 1}}));
    auto alone = steps({{0, 1},
                        {1, 2},
                        {4, 1},
                        {7, 0},
                        {8, 1},
                        {11, 2},
                        {12, 1},
                        {15, 0},
                        {16, 1},
                        {20, 0},
                        {23, 2},
                        {26, 0},
                        {28, 1},
                        {29, 0},
                        {32, 1}});
    EXPECT_EQ(ramping_vus_steps(4, stages, tuple("0:1/3").stripe()), alone);
    EXPECT_EQ(ramping_vus_steps(4, stages, tuple("0:1/3", "0,1/3,1").stripe()), alone);
    EXPECT_EQ(ramping_vus_steps(4, stages, tuple("1/3:2/3").stripe()), alone);
}

// At every instant the segments' planned VUs add up to the whole test's.
TEST(SegmentedRampingVus, SegmentsAddUpToTheWhole) {
    auto sc = make(ExecutorType::kRampingVus);
    sc.start_vus = 4;
    sc.stages = k6_stages();
    RampingVus whole(sc);
    std::vector<std::unique_ptr<RampingVus>> parts;
    for (const auto& t : all_of(kThirds)) {
        parts.push_back(std::make_unique<RampingVus>(sc, t));
    }
    for (Duration t{0}; t < whole.regular_duration(); t += 250ms) {
        std::uint64_t sum = 0;
        for (const auto& p : parts) {
            sum += p->active_vus(t);
        }
        EXPECT_EQ(sum, whole.active_vus(t)) << t.count();
    }
}

// k6's TestConstantArrivalRateRunCorrectTiming: 50 per second, maxVUs 20.
TEST(SegmentedConstantArrivalRate, TimingAsK6) {
    auto sc = make(ExecutorType::kConstantArrivalRate);
    sc.rate = 50;
    sc.duration = 2s;
    sc.pre_allocated_vus = 10;
    sc.max_vus = 20;
    auto check = [&](const ExecutionTuple& t, Duration first, std::vector<int> gaps_ms) {
        ConstantArrivalRate s(sc, t);
        auto starts = all_starts(s);
        ASSERT_GE(starts.size(), gaps_ms.size() + 1);
        EXPECT_EQ(starts[0], first) << t.segment().str();
        for (std::size_t i = 1; i < starts.size(); ++i) {
            EXPECT_EQ(starts[i] - starts[i - 1],
                      std::chrono::milliseconds(gaps_ms[(i - 1) % gaps_ms.size()]))
                << t.segment().str() << " start " << i;
        }
    };
    check(tuple("0:1/3"), 20ms, {40, 60, 60, 60, 60, 60, 60});
    check(tuple("1/3:2/3"), 20ms, {60, 60, 60, 60, 60, 60, 40});
    check(tuple("2/3:1"), 20ms, {40, 60, 60, 60, 60, 60, 60});
    check(tuple("1/6:3/6"), 20ms, {40, 80, 40, 80, 40, 80, 40});
    check(tuple("1/6:3/6", "1/6,3/6"), 20ms, {40, 80, 40, 80, 40, 80, 40});
    check(tuple("0:1/3", kThirds), 0ms, {60, 60, 60, 60, 60, 60, 40});
    check(tuple("1/3:2/3", kThirds), 20ms, {60, 60, 60, 60, 60, 60, 40});
    check(tuple("2/3:1", kThirds), 40ms, {60, 60, 60, 60, 60, 100});
}

// The segments' arrivals are a partition of the whole test's, for both arrival-rate executors.
TEST(SegmentedArrivalRate, SegmentsPartitionTheWhole) {
    auto constant = make(ExecutorType::kConstantArrivalRate);
    constant.rate = 37;
    constant.duration = 3s;
    constant.pre_allocated_vus = 5;
    constant.max_vus = 7;
    auto ramping = make(ExecutorType::kRampingArrivalRate);
    ramping.start_rate = 3;
    ramping.stages = {{2s, 40}, {1s, 40}, {2s, 0}};
    ramping.pre_allocated_vus = 4;
    ramping.max_vus = 11;
    for (const auto* sc : {&constant, &ramping}) {
        auto whole_schedule = make_arrival_schedule(*sc);
        auto whole = all_starts(*whole_schedule);
        for (const char* seq : {kThirds, "0,1/4,1/2,1", "0,0.3,0.5,0.6,0.7,0.8,0.9,1"}) {
            std::vector<Duration> merged;
            std::uint64_t vus = 0;
            for (const auto& t : all_of(seq)) {
                auto part = make_arrival_schedule(*sc, t);
                vus += part->max_vus();
                if (!part->has_work()) {
                    continue; // k6 does not run it
                }
                auto starts = all_starts(*part);
                // Each start's test-wide number is where it sits in the whole schedule.
                for (std::size_t i = 0; i < starts.size(); ++i) {
                    auto global = part->iteration_stripe().global(i);
                    ASSERT_LT(global, whole.size());
                    EXPECT_EQ(starts[i], whole[global]) << seq << " " << t.segment().str();
                }
                merged.insert(merged.end(), starts.begin(), starts.end());
            }
            std::sort(merged.begin(), merged.end());
            EXPECT_EQ(merged, whole) << config::executor_name(sc->executor) << " " << seq;
            EXPECT_EQ(vus, whole_schedule->max_vus()) << seq;
        }
    }
}

// k6's TestRampingArrivalRateCal: a third of the test starts the 2nd and 5th iterations.
TEST(SegmentedRampingArrivalRate, CalAsK6) {
    auto sc = make(ExecutorType::kRampingArrivalRate);
    sc.start_rate = 0;
    sc.stages = {{5s, 1}, {1s, 1}, {5s, 0}};
    sc.pre_allocated_vus = 3;
    sc.max_vus = 3;
    for (const auto& t :
         {tuple("0:1/3"), tuple("0:1/3", "0,1/3,1"), tuple("1/3:2/3"), tuple("2/3:1")}) {
        RampingArrivalRate s(sc, t);
        auto starts = all_starts(s);
        ASSERT_EQ(starts.size(), 2U) << t.segment().str();
        EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(starts[0]), 4472ms);
        EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(starts[1]), 7837ms);
    }
}

TEST(SegmentedLoopingExecutors, SharesAddUpToTheWhole) {
    auto shared = make(ExecutorType::kSharedIterations);
    shared.vus = 5;
    shared.iterations = 20;
    auto per_vu = make(ExecutorType::kPerVuIterations);
    per_vu.vus = 4;
    per_vu.iterations = 2;
    auto constant = make(ExecutorType::kConstantVus);
    constant.vus = 3;
    constant.duration = 1s;
    // k6 v1.6.1's banner for the thirds: 8+8+4 iterations over 2+2+1 VUs; 2+1+1 VUs each
    // running 2; 1+1+1 constant VUs.
    std::vector<std::uint64_t> shared_its, shared_vus, per_vu_vus, constant_vus;
    for (const auto& t : all_of(kThirds)) {
        auto s = plan_scenario(shared, t);
        shared_its.push_back(s.total_iterations);
        shared_vus.push_back(s.vus);
        per_vu_vus.push_back(plan_scenario(per_vu, t).vus);
        constant_vus.push_back(plan_scenario(constant, t).vus);
    }
    using V = std::vector<std::uint64_t>;
    EXPECT_EQ(shared_its, (V{8, 8, 4}));
    EXPECT_EQ(shared_vus, (V{2, 2, 1}));
    EXPECT_EQ(per_vu_vus, (V{2, 1, 1}));
    EXPECT_EQ(constant_vus, (V{1, 1, 1}));
}

// Shared iterations are numbered in the test as k6 numbers them (TestSharedIterations'
// iterationInTest): the segment of 2 of 5 VUs takes 0, 3, 5, 8, ...
TEST(SegmentedLoopingExecutors, SharedIterationNumbersInTheTest) {
    auto sc = make(ExecutorType::kSharedIterations);
    sc.vus = 5;
    sc.iterations = 20;
    std::vector<std::uint64_t> all;
    for (const auto& t : all_of(kThirds)) {
        SharedIterations p(sc, t);
        std::vector<std::uint64_t> mine;
        while (auto n = p.claim(0, 0, 0s)) {
            mine.push_back(p.iteration_stripe().global(*n));
        }
        if (t.index() == 0) {
            EXPECT_EQ(mine, (std::vector<std::uint64_t>{0, 3, 5, 8, 10, 13, 15, 18}));
        }
        all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    for (std::uint64_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i], i);
    }
    EXPECT_EQ(all.size(), 20U);
}

TEST(SegmentedLoopingExecutors, NoWorkInASegment) {
    auto sc = make(ExecutorType::kSharedIterations);
    sc.vus = 2;
    sc.iterations = 10;
    EXPECT_FALSE(plan_scenario(sc, tuple("2/3:1", kThirds)).has_work);
    EXPECT_TRUE(plan_scenario(sc, tuple("0:1/3", kThirds)).has_work);
    auto arrival = make(ExecutorType::kConstantArrivalRate);
    arrival.rate = 10;
    arrival.duration = 1s;
    arrival.pre_allocated_vus = 1;
    arrival.max_vus = 1;
    EXPECT_FALSE(plan_scenario(arrival, tuple("1/3:2/3", kThirds)).has_work);
    EXPECT_EQ(planned_vus({sc, arrival}, tuple("2/3:1", kThirds)), 0U);
}

} // namespace
} // namespace volley::exec
