#pragma once

// The metrics engine: per-thread sample buffers -> batch hand-off -> one aggregation thread that
// aggregates by (metric, tag set) and fans raw batches out to consumers (JSON/CSV outputs).
// docs/architecture.md ("Data flow"; "Threads, coroutines and VUs"), style.md rule 19.
//
// Lifecycle (all on the composition root's thread unless said otherwise):
//   Engine engine(registry, tags, options);
//   engine.add_submetric(...) / engine.add_consumer(...)   // before start()
//   engine.start();                                       // starts consumers, then the thread
//   ... worker threads: make_thread_sink() once each, add() per sample, flush() every ~50-100 ms
//   ... the scheduler stops and joins its workers
//   engine.stop();                                        // nothing measured is lost
//   ... queries (metric(), submetric(), checks(), groups()) for thresholds and the summary
// The Registry and TagInterner must outlive the engine, and the engine must outlive every
// SampleSink it made.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "metrics/registry.hpp"
#include "metrics/sample.hpp"
#include "metrics/sink.hpp"
#include "metrics/tags.hpp"

namespace volley::metrics {

// Receives raw samples (outputs that need every sample implement it; output::Output does).
class BatchConsumer {
public:
    virtual ~BatchConsumer() = default;
    // Called once by Engine::start() on its caller's thread, before any consume(). May throw
    // UserError (e.g. an unwritable file); start() then propagates it.
    virtual void start() {}
    // Called on the engine's aggregation thread (or inside stop()), never concurrently, with
    // the samples in hand-over order. The span is valid only during the call.
    virtual void consume(std::span<const Sample> batch) = 0;
    // Called once by Engine::stop() after the last consume(), on stop()'s caller's thread:
    // flush and close files here.
    virtual void stop() {}
};

struct EngineOptions {
    std::size_t buffer_samples = 4096; // samples per per-thread buffer
    std::size_t trend_exact_budget = TrendValues::kDefaultExactBudget;
    std::chrono::milliseconds tick_interval{2000};
    // Called on the aggregation thread every tick_interval while running, outside the engine's
    // locks (so it may call the query functions); used for abortOnFail thresholds.
    std::function<void()> on_tick{};
    // Keep breakdown cells (breakdown() below) for k6's full summary mode. The composition root
    // may turn this off when the summary mode is not "full": it then costs nothing.
    bool breakdown = true;
};

using SubmetricId = std::uint32_t;

// Pass/fail counts of one check name in one group (from `checks` samples' `check`/`group` tags).
struct CheckCounts {
    std::string group; // "" at root, "::a::b" nested
    std::string name;
    std::uint64_t passes = 0;
    std::uint64_t fails = 0;
};

// Pass/fail counts of one check name within a breakdown cell; `first_seen` orders checks across
// cells (a counter over every cell's first sample of that check).
struct CellCheck {
    std::string name;
    std::uint64_t passes = 0;
    std::uint64_t fails = 0;
    std::uint64_t first_seen = 0;
};

// The samples of one (scenario, group) pair: what k6's full summary mode shows per group and per
// scenario. Kept only for samples in a group (`group` tag not empty) or in a named scenario
// (`scenario` tag neither absent, empty nor "default"). scenario is "" when the tag is absent.
struct BreakdownCell {
    std::string scenario;
    std::string group;                              // "::a::b", or "" at the root
    std::vector<std::pair<MetricId, Sink>> metrics; // in first-seen order
    std::vector<CellCheck> checks;                  // in first-seen order
};

class Engine {
public:
    Engine(Registry& registry, TagInterner& tags, EngineOptions options = {});
    // Calls stop() if still running.
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // A sink for one worker thread: add() appends to a preallocated buffer (no lock, no
    // allocation), full buffers and flush() hand the batch over. Thread-safe to create; each sink
    // is used by one thread at a time. Its destructor flushes.
    std::unique_ptr<SampleSink> make_thread_sink();

    // Thread-safe hand-over of samples from a thread that has no sink (takes a lock, copies).
    void add(std::span<const Sample> samples);

    // Registers a raw-sample consumer. Before start() only.
    void add_consumer(std::unique_ptr<BatchConsumer> consumer);

    // Registers a submetric: the samples of `parent` whose tags contain every (key, value) of
    // `filter` (k6 thresholds like `ws_msgs_received{my_tag:hello}`). The same parent and filter
    // return the same id. Before start() only (VOLLEY_CHECK).
    SubmetricId add_submetric(MetricId parent, const TagMap& filter);

    // A submetric the end-of-test summary shows under `name` once it got a sample, as k6 shows
    // `http_req_duration{expected_response:true}` (its metrics engine creates that one).
    SubmetricId add_summary_submetric(MetricId parent, const TagMap& filter, std::string name);
    // The summary submetrics that got samples: (name, id).
    std::vector<std::pair<std::string, SubmetricId>> observed_summary_submetrics() const;

    // Starts every consumer (propagating a UserError from one), then the aggregation thread.
    void start();
    // Flushes every live thread sink (precondition: no thread is adding any more), aggregates
    // and forwards everything buffered, stops the thread and the consumers. Idempotent. Also
    // works without start() (everything is then processed on the calling thread).
    void stop();
    // Aggregates every batch handed over so far, on the calling thread (tests and stop()).
    void process_pending();

    // Aggregates `aggregate`, the samples of one (metric, tag set) summed up elsewhere (another
    // process's record, `volley merge`), exactly as its samples would have been: the metric, the
    // submetrics, checks, groups and breakdown cells. First-seen orders follow the calls. The
    // sink must have the metric's type (VOLLEY_CHECK). Thread-safe; not for a running engine
    // fed by sinks (the order against their batches is unspecified).
    void add_aggregate(MetricId metric, TagSetId tags, const Sink& aggregate);

    // Test time, for Counter rates: set by the caller at the test's start and end (wall clock,
    // ns since the epoch). elapsed_seconds() is end − start once the end is set, else now −
    // start; never below 1 ns (so rates stay finite).
    void set_start_time(std::int64_t time_ns);
    void set_end_time(std::int64_t time_ns);
    double elapsed_seconds() const;

    // Queries. Thread-safe (they lock and return copies). Figures cover what was aggregated so
    // far: everything after stop().
    // The metric's sink merged over all tag sets; nullopt if it got no sample.
    std::optional<Sink> metric(MetricId id) const;
    // The submetric's sink (empty sink of the parent's type if it got no sample).
    Sink submetric(SubmetricId id) const;
    MetricId submetric_parent(SubmetricId id) const;
    // Metrics that got at least one sample, by id.
    std::vector<MetricId> observed_metrics() const;
    // Checks, in first-seen order, one entry per (group, name).
    std::vector<CheckCounts> checks() const;
    // Group paths seen in `group` tags (excluding ""), in first-seen order.
    std::vector<std::string> groups() const;
    std::uint64_t samples_aggregated() const;
    // The breakdown cells in first-seen order (empty when EngineOptions::breakdown is off).
    std::vector<BreakdownCell> breakdown() const;

private:
    class ThreadSink;
    struct Submetric {
        MetricId parent;
        TagMap filter;
        Sink sink;
        std::string summary_name; // "" unless add_summary_submetric() named it
    };
    // Where the samples of one (metric, tag set) go, computed on the first such sample.
    struct Route {
        Sink* metric = nullptr;
        std::vector<Sink*> submetrics;
        CheckCounts* check = nullptr;
        Sink* cell_metric = nullptr; // the breakdown cell's sink of this metric
        CellCheck* cell_check = nullptr;
    };
    struct Cell {
        std::string scenario;
        std::string group;
        std::vector<std::pair<MetricId, std::unique_ptr<Sink>>> metrics;
        std::vector<std::unique_ptr<CellCheck>> checks;
    };

    std::vector<Sample> exchange(std::vector<Sample>&& full);
    void register_sink(ThreadSink* sink);
    void unregister_sink(ThreadSink* sink);
    void run();
    void aggregate(std::span<const Sample> batch);
    Route make_route(MetricId metric, TagSetId tags);
    Sink& metric_sink(MetricId id);
    void note_group(const TagMap& tags);
    void route_to_cell(Route& route, MetricId metric, const TagMap& tags);

    Registry& registry_;
    TagInterner& tags_;
    EngineOptions options_;
    std::vector<std::unique_ptr<BatchConsumer>> consumers_;

    // Hand-over state (queue_mutex_).
    std::mutex queue_mutex_;
    std::condition_variable queue_cv_;
    std::vector<std::vector<Sample>> queue_;
    std::vector<std::vector<Sample>> free_;
    std::unordered_set<ThreadSink*> sinks_;
    bool stopping_ = false;

    // Serialises process_pending() so consumers see batches one at a time, in order.
    std::mutex process_mutex_;

    // Aggregates (state_mutex_).
    mutable std::mutex state_mutex_;
    std::vector<std::unique_ptr<Sink>> metrics_; // by MetricId; null until the first sample
    std::vector<std::unique_ptr<Submetric>> submetrics_;
    std::unordered_map<std::uint64_t, Route> routes_; // key: metric << 32 | tag set
    std::vector<std::unique_ptr<CheckCounts>> checks_;
    std::map<std::pair<std::string, std::string>, CheckCounts*> check_index_;
    std::vector<std::string> groups_;
    std::unordered_set<std::string> group_index_;
    std::vector<std::unique_ptr<Cell>> cells_;
    std::map<std::pair<std::string, std::string>, Cell*> cell_index_;
    std::uint64_t cell_checks_seen_ = 0;
    std::uint64_t samples_ = 0;

    std::atomic<std::int64_t> start_ns_{0};
    std::atomic<std::int64_t> end_ns_{0}; // 0: not ended
    std::thread thread_;
    bool started_ = false;
    bool stopped_ = false;
};

} // namespace volley::metrics
