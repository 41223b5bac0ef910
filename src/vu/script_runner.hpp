#pragma once

// The JS side of a run for the scheduler (exec::Runner): VUs built from the bundle on their
// workers, setup()/teardown()/handleSummary() on a lifecycle VU (__VU 0) on worker 0, and the
// per-worker sample sinks with their periodic flush.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exec/runner.hpp"
#include "exec/workers.hpp"
#include "metrics/engine.hpp"
#include "vu/vu.hpp"

namespace volley::vu {

class ScriptRunner final : public exec::Runner {
public:
    // `shared` (with its bundle set), `workers` and `engine` must outlive the runner. Creates one
    // sample sink per worker and starts flushing them every `flush_period`.
    ScriptRunner(const VuShared& shared, exec::Workers& workers, metrics::Engine& engine,
                 std::chrono::milliseconds flush_period = std::chrono::milliseconds(100));
    ~ScriptRunner() override; // NOLINT(bugprone-exception-escape): see the .cpp

    std::unique_ptr<exec::Vu> new_vu(std::uint64_t id, std::size_t worker, Yield yield) override;
    void setup(Yield yield) override;
    void teardown(Yield yield) override;
    void interrupt_lifecycle() override;

    // Runs handleSummary(JSON.parse(data_json)) on the lifecycle VU. Blocks the calling (main)
    // thread until it is done. Call after the scenarios ended. After `timeout` the VU is
    // interrupted and, as in k6, whatever it returned is discarded: the result is `timed_out`
    // with the error `handleSummary() execution timed out after N seconds`.
    HandleSummaryResult handle_summary(const std::string& data_json,
                                       std::chrono::milliseconds timeout);

    // JSON of setup()'s result ("" when it returned nothing or did not run).
    const std::string& setup_data() const { return setup_data_; }

    // Stops the periodic flushes and hands every buffered sample to the engine. Blocks until
    // done; call once all VUs are idle.
    void flush_and_stop();

private:
    class Running;
    Vu& lifecycle_vu(Yield yield);
    void schedule_flush(std::size_t worker);

    const VuShared& shared_;
    exec::Workers& workers_;
    std::chrono::milliseconds flush_period_;
    std::vector<std::unique_ptr<metrics::SampleSink>> sinks_;
    std::vector<std::unique_ptr<boost::asio::steady_timer>> flush_timers_;
    std::atomic<bool> flushing_{true};
    std::unique_ptr<Vu> lifecycle_; // lives on worker 0
    std::mutex lifecycle_mutex_;
    Vu* lifecycle_running_ = nullptr;
    std::string setup_data_;
};

} // namespace volley::vu
