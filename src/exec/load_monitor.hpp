#pragma once

// Each worker measures its own load once a second (docs/insight.md, "Saturation"): how late a
// one-second timer on its event loop ran, and the share of the second its thread spent on CPU.
// Always on; a tick costs two clock reads and a timer. judge_saturation (saturation.hpp) reads
// the ticks at the end.

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "exec/saturation.hpp"
#include "exec/workers.hpp"

namespace volley::exec {

class LoadMonitor {
public:
    // Called on the worker's thread after each of its ticks (for --insight's metrics).
    using OnTick = std::function<void(std::size_t worker, const LoadTick& tick)>;

    // Starts a ticking timer on every worker of `workers`, which must outlive the monitor.
    explicit LoadMonitor(Workers& workers, OnTick on_tick = {});
    ~LoadMonitor(); // stop()
    LoadMonitor(const LoadMonitor&) = delete;
    LoadMonitor& operator=(const LoadMonitor&) = delete;

    // Takes a last tick on every worker (the interval since its previous one) and cancels the
    // timers; returns once every worker has done so (a worker busy in a VU's JS is waited
    // for). Idempotent. Call before the workers stop.
    void stop();

    // After stop(): each worker's ticks, in order.
    std::vector<std::vector<LoadTick>> ticks() const;

private:
    struct Probe;
    void arm(std::size_t worker);  // waits for the worker's next tick
    void tick(std::size_t worker); // measures and records one tick
    Workers& workers_;
    OnTick on_tick_;
    std::vector<std::unique_ptr<Probe>> probes_;
    bool stopped_ = false;
};

} // namespace volley::exec
