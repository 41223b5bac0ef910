#pragma once

// What k6's REST API controls (its api/v1 ControlSurface): the test's status, the pause before
// its start and a stop, whether or not the scheduler exists yet. The API thread calls it; the
// run attaches the scheduler while it runs and detaches it (keeping the final status) after.

#include <mutex>
#include <string>

#include "app/rest_api.hpp"
#include "exec/scheduler.hpp"
#include "metrics/thresholds.hpp"

namespace volley::app {

class ControlSurface final : public RestControl {
public:
    // `paused`: the test waits for `paused: false` before setup() (k6's --paused).
    ControlSurface(const config::RunOptions& options, const metrics::Thresholds& thresholds,
                   bool paused)
        : options_(options), thresholds_(thresholds), paused_(paused) {}

    // Before Scheduler::run(): hands it the pause (and a stop that came first).
    void attach(exec::Scheduler& scheduler);
    // After Scheduler::run() returned: the status stays as it ended.
    void detach();

    RestStatus status() override;
    std::string set_paused(bool pause) override;
    void stop() override;

private:
    RestStatus status_of(const exec::Scheduler& scheduler) const;

    const config::RunOptions& options_;
    const metrics::Thresholds& thresholds_;
    std::mutex mutex_;
    exec::Scheduler* scheduler_ = nullptr; // under mutex_
    bool paused_;                          // under mutex_, until attach()
    bool stopped_ = false;                 // under mutex_
    bool detached_ = false;                // under mutex_
    RestStatus final_;                     // under mutex_, once detached
};

} // namespace volley::app
