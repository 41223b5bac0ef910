// Hot paths of the metrics engine: SampleSink::add (per-thread buffer + batch hand-off +
// aggregation) and adding a Trend value to its storage (exact and histogram modes).
// Reported time per iteration = ns per sample.

#include <memory>
#include <random>

#include <benchmark/benchmark.h>

#include "metrics/engine.hpp"
#include "metrics/histogram.hpp"

namespace {

using namespace volley::metrics;

// The worker's cost: append to the thread buffer, hand full buffers over. The aggregation
// thread runs concurrently (it needs a second core to keep up).
void BM_ThreadSinkAdd(benchmark::State& state) {
    Registry registry;
    TagInterner tags;
    Engine engine(registry, tags);
    engine.start();
    auto sink = engine.make_thread_sink();
    auto tag = tags.intern({{"url", "ws://127.0.0.1:8765"}, {"scenario", "default"}});
    Sample s{registry.builtins().ws_msgs_received, tag, 1, 1};
    for (auto _ : state) {
        s.time_ns++;
        sink->add(s);
    }
    sink->flush();
    engine.stop();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ThreadSinkAdd);

// Aggregation cost per sample on the engine thread (route lookup + sink update), measured
// synchronously: add() then process_pending() on full batches.
void BM_EngineAggregate(benchmark::State& state) {
    Registry registry;
    TagInterner tags;
    Engine engine(registry, tags, EngineOptions{.buffer_samples = 4096});
    auto tag = tags.intern({{"url", "ws://127.0.0.1:8765"}});
    const auto& b = registry.builtins();
    std::vector<Sample> batch;
    for (int i = 0; i < 4096; ++i) {
        batch.push_back({i % 2 ? b.ws_msgs_received : b.ws_ping, tag, i, 0.5 + i % 7});
    }
    for (auto _ : state) {
        engine.add(batch);
        engine.process_pending();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
}
BENCHMARK(BM_EngineAggregate);

void BM_TrendValuesExact(benchmark::State& state) {
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> d(1, 1);
    std::vector<double> values(1 << 16);
    for (auto& v : values) {
        v = d(rng);
    }
    // Exact mode only: start over before the default budget would fold the values.
    auto t = std::make_unique<TrendValues>();
    std::size_t i = 0;
    for (auto _ : state) {
        t->add(values[i & 0xffff]);
        if (++i % TrendValues::kDefaultExactBudget == 0) {
            state.PauseTiming();
            t = std::make_unique<TrendValues>();
            state.ResumeTiming();
        }
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TrendValuesExact);

// A Trend's steady state past the budget: TrendValues forwarding to its histogram.
void BM_TrendValuesPastBudget(benchmark::State& state) {
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> d(1, 1);
    std::vector<double> values(1 << 16);
    for (auto& v : values) {
        v = d(rng);
    }
    TrendValues t(16);
    std::size_t i = 0;
    for (auto _ : state) {
        t.add(values[i++ & 0xffff]);
    }
    benchmark::DoNotOptimize(t.count());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TrendValuesPastBudget);

void BM_HistogramAdd(benchmark::State& state) {
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> d(1, 1);
    std::vector<double> values(1 << 16);
    for (auto& v : values) {
        v = d(rng);
    }
    LogLinearHistogram h;
    std::size_t i = 0;
    for (auto _ : state) {
        h.add(values[i++ & 0xffff]);
    }
    benchmark::DoNotOptimize(h.count());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramAdd);

} // namespace
