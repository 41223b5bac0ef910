#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "exec/scheduler.hpp"
#include "metrics/registry.hpp"
#include "unit/exec/fakes.hpp"

namespace volley::exec {
namespace {

using namespace std::chrono_literals;
using testing::CaptureSink;
using testing::FakeRunner;
using testing::IterationBehaviour;
using testing::IterationRecord;

config::ScenarioConfig scenario(std::string name, config::ExecutorType type) {
    config::ScenarioConfig sc;
    sc.name = std::move(name);
    sc.executor = type;
    return sc;
}

// A scheduler on a ManualClock with fake VUs; run() happens on the test thread.
class SchedulerTest : public ::testing::Test {
protected:
    RunResult run(std::size_t workers = 2) {
        Workers w(workers);
        scheduler = std::make_unique<Scheduler>(options, w, sink, registry.builtins(), 7, &clock);
        RunResult r = scheduler->run(runner);
        w.stop();
        return r;
    }
    std::size_t count_events(const std::string& prefix) const {
        auto ev = runner.events();
        return static_cast<std::size_t>(std::count_if(
            ev.begin(), ev.end(), [&](const auto& e) { return e.rfind(prefix, 0) == 0; }));
    }

    config::RunOptions options;
    ManualClock clock;
    FakeRunner runner{clock};
    CaptureSink sink;
    metrics::Registry registry;
    std::unique_ptr<Scheduler> scheduler;
};

// 64 VUs starting at once on one worker: what VU 2 started (a posted handler standing for its
// connect completing) runs before the last VU starts, not after all of them. VU 1 holds the
// worker for a moment so that every other start is queued by then (the burst of a real run).
TEST_F(SchedulerTest, ABurstOfVuStartsLetsEarlierCompletionsRunInBetween) {
    auto sc = scenario("default", config::ExecutorType::kPerVuIterations);
    sc.vus = 64;
    sc.iterations = 1;
    options.scenarios = {sc};
    Workers w(1);
    std::vector<std::string> order; // worker thread only
    runner.behaviour = [&](const IterationContext&, std::uint64_t vu) {
        IterationBehaviour b;
        b.on_start = [&order, &w, vu] {
            if (vu == 1) {
                std::this_thread::sleep_for(200ms);
            }
            order.push_back("start " + std::to_string(vu));
            boost::asio::post(w.context(0),
                              [&order, vu] { order.push_back("done " + std::to_string(vu)); });
        };
        return b;
    };
    scheduler = std::make_unique<Scheduler>(options, w, sink, registry.builtins(), 7, &clock);
    RunResult r = scheduler->run(runner);
    w.stop();
    ASSERT_EQ(r.end, RunResult::End::kCompleted);
    auto at = [&](const std::string& e) { return std::find(order.begin(), order.end(), e); };
    ASSERT_NE(at("done 2"), order.end());
    ASSERT_NE(at("start 64"), order.end());
    EXPECT_LT(at("done 2"), at("start 64"));
}

TEST_F(SchedulerTest, SharedIterationsRunsEachIterationOnceAcrossItsVus) {
    auto sc = scenario("default", config::ExecutorType::kSharedIterations);
    sc.vus = 3;
    sc.iterations = 10;
    options.scenarios = {sc};
    RunResult r = run();
    EXPECT_EQ(r.end, RunResult::End::kCompleted);
    EXPECT_EQ(r.exit_code, ExitCode::kOk);
    auto its = runner.iterations();
    ASSERT_EQ(its.size(), 10u);
    std::set<std::uint64_t> numbers;
    for (const auto& it : its) {
        numbers.insert(it.in_test);
        EXPECT_GE(it.vu, 1u);
        EXPECT_LE(it.vu, 3u);
        EXPECT_EQ(it.scenario, "default");
        EXPECT_EQ(it.executor, "shared-iterations");
        EXPECT_EQ(it.exec, "default");
    }
    EXPECT_EQ(numbers.size(), 10u);
    EXPECT_EQ(*numbers.rbegin(), 9u);
    EXPECT_EQ(scheduler->state().iterations_completed.load(), 10u);
    EXPECT_EQ(scheduler->state().vus_initialized.load(), 3u);
    EXPECT_EQ(scheduler->state().vus_active.load(), 0u);
}

TEST_F(SchedulerTest, LifecycleOrderInitSetupIterationsTeardownDestroy) {
    auto sc = scenario("s", config::ExecutorType::kPerVuIterations);
    sc.vus = 2;
    options.scenarios = {sc};
    run();
    auto ev = runner.events();
    ASSERT_EQ(ev.size(), 6u);
    std::set<std::string> inits{ev[0], ev[1]};
    EXPECT_EQ(inits, (std::set<std::string>{"init 1", "init 2"}));
    EXPECT_EQ(ev[2], "setup");
    EXPECT_EQ(ev[3], "teardown");
    std::set<std::string> destroys{ev[4], ev[5]};
    EXPECT_EQ(destroys, (std::set<std::string>{"destroy 1", "destroy 2"}));
    EXPECT_EQ(runner.iterations().size(), 2u);
}

TEST_F(SchedulerTest, PerVuIterationsGivesEveryVuItsIterations) {
    auto sc = scenario("pv", config::ExecutorType::kPerVuIterations);
    sc.vus = 3;
    sc.iterations = 4;
    sc.exec = "other";
    options.scenarios = {sc};
    run();
    std::map<std::uint64_t, std::vector<std::uint64_t>> per_vu;
    std::set<std::uint64_t> in_test;
    for (const auto& it : runner.iterations()) {
        per_vu[it.vu].push_back(it.in_scenario);
        in_test.insert(it.in_test);
        EXPECT_EQ(it.exec, "other");
    }
    ASSERT_EQ(per_vu.size(), 3u);
    for (auto& [vu, numbers] : per_vu) {
        std::sort(numbers.begin(), numbers.end());
        EXPECT_EQ(numbers, (std::vector<std::uint64_t>{0, 1, 2, 3})) << "VU " << vu;
    }
    EXPECT_EQ(in_test.size(), 12u);
}

TEST_F(SchedulerTest, ConstantVusStartsIterationsUntilTheDuration) {
    auto sc = scenario("cv", config::ExecutorType::kConstantVus);
    sc.vus = 2;
    sc.duration = 1s;
    options.scenarios = {sc};
    runner.behaviour = [](const IterationContext&, std::uint64_t) {
        return testing::advance(100ms);
    };
    RunResult r = run(1);
    EXPECT_EQ(r.end, RunResult::End::kCompleted);
    auto its = runner.iterations();
    ASSERT_EQ(its.size(), 10u); // starts at 0, 100, ..., 900 ms
    // Each fake iteration advances the one shared manual clock, so how the ten iterations split
    // between the two VUs depends on thread timing; only which VUs may run them is fixed.
    for (const auto& it : its) {
        EXPECT_LT(it.started, 1s);
        EXPECT_TRUE(it.vu == 1 || it.vu == 2) << it.vu;
    }
    EXPECT_TRUE(runner.interrupt_times().empty());
}

TEST_F(SchedulerTest, GracefulStopInterruptsRunningIterationsWhenItExpires) {
    auto sc = scenario("cv", config::ExecutorType::kConstantVus);
    sc.vus = 1;
    sc.duration = 1s;
    sc.graceful_stop = 2s;
    options.scenarios = {sc};
    runner.behaviour = [](const IterationContext&, std::uint64_t) {
        return testing::hang_after(3s); // still running at duration + gracefulStop
    };
    RunResult r = run();
    EXPECT_EQ(r.end, RunResult::End::kCompleted);
    auto its = runner.iterations();
    ASSERT_EQ(its.size(), 1u);
    EXPECT_EQ(its[0].result, IterationResult::kInterrupted);
    ASSERT_FALSE(runner.interrupt_times().empty());
    EXPECT_GE(runner.interrupt_times().front(), 3s);
    EXPECT_EQ(scheduler->state().iterations_interrupted.load(), 1u);
    EXPECT_EQ(scheduler->state().iterations_completed.load(), 0u);
    EXPECT_EQ(count_events("teardown"), 1u);
}

TEST_F(SchedulerTest, IterationsWithinGracefulStopFinishNormally) {
    auto sc = scenario("cv", config::ExecutorType::kConstantVus);
    sc.vus = 1;
    sc.duration = 1s;
    sc.graceful_stop = 2s;
    options.scenarios = {sc};
    runner.behaviour = [](const IterationContext&, std::uint64_t) {
        return testing::advance(2900ms);
    };
    run();
    auto its = runner.iterations();
    ASSERT_EQ(its.size(), 1u);
    EXPECT_EQ(its[0].result, IterationResult::kCompleted);
    EXPECT_TRUE(runner.interrupt_times().empty());
}

TEST_F(SchedulerTest, StopInterruptsAtOnceAndStillRunsTeardown) {
    auto sc = scenario("cv", config::ExecutorType::kConstantVus);
    sc.vus = 2;
    sc.duration = 10s;
    options.scenarios = {sc};
    runner.behaviour = [this](const IterationContext&, std::uint64_t) {
        IterationBehaviour b;
        b.hang = true;
        b.on_start = [this] { scheduler->stop(); };
        return b;
    };
    RunResult r = run();
    EXPECT_EQ(r.end, RunResult::End::kStopped);
    EXPECT_EQ(r.exit_code, ExitCode::kExternalAbort);
    for (const auto& it : runner.iterations()) {
        EXPECT_EQ(it.result, IterationResult::kInterrupted);
    }
    EXPECT_GE(runner.iterations().size(), 1u);
    EXPECT_LE(runner.iterations().size(), 2u);
    EXPECT_EQ(clock.now(), 0s); // nothing waited for gracefulStop
    EXPECT_EQ(count_events("teardown"), 1u);
}

TEST_F(SchedulerTest, AbortKeepsItsReasonAndCodeAndTheFirstEndWins) {
    auto sc = scenario("cv", config::ExecutorType::kConstantVus);
    sc.duration = 10s;
    options.scenarios = {sc};
    runner.behaviour = [this](const IterationContext&, std::uint64_t) {
        IterationBehaviour b;
        b.hang = true;
        b.on_start = [this] {
            scheduler->abort("test aborted: boom", ExitCode::kScriptAborted);
            scheduler->stop();
        };
        return b;
    };
    RunResult r = run();
    EXPECT_EQ(r.end, RunResult::End::kAborted);
    EXPECT_EQ(r.exit_code, ExitCode::kScriptAborted);
    EXPECT_EQ(r.reason, "test aborted: boom");
}

TEST_F(SchedulerTest, InitFailureIsRethrownAfterEveryVuIsDestroyed) {
    auto sc = scenario("s", config::ExecutorType::kPerVuIterations);
    sc.vus = 4;
    options.scenarios = {sc};
    runner.fail_init_of = 3;
    try {
        run();
        FAIL() << "expected a UserError";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "init failed for VU 3");
        EXPECT_EQ(e.code(), ExitCode::kScriptException);
    }
    EXPECT_EQ(count_events("init"), 4u);
    EXPECT_EQ(count_events("destroy"), 3u);
    EXPECT_EQ(count_events("setup"), 0u);
    EXPECT_TRUE(runner.iterations().empty());
}

TEST_F(SchedulerTest, SetupFailureSkipsScenariosAndTeardown) {
    options.scenarios = {scenario("s", config::ExecutorType::kPerVuIterations)};
    runner.setup_throws = true;
    EXPECT_THROW(run(), UserError);
    EXPECT_TRUE(runner.iterations().empty());
    EXPECT_EQ(count_events("teardown"), 0u);
    EXPECT_EQ(count_events("destroy"), 1u);
}

TEST_F(SchedulerTest, TeardownFailureIsRethrownAfterTheScenarios) {
    options.scenarios = {scenario("s", config::ExecutorType::kPerVuIterations)};
    runner.teardown_throws = true;
    EXPECT_THROW(run(), UserError);
    EXPECT_EQ(runner.iterations().size(), 1u);
    EXPECT_EQ(count_events("destroy"), 1u);
}

TEST_F(SchedulerTest, SetupTimeoutInterruptsSetupAndExits100) {
    options.scenarios = {scenario("s", config::ExecutorType::kPerVuIterations)};
    runner.setup_advance = 61s;
    runner.setup_hangs = true;
    try {
        run();
        FAIL() << "expected a UserError";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "setup() execution timed out after 60 seconds");
        EXPECT_EQ(e.code(), ExitCode::kSetupTimeout);
    }
    EXPECT_EQ(count_events("interrupt lifecycle"), 1u);
    EXPECT_TRUE(runner.iterations().empty());
}

TEST_F(SchedulerTest, TeardownTimeoutExits101) {
    options.scenarios = {scenario("s", config::ExecutorType::kPerVuIterations)};
    options.teardown_timeout = 5s;
    runner.teardown_advance = 5s;
    runner.teardown_hangs = true;
    try {
        run();
        FAIL() << "expected a UserError";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "teardown() execution timed out after 5 seconds");
        EXPECT_EQ(e.code(), ExitCode::kTeardownTimeout);
    }
}

TEST_F(SchedulerTest, NoSetupAndNoTeardownSkipThem) {
    options.scenarios = {scenario("s", config::ExecutorType::kPerVuIterations)};
    options.no_setup = true;
    options.no_teardown = true;
    run();
    EXPECT_EQ(count_events("setup"), 0u);
    EXPECT_EQ(count_events("teardown"), 0u);
    EXPECT_EQ(runner.iterations().size(), 1u);
}

TEST_F(SchedulerTest, LaterScenarioStartsAtItsStartTimeWithItsOwnVus) {
    auto a = scenario("a", config::ExecutorType::kSharedIterations);
    auto b = scenario("b", config::ExecutorType::kPerVuIterations);
    b.vus = 2;
    b.start_time = 5s;
    options.scenarios = {a, b};
    runner.behaviour = [](const IterationContext& ctx, std::uint64_t) {
        return testing::advance(*ctx.scenario == "a" ? 5s : 0s);
    };
    run();
    auto its = runner.iterations();
    ASSERT_EQ(its.size(), 3u);
    std::set<std::uint64_t> b_vus;
    for (const auto& it : its) {
        if (it.scenario == "b") {
            EXPECT_GE(it.started, 5s);
            b_vus.insert(it.vu);
        }
    }
    EXPECT_EQ(b_vus.size(), 2u);
    EXPECT_EQ(scheduler->state().vus_initialized.load(), 3u); // a's interval overlaps b's
}

TEST_F(SchedulerTest, EmitsVusAndVusMaxGauges) {
    auto sc = scenario("cv", config::ExecutorType::kConstantVus);
    sc.vus = 2;
    sc.duration = 3s;
    options.scenarios = {sc};
    runner.behaviour = [](const IterationContext&, std::uint64_t) {
        return testing::advance(500ms);
    };
    run(1);
    const auto& b = registry.builtins();
    auto vus_max = sink.values(b.vus_max);
    ASSERT_GE(vus_max.size(), 2u); // at the start and at the end, at least
    for (double v : vus_max) {
        EXPECT_EQ(v, 2);
    }
    auto vus = sink.values(b.vus);
    ASSERT_EQ(vus.size(), vus_max.size());
    EXPECT_EQ(vus.back(), 0);
    for (const auto& s : sink.samples) {
        EXPECT_EQ(s.tags, 7u);
        EXPECT_GE(s.time_ns, ManualClock::kUnixEpochNs);
    }
}

} // namespace
} // namespace volley::exec

namespace volley::exec {
namespace {

using namespace std::chrono_literals;

TEST_F(SchedulerTest, ArrivalRateStartsIterationsOnSchedule) {
    auto sc = scenario("car", config::ExecutorType::kConstantArrivalRate);
    sc.rate = 10;
    sc.duration = 1s;
    sc.pre_allocated_vus = 2;
    sc.max_vus = 2;
    options.scenarios = {sc};
    runner.behaviour = [](const IterationContext&, std::uint64_t) {
        return testing::advance(100ms); // each iteration moves time to the next start
    };
    run(1);
    auto its = runner.iterations();
    ASSERT_EQ(its.size(), 10u);
    std::set<Duration> starts;
    for (const auto& it : its) {
        starts.insert(it.started);
        EXPECT_EQ(it.executor, "constant-arrival-rate");
    }
    std::set<Duration> want;
    for (int i = 0; i < 10; ++i) {
        want.insert(100ms * i);
    }
    EXPECT_EQ(starts, want);
    EXPECT_EQ(scheduler->state().dropped_iterations.load(), 0u);
    EXPECT_EQ(sink.values(registry.builtins().vus_max).front(), 2);
}

TEST_F(SchedulerTest, ArrivalRateDropsIterationsWhenNoVuIsFree) {
    auto sc = scenario("car", config::ExecutorType::kConstantArrivalRate);
    sc.rate = 10;
    sc.duration = 1s;
    sc.graceful_stop = 10s;
    sc.pre_allocated_vus = 1;
    sc.max_vus = 1;
    options.scenarios = {sc};
    runner.behaviour = [](const IterationContext&, std::uint64_t) {
        return testing::hang_after(1050ms); // busy through every later start
    };
    Workers w(1);
    scheduler = std::make_unique<Scheduler>(options, w, sink, registry.builtins(), 7, &clock);
    RunResult result;
    std::thread control([&] { result = scheduler->run(runner); });
    // The nine starts at 100..900 ms find the only VU busy. Then let gracefulStop expire.
    while (scheduler->state().dropped_iterations.load() < 9) {
        std::this_thread::yield();
    }
    clock.set(11s + 1ms);
    control.join();
    w.stop();
    EXPECT_EQ(result.end, RunResult::End::kCompleted);
    EXPECT_EQ(scheduler->state().dropped_iterations.load(), 9u);
    auto dropped = sink.values(registry.builtins().dropped_iterations);
    EXPECT_EQ(dropped, std::vector<double>(9, 1.0));
    auto its = runner.iterations();
    ASSERT_EQ(its.size(), 1u);
    EXPECT_EQ(its[0].result, IterationResult::kInterrupted);
}

TEST_F(SchedulerTest, ScenarioProgressCountsIterationsForIterationExecutors) {
    auto sc = scenario("pv", config::ExecutorType::kPerVuIterations);
    sc.iterations = 4;
    options.scenarios = {sc};
    std::vector<double> seen; // one VU: its iterations run one after the other
    runner.behaviour = [&](const IterationContext&, std::uint64_t) {
        auto b = testing::advance(1s);
        b.on_start = [&] { seen.push_back(scheduler->scenario_progress("pv")); };
        return b;
    };
    run(1);
    EXPECT_EQ(seen, (std::vector<double>{0, 0.25, 0.5, 0.75}));
    EXPECT_EQ(scheduler->scenario_progress("pv"), 1);
    EXPECT_EQ(scheduler->scenario_progress("unknown"), 0);
}

TEST_F(SchedulerTest, ScenarioProgressFollowsTimeForDurationExecutors) {
    auto sc = scenario("cv", config::ExecutorType::kConstantVus);
    sc.duration = 4s;
    options.scenarios = {sc};
    std::vector<double> seen;
    std::vector<RunSnapshot> snaps;
    runner.behaviour = [&](const IterationContext&, std::uint64_t) {
        auto b = testing::advance(1s);
        b.on_start = [&] {
            seen.push_back(scheduler->scenario_progress("cv"));
            snaps.push_back(scheduler->snapshot());
        };
        return b;
    };
    run(1);
    EXPECT_EQ(seen, (std::vector<double>{0, 0.25, 0.5, 0.75}));
    ASSERT_EQ(snaps.size(), 4u);
    const RunSnapshot& mid = snaps[2];
    EXPECT_EQ(mid.elapsed, 2s);
    EXPECT_EQ(mid.vus_active, 1u);
    EXPECT_EQ(mid.iterations_completed, 2u);
    ASSERT_EQ(mid.scenarios.size(), 1u);
    EXPECT_EQ(mid.scenarios[0].state, ScenarioSnapshot::State::kRunning);
    EXPECT_EQ(mid.scenarios[0].elapsed, 2s);
    EXPECT_EQ(mid.scenarios[0].vus_active, 1u);
    EXPECT_EQ(mid.scenarios[0].plan.regular, 4s);

    RunSnapshot end = scheduler->snapshot();
    EXPECT_EQ(end.vus_active, 0u);
    EXPECT_EQ(end.scenarios[0].state, ScenarioSnapshot::State::kDone);
    EXPECT_EQ(end.scenarios[0].progress, 1);
    EXPECT_EQ(end.scenarios[0].iterations_completed, 4u);
    EXPECT_EQ(end.scenarios[0].vus_active, 0u);
    EXPECT_EQ(end.scenarios[0].elapsed, 4s);
}

TEST_F(SchedulerTest, SnapshotBeforeTheRunShowsWaitingScenarios) {
    auto a = scenario("a", config::ExecutorType::kConstantArrivalRate);
    a.rate = 50;
    a.duration = 2s;
    a.pre_allocated_vus = 3;
    a.max_vus = 8;
    options.scenarios = {a};
    Workers w(1);
    Scheduler s(options, w, sink, registry.builtins(), 7, &clock);
    RunSnapshot snap = s.snapshot();
    w.stop();
    EXPECT_EQ(snap.elapsed, 0s);
    ASSERT_EQ(snap.scenarios.size(), 1u);
    EXPECT_EQ(snap.scenarios[0].state, ScenarioSnapshot::State::kWaiting);
    EXPECT_EQ(snap.scenarios[0].progress, 0);
    EXPECT_EQ(snap.scenarios[0].plan.max_vus, 8u);
    EXPECT_EQ(snap.scenarios[0].plan.rate_per_second, 50);
    EXPECT_EQ(snap.scenarios[0].config->name, "a");
}

} // namespace
} // namespace volley::exec
