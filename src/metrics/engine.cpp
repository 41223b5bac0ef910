#include "metrics/engine.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/time.hpp"

namespace volley::metrics {

// The per-thread sink. The buffer's capacity is reserved up front, so add() never allocates;
// exchange() swaps the full buffer for a recycled one.
class Engine::ThreadSink final : public SampleSink {
public:
    ThreadSink(Engine& engine, std::vector<Sample> buffer)
        : engine_(engine), buffer_(std::move(buffer)), capacity_(buffer_.capacity()) {}
    ~ThreadSink() override {
        flush();
        engine_.unregister_sink(this);
    }

    void add(const Sample& sample) override {
        buffer_.push_back(sample);
        if (buffer_.size() >= capacity_) {
            flush();
        }
    }

    void flush() override {
        if (!buffer_.empty()) {
            buffer_ = engine_.exchange(std::move(buffer_));
        }
    }

private:
    Engine& engine_;
    std::vector<Sample> buffer_;
    std::size_t capacity_;
};

Engine::Engine(Registry& registry, TagInterner& tags, EngineOptions options)
    : registry_(registry), tags_(tags), options_(std::move(options)) {
    options_.buffer_samples = std::max<std::size_t>(options_.buffer_samples, 1);
}

Engine::~Engine() {
    stop();
}

std::unique_ptr<SampleSink> Engine::make_thread_sink() {
    std::vector<Sample> buffer;
    buffer.reserve(options_.buffer_samples);
    auto sink = std::make_unique<ThreadSink>(*this, std::move(buffer));
    register_sink(sink.get());
    return sink;
}

void Engine::register_sink(ThreadSink* sink) {
    std::lock_guard lock(queue_mutex_);
    sinks_.insert(sink);
}

void Engine::unregister_sink(ThreadSink* sink) {
    std::lock_guard lock(queue_mutex_);
    sinks_.erase(sink);
}

std::vector<Sample> Engine::exchange(std::vector<Sample>&& full) {
    std::vector<Sample> fresh;
    {
        std::lock_guard lock(queue_mutex_);
        queue_.push_back(std::move(full));
        if (!free_.empty()) {
            fresh = std::move(free_.back());
            free_.pop_back();
        }
    }
    queue_cv_.notify_one();
    if (fresh.capacity() < options_.buffer_samples) {
        // Only when the aggregation thread is behind and no buffer is free.
        fresh.reserve(options_.buffer_samples);
    }
    return fresh;
}

void Engine::add(std::span<const Sample> samples) {
    if (samples.empty()) {
        return;
    }
    {
        std::lock_guard lock(queue_mutex_);
        queue_.emplace_back(samples.begin(), samples.end());
    }
    queue_cv_.notify_one();
}

void Engine::add_consumer(std::unique_ptr<BatchConsumer> consumer) {
    VOLLEY_CHECK(!started_);
    consumers_.push_back(std::move(consumer));
}

SubmetricId Engine::add_submetric(MetricId parent, const TagMap& filter) {
    VOLLEY_CHECK(!started_);
    std::lock_guard lock(state_mutex_);
    for (std::size_t i = 0; i < submetrics_.size(); ++i) {
        if (submetrics_[i]->parent == parent && submetrics_[i]->filter == filter) {
            return static_cast<SubmetricId>(i);
        }
    }
    Sink sink(registry_.def(parent).type, options_.trend_exact_budget);
    submetrics_.push_back(
        std::make_unique<Submetric>(Submetric{parent, filter, std::move(sink), {}}));
    routes_.clear(); // routes computed before now lack this submetric
    return static_cast<SubmetricId>(submetrics_.size() - 1);
}

SubmetricId Engine::add_summary_submetric(MetricId parent, const TagMap& filter, std::string name) {
    SubmetricId id = add_submetric(parent, filter);
    std::lock_guard lock(state_mutex_);
    submetrics_[id]->summary_name = std::move(name);
    return id;
}

std::vector<std::pair<std::string, SubmetricId>> Engine::observed_summary_submetrics() const {
    std::lock_guard lock(state_mutex_);
    std::vector<std::pair<std::string, SubmetricId>> out;
    for (std::size_t i = 0; i < submetrics_.size(); ++i) {
        const auto& sub = *submetrics_[i];
        if (!sub.summary_name.empty() && sub.sink.samples() > 0) {
            out.emplace_back(sub.summary_name, static_cast<SubmetricId>(i));
        }
    }
    return out;
}

void Engine::start() {
    VOLLEY_CHECK(!started_ && !stopped_);
    for (auto& consumer : consumers_) {
        consumer->start();
    }
    started_ = true;
    thread_ = std::thread([this] { run(); });
}

void Engine::run() {
    auto next_tick = std::chrono::steady_clock::now() + options_.tick_interval;
    std::unique_lock lock(queue_mutex_);
    while (!stopping_) {
        queue_cv_.wait_until(lock, next_tick, [this] { return stopping_ || !queue_.empty(); });
        lock.unlock();
        process_pending();
        if (options_.on_tick && std::chrono::steady_clock::now() >= next_tick) {
            options_.on_tick();
            next_tick = std::chrono::steady_clock::now() + options_.tick_interval;
        }
        lock.lock();
    }
}

void Engine::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
    }
    queue_cv_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
    // Workers have stopped adding: collect what their sinks still hold.
    std::vector<ThreadSink*> live;
    {
        std::lock_guard lock(queue_mutex_);
        live.assign(sinks_.begin(), sinks_.end());
    }
    for (ThreadSink* sink : live) {
        sink->flush();
    }
    process_pending();
    for (auto& consumer : consumers_) {
        consumer->stop();
    }
}

void Engine::process_pending() {
    std::lock_guard process_lock(process_mutex_);
    std::vector<std::vector<Sample>> batches;
    {
        std::lock_guard lock(queue_mutex_);
        batches.swap(queue_);
    }
    for (auto& batch : batches) {
        {
            std::lock_guard lock(state_mutex_);
            aggregate(batch);
        }
        for (auto& consumer : consumers_) {
            consumer->consume(batch);
        }
        batch.clear();
    }
    std::lock_guard lock(queue_mutex_);
    for (auto& batch : batches) {
        if (batch.capacity() >= options_.buffer_samples) {
            free_.push_back(std::move(batch));
        }
    }
}

void Engine::aggregate(std::span<const Sample> batch) {
    for (const Sample& s : batch) {
        std::uint64_t key = (std::uint64_t{s.metric} << 32) | s.tags;
        auto it = routes_.find(key);
        if (it == routes_.end()) {
            it = routes_.emplace(key, make_route(s.metric, s.tags)).first;
        }
        Route& route = it->second;
        route.metric->add(s.value, s.time_ns);
        for (Sink* sub : route.submetrics) {
            sub->add(s.value, s.time_ns);
        }
        if (route.check != nullptr) {
            (s.value != 0 ? route.check->passes : route.check->fails) += 1;
        }
        if (route.cell_metric != nullptr) {
            route.cell_metric->add(s.value, s.time_ns);
        }
        if (route.cell_check != nullptr) {
            (s.value != 0 ? route.cell_check->passes : route.cell_check->fails) += 1;
        }
    }
    samples_ += batch.size();
}

void Engine::add_aggregate(MetricId metric, TagSetId tags, const Sink& aggregate) {
    std::lock_guard process_lock(process_mutex_);
    std::lock_guard lock(state_mutex_);
    std::uint64_t key = (std::uint64_t{metric} << 32) | tags;
    auto it = routes_.find(key);
    if (it == routes_.end()) {
        it = routes_.emplace(key, make_route(metric, tags)).first;
    }
    Route& route = it->second;
    route.metric->merge(aggregate);
    for (Sink* sub : route.submetrics) {
        sub->merge(aggregate);
    }
    if (route.cell_metric != nullptr) {
        route.cell_metric->merge(aggregate);
    }
    if (route.cell_check != nullptr) { // a `checks` aggregate: a RateSink
        route.cell_check->passes += aggregate.rate().trues;
        route.cell_check->fails += aggregate.rate().fails();
    }
    if (route.check != nullptr) {
        route.check->passes += aggregate.rate().trues;
        route.check->fails += aggregate.rate().fails();
    }
    samples_ += aggregate.samples();
}

Engine::Route Engine::make_route(MetricId metric, TagSetId tag_set) {
    Route route;
    route.metric = &metric_sink(metric);
    const TagMap& tags = tags_.get(tag_set);
    for (auto& sub : submetrics_) {
        bool match = sub->parent == metric &&
                     std::all_of(sub->filter.begin(), sub->filter.end(), [&](const auto& kv) {
                         auto t = tags.find(kv.first);
                         return t != tags.end() && t->second == kv.second;
                     });
        if (match) {
            route.submetrics.push_back(&sub->sink);
        }
    }
    note_group(tags);
    auto check = tags.find("check");
    if (metric == registry_.builtins().checks && check != tags.end()) {
        auto group = tags.find("group");
        std::string group_path = group == tags.end() ? std::string() : group->second;
        auto& slot = check_index_[{group_path, check->second}];
        if (slot == nullptr) {
            checks_.push_back(
                std::make_unique<CheckCounts>(CheckCounts{group_path, check->second}));
            slot = checks_.back().get();
        }
        route.check = slot;
    }
    if (options_.breakdown) {
        route_to_cell(route, metric, tags);
    }
    return route;
}

void Engine::route_to_cell(Route& route, MetricId metric, const TagMap& tags) {
    auto value_of = [&](const char* key) {
        auto it = tags.find(key);
        return it == tags.end() ? std::string() : it->second;
    };
    std::string scenario = value_of("scenario");
    std::string group = value_of("group");
    if (group.empty() && (scenario.empty() || scenario == "default")) {
        return;
    }
    Cell*& cell = cell_index_[{scenario, group}];
    if (cell == nullptr) {
        cells_.push_back(std::make_unique<Cell>(Cell{scenario, group, {}, {}}));
        cell = cells_.back().get();
    }
    auto sink = std::find_if(cell->metrics.begin(), cell->metrics.end(),
                             [&](const auto& m) { return m.first == metric; });
    if (sink == cell->metrics.end()) {
        cell->metrics.emplace_back(metric, std::make_unique<Sink>(registry_.def(metric).type,
                                                                  options_.trend_exact_budget));
        sink = std::prev(cell->metrics.end());
    }
    route.cell_metric = sink->second.get();
    auto check = tags.find("check");
    if (metric != registry_.builtins().checks || check == tags.end()) {
        return;
    }
    auto slot = std::find_if(cell->checks.begin(), cell->checks.end(),
                             [&](const auto& c) { return c->name == check->second; });
    if (slot == cell->checks.end()) {
        cell->checks.push_back(
            std::make_unique<CellCheck>(CellCheck{check->second, 0, 0, cell_checks_seen_++}));
        slot = std::prev(cell->checks.end());
    }
    route.cell_check = slot->get();
}

Sink& Engine::metric_sink(MetricId id) {
    if (id >= metrics_.size()) {
        metrics_.resize(id + 1);
    }
    if (!metrics_[id]) {
        metrics_[id] = std::make_unique<Sink>(registry_.def(id).type, options_.trend_exact_budget);
    }
    return *metrics_[id];
}

void Engine::note_group(const TagMap& tags) {
    auto group = tags.find("group");
    if (group == tags.end() || group->second.empty()) {
        return;
    }
    if (group_index_.insert(group->second).second) {
        groups_.push_back(group->second);
    }
}

void Engine::set_start_time(std::int64_t time_ns) {
    start_ns_ = time_ns;
}

void Engine::set_end_time(std::int64_t time_ns) {
    end_ns_ = time_ns;
}

double Engine::elapsed_seconds() const {
    std::int64_t end = end_ns_;
    if (end == 0) {
        end = now_unix_ns();
    }
    std::int64_t ns = std::max<std::int64_t>(end - start_ns_, 1);
    return static_cast<double>(ns) / 1e9;
}

std::optional<Sink> Engine::metric(MetricId id) const {
    std::lock_guard lock(state_mutex_);
    if (id >= metrics_.size() || !metrics_[id]) {
        return std::nullopt;
    }
    return *metrics_[id];
}

Sink Engine::submetric(SubmetricId id) const {
    std::lock_guard lock(state_mutex_);
    VOLLEY_CHECK(id < submetrics_.size());
    return submetrics_[id]->sink;
}

MetricId Engine::submetric_parent(SubmetricId id) const {
    std::lock_guard lock(state_mutex_);
    VOLLEY_CHECK(id < submetrics_.size());
    return submetrics_[id]->parent;
}

std::vector<MetricId> Engine::observed_metrics() const {
    std::lock_guard lock(state_mutex_);
    std::vector<MetricId> ids;
    for (std::size_t i = 0; i < metrics_.size(); ++i) {
        if (metrics_[i]) {
            ids.push_back(static_cast<MetricId>(i));
        }
    }
    return ids;
}

std::vector<CheckCounts> Engine::checks() const {
    std::lock_guard lock(state_mutex_);
    std::vector<CheckCounts> out;
    out.reserve(checks_.size());
    for (const auto& c : checks_) {
        out.push_back(*c);
    }
    return out;
}

std::vector<std::string> Engine::groups() const {
    std::lock_guard lock(state_mutex_);
    return groups_;
}

std::vector<BreakdownCell> Engine::breakdown() const {
    std::lock_guard lock(state_mutex_);
    std::vector<BreakdownCell> out;
    out.reserve(cells_.size());
    for (const auto& cell : cells_) {
        BreakdownCell copy{cell->scenario, cell->group, {}, {}};
        for (const auto& [id, sink] : cell->metrics) {
            copy.metrics.emplace_back(id, *sink);
        }
        for (const auto& c : cell->checks) {
            copy.checks.push_back(*c);
        }
        out.push_back(std::move(copy));
    }
    return out;
}

std::uint64_t Engine::samples_aggregated() const {
    std::lock_guard lock(state_mutex_);
    return samples_;
}

} // namespace volley::metrics
