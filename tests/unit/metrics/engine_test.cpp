#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "metrics/engine.hpp"

namespace volley::metrics {
namespace {

class RecordingConsumer : public BatchConsumer {
public:
    struct Log {
        std::vector<Sample> samples;
        int starts = 0;
        int stops = 0;
        std::size_t batches = 0;
    };
    explicit RecordingConsumer(Log& log) : log_(log) {}
    void start() override { ++log_.starts; }
    void consume(std::span<const Sample> batch) override {
        log_.samples.insert(log_.samples.end(), batch.begin(), batch.end());
        ++log_.batches;
    }
    void stop() override { ++log_.stops; }

private:
    Log& log_;
};

class FailingConsumer : public BatchConsumer {
public:
    void start() override { throw UserError("cannot open out.json", "check the path"); }
    void consume(std::span<const Sample>) override {}
};

class EngineTest : public ::testing::Test {
protected:
    Registry registry;
    TagInterner tags;
    const Builtins& b = registry.builtins();
};

TEST_F(EngineTest, ThreadSinkHandsOverFullBuffersAndOnFlush) {
    Engine engine(registry, tags, EngineOptions{.buffer_samples = 4});
    auto sink = engine.make_thread_sink();
    for (int i = 0; i < 5; ++i) {
        sink->add({b.ws_msgs_sent, 0, i, 1});
    }
    engine.process_pending(); // one full buffer of 4 handed over; 1 still buffered
    EXPECT_EQ(engine.samples_aggregated(), 4u);
    sink->flush();
    engine.process_pending();
    EXPECT_EQ(engine.samples_aggregated(), 5u);
    EXPECT_EQ(engine.metric(b.ws_msgs_sent)->counter().sum, 5);
    EXPECT_FALSE(engine.metric(b.ws_msgs_received).has_value());
    EXPECT_EQ(engine.observed_metrics(), std::vector<MetricId>{b.ws_msgs_sent});
}

TEST_F(EngineTest, SinkDestructorFlushes) {
    Engine engine(registry, tags);
    {
        auto sink = engine.make_thread_sink();
        sink->add({b.iterations, 0, 1, 1});
    }
    engine.process_pending();
    EXPECT_EQ(engine.metric(b.iterations)->counter().sum, 1);
}

TEST_F(EngineTest, StopLosesNothingFromManyThreads) {
    RecordingConsumer::Log log;
    Engine engine(registry, tags, EngineOptions{.buffer_samples = 64});
    engine.add_consumer(std::make_unique<RecordingConsumer>(log));
    engine.start();
    constexpr int kThreads = 4;
    constexpr int kPerThread = 100'001;
    std::vector<std::unique_ptr<SampleSink>> sinks;
    for (int t = 0; t < kThreads; ++t) {
        sinks.push_back(engine.make_thread_sink());
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                sinks[t]->add({b.ws_ping, 0, i, static_cast<double>(t)});
            }
            // No final flush: stop() must collect the partial buffers.
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    engine.stop();
    engine.stop(); // idempotent
    auto ping = engine.metric(b.ws_ping);
    ASSERT_TRUE(ping.has_value());
    EXPECT_EQ(ping->trend().count(), std::uint64_t{kThreads} * kPerThread);
    EXPECT_EQ(ping->trend().sum(), 6.0 * kPerThread);
    EXPECT_EQ(log.samples.size(), std::size_t{kThreads} * kPerThread);
    EXPECT_EQ(log.starts, 1);
    EXPECT_EQ(log.stops, 1);
}

TEST_F(EngineTest, ConsumersSeeEachThreadsSamplesInOrder) {
    RecordingConsumer::Log log;
    Engine engine(registry, tags, EngineOptions{.buffer_samples = 3});
    engine.add_consumer(std::make_unique<RecordingConsumer>(log));
    auto sink = engine.make_thread_sink();
    for (int i = 0; i < 10; ++i) {
        sink->add({b.iterations, 0, i, 1});
    }
    engine.stop();
    ASSERT_EQ(log.samples.size(), 10u);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(log.samples[i].time_ns, i);
    }
    EXPECT_EQ(log.batches, 4u);
}

TEST_F(EngineTest, StartPropagatesConsumerUserError) {
    Engine engine(registry, tags);
    engine.add_consumer(std::make_unique<FailingConsumer>());
    EXPECT_THROW(engine.start(), UserError);
}

TEST_F(EngineTest, SubmetricsMatchSamplesCarryingAllFilterTags) {
    Engine engine(registry, tags);
    auto sub = engine.add_submetric(b.ws_msgs_received, {{"my_tag", "hello"}});
    auto by_url = engine.add_submetric(b.ws_msgs_received,
                                       {{"url", "ws://127.0.0.1:8080/echo"}, {"my_tag", "hello"}});
    auto other = engine.add_submetric(b.ws_msgs_sent, {{"my_tag", "hello"}});
    EXPECT_EQ(engine.add_submetric(b.ws_msgs_received, {{"my_tag", "hello"}}), sub);
    auto hello = tags.intern({{"my_tag", "hello"}, {"url", "ws://127.0.0.1:8080/echo"}});
    auto hello_other_url = tags.intern({{"my_tag", "hello"}, {"url", "ws://x"}});
    auto bye = tags.intern({{"my_tag", "bye"}});
    Sample batch[] = {{b.ws_msgs_received, hello, 1, 1},
                      {b.ws_msgs_received, hello_other_url, 2, 1},
                      {b.ws_msgs_received, bye, 3, 1},
                      {b.ws_msgs_received, 0, 4, 1}};
    engine.add(batch);
    engine.stop();
    EXPECT_EQ(engine.submetric(sub).counter().sum, 2);
    EXPECT_EQ(engine.submetric(by_url).counter().sum, 1);
    EXPECT_EQ(engine.submetric(other).samples(), 0u);
    EXPECT_EQ(engine.submetric(other).type(), MetricType::kCounter);
    EXPECT_EQ(engine.submetric_parent(other), b.ws_msgs_sent);
    EXPECT_EQ(engine.metric(b.ws_msgs_received)->counter().sum, 4);
}

TEST_F(EngineTest, ChecksAndGroupsFromTags) {
    Engine engine(registry, tags);
    auto root_ok = tags.intern({{"check", "ok"}, {"group", ""}});
    auto chat_ok = tags.intern({{"check", "ok"}, {"group", "::chat"}});
    auto chat_echo = tags.intern({{"check", "echo"}, {"group", "::chat"}});
    auto inner = tags.intern({{"group", "::chat::inner"}});
    Sample batch[] = {{b.checks, chat_echo, 1, 0}, {b.checks, root_ok, 2, 1},
                      {b.checks, chat_ok, 3, 1},   {b.checks, chat_echo, 4, 1},
                      {b.checks, 0, 5, 1},         {b.group_duration, inner, 6, 3}};
    engine.add(batch);
    engine.stop();
    auto checks = engine.checks();
    ASSERT_EQ(checks.size(), 3u);
    EXPECT_EQ(checks[0].name, "echo");
    EXPECT_EQ(checks[0].group, "::chat");
    EXPECT_EQ(checks[0].passes, 1u);
    EXPECT_EQ(checks[0].fails, 1u);
    EXPECT_EQ(checks[1].name, "ok");
    EXPECT_EQ(checks[1].group, "");
    EXPECT_EQ(checks[2].group, "::chat");
    EXPECT_EQ(engine.groups(), (std::vector<std::string>{"::chat", "::chat::inner"}));
    EXPECT_EQ(engine.metric(b.checks)->rate().total, 5u);
}

TEST_F(EngineTest, ElapsedComesFromStartAndEnd) {
    Engine engine(registry, tags);
    engine.set_start_time(1'000'000'000);
    engine.set_end_time(3'500'000'000);
    EXPECT_DOUBLE_EQ(engine.elapsed_seconds(), 2.5);
    engine.set_end_time(1'000'000'000);
    EXPECT_GT(engine.elapsed_seconds(), 0);
}

TEST_F(EngineTest, TickRunsOnTheAggregationThread) {
    std::promise<std::thread::id> ticked;
    bool first = true;
    EngineOptions options;
    options.tick_interval = std::chrono::milliseconds(1);
    options.on_tick = [&] {
        if (first) {
            first = false;
            ticked.set_value(std::this_thread::get_id());
        }
    };
    Engine engine(registry, tags, options);
    engine.start();
    auto future = ticked.get_future();
    future.wait(); // bounded by the ctest timeout, no timing assertion
    EXPECT_NE(future.get(), std::this_thread::get_id());
    engine.stop();
}

TEST_F(EngineTest, GaugeAndTrendAggregateAcrossTagSets) {
    Engine engine(registry, tags, EngineOptions{.trend_exact_budget = 2});
    auto a = tags.intern({{"url", "a"}});
    auto c = tags.intern({{"url", "c"}});
    Sample batch[] = {{b.vus, a, 10, 3},          {b.vus, c, 20, 5},
                      {b.vus, a, 30, 4},          {b.ws_connecting, a, 1, 1},
                      {b.ws_connecting, c, 1, 2}, {b.ws_connecting, a, 1, 3}};
    engine.add(batch);
    engine.stop();
    auto vus = engine.metric(b.vus);
    EXPECT_EQ(vus->gauge().value, 4);
    EXPECT_EQ(vus->gauge().min, 3);
    EXPECT_EQ(vus->gauge().max, 5);
    EXPECT_TRUE(engine.metric(b.ws_connecting)->trend().approximate());
}

TEST_F(EngineTest, BreakdownCellsByScenarioAndGroup) {
    Engine engine(registry, tags);
    auto plain = tags.intern({{"group", ""}, {"scenario", "default"}});
    auto grouped = tags.intern({{"group", "::g"}, {"scenario", "default"}});
    auto named = tags.intern({{"group", ""}, {"scenario", "sc1"}});
    auto check = tags.intern({{"check", "ok"}, {"group", "::g"}, {"scenario", "default"}});
    Sample batch[] = {{b.iterations, plain, 1, 1},   {b.iterations, grouped, 1, 1},
                      {b.iterations, grouped, 2, 1}, {b.ws_connecting, named, 1, 5},
                      {b.checks, check, 1, 1},       {b.checks, check, 2, 0}};
    engine.add(batch);
    engine.stop();
    auto cells = engine.breakdown();
    ASSERT_EQ(cells.size(), 2u); // the root of the default scenario has no cell
    EXPECT_EQ(cells[0].scenario, "default");
    EXPECT_EQ(cells[0].group, "::g");
    ASSERT_EQ(cells[0].metrics.size(), 2u);
    EXPECT_EQ(cells[0].metrics[0].first, b.iterations);
    EXPECT_EQ(cells[0].metrics[0].second.counter().sum, 2);
    ASSERT_EQ(cells[0].checks.size(), 1u);
    EXPECT_EQ(cells[0].checks[0].name, "ok");
    EXPECT_EQ(cells[0].checks[0].passes, 1u);
    EXPECT_EQ(cells[0].checks[0].fails, 1u);
    EXPECT_EQ(cells[1].scenario, "sc1");
    EXPECT_EQ(cells[1].group, "");
    EXPECT_EQ(cells[1].metrics[0].second.trend().max(), 5);
    EXPECT_EQ(engine.metric(b.iterations)->counter().sum, 3); // totals unchanged
}

TEST_F(EngineTest, BreakdownOff) {
    Engine engine(registry, tags, EngineOptions{.breakdown = false});
    Sample s{b.iterations, tags.intern({{"group", "::g"}}), 1, 1};
    engine.add({&s, 1});
    engine.stop();
    EXPECT_TRUE(engine.breakdown().empty());
}

TEST_F(EngineTest, SubmetricAfterStartIsABug) {
    GTEST_FLAG_SET(death_test_style, "threadsafe"); // the aggregation thread is running
    Engine engine(registry, tags);
    engine.start();
    EXPECT_DEATH(engine.add_submetric(b.vus, {}), "check failed");
    engine.stop();
}

} // namespace
} // namespace volley::metrics
