#include "app/control_surface.hpp"

namespace volley::app {

void ControlSurface::attach(exec::Scheduler& scheduler) {
    std::lock_guard lock(mutex_);
    scheduler_ = &scheduler;
    if (paused_) {
        scheduler.start_paused();
    }
    if (stopped_) {
        scheduler.abort("test run stopped from REST API", ExitCode::kStoppedFromRestApi);
    }
}

void ControlSurface::detach() {
    std::lock_guard lock(mutex_);
    if (scheduler_ != nullptr) {
        final_ = status_of(*scheduler_);
    }
    scheduler_ = nullptr;
    detached_ = true;
}

RestStatus ControlSurface::status_of(const exec::Scheduler& scheduler) const {
    const auto& state = scheduler.state();
    RestStatus s;
    s.status = static_cast<int>(state.status.load());
    s.paused = scheduler.paused();
    s.vus = state.vus_active.load(std::memory_order_relaxed);
    s.vus_max = state.vus_initialized.load(std::memory_order_relaxed);
    s.running = state.started.load() && !state.ended.load();
    s.stopped = stopped_;
    s.tainted = !thresholds_.failed_names().empty();
    return s;
}

RestStatus ControlSurface::status() {
    std::lock_guard lock(mutex_);
    if (scheduler_ != nullptr) {
        return status_of(*scheduler_);
    }
    if (detached_) {
        RestStatus s = final_;
        s.stopped = stopped_;
        return s;
    }
    RestStatus s; // the VUs are not being initialised yet
    s.paused = paused_;
    s.stopped = stopped_;
    return s;
}

std::string ControlSurface::set_paused(bool pause) {
    std::lock_guard lock(mutex_);
    if (scheduler_ != nullptr) {
        return scheduler_->set_paused(pause);
    }
    if (detached_ || !paused_) {
        return exec::pause_refusal(options_);
    }
    if (pause) {
        return "execution is already paused";
    }
    paused_ = false;
    return "";
}

void ControlSurface::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    if (scheduler_ != nullptr) {
        scheduler_->abort("test run stopped from REST API", ExitCode::kStoppedFromRestApi);
    }
}

} // namespace volley::app
