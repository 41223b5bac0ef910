// The driver of the looping executors (shared-iterations, per-vu-iterations, constant-vus,
// ramping-vus): one "lane" per VU index, each running an iteration loop on its VU's coroutine
// while the policy allows it.

#include <boost/asio/post.hpp>

#include "exec/scenario_run.hpp"

namespace volley::exec {
namespace {

// How often the control thread repeats interrupts for iterations that have not returned yet:
// an interrupt() that lands just before run_iteration() starts is cleared by it.
constexpr Duration kInterruptRetry = std::chrono::milliseconds(20);

class LoopScenario final : public ScenarioRun {
public:
    LoopScenario(RunControl& control, const config::ScenarioConfig& config, metrics::TagSetId tags,
                 ScenarioCounters& counters, std::unique_ptr<LoopingExecutor> exec)
        : ScenarioRun(control, config, tags, counters), exec_(std::move(exec)),
          lanes_(exec_->max_vus()) {
        iteration_stripe_ = &exec_->iteration_stripe();
    }

    Duration tick(Duration now) override;
    bool finished() const override { return done_; }

private:
    struct Lane {
        VuSlot* slot = nullptr;
        bool wanted = false;    // should start looping as soon as it has a VU
        bool running = false;   // a loop job is queued or running
        bool rearm = false;     // re-activated while its loop was ending: keep looping
        std::uint64_t done = 0; // iterations this VU ran in the scenario (VU coroutine only)
    };

    void follow_policy(Duration t);
    void dispatch_wanted();
    void lane_job(std::size_t index, Yield yield);
    void hard_stop();
    void interrupt_from(std::uint64_t first);
    bool can_finish(Duration t) const;
    void finish();
    Duration next_deadline(Duration now, Duration t) const;

    std::unique_ptr<LoopingExecutor> exec_;
    std::vector<Lane> lanes_; // fixed size: jobs hold references
    std::uint64_t activated_ = 0;
    std::size_t running_ = 0;
    std::atomic<bool> hard_stopped_{false};
    bool done_ = false;
};

Duration LoopScenario::tick(Duration now) {
    Duration t = now - config_.start_time;
    if (t < Duration{0}) {
        return config_.start_time;
    }
    if (done_) {
        return kNever;
    }
    if (!started_) {
        mark_started();
    }
    if (control_.stopping.load() || t >= exec_->regular_duration() + config_.graceful_stop) {
        hard_stop();
    }
    if (hard_stopped_.load()) {
        interrupt_from(0);
    } else {
        follow_policy(t);
    }
    if (can_finish(t)) {
        finish();
        return kNever;
    }
    return next_deadline(now, t);
}

void LoopScenario::follow_policy(Duration t) {
    std::uint64_t desired = exec_->active_vus(t);
    for (std::uint64_t i = activated_; i < desired; ++i) {
        lanes_[i].wanted = true;
    }
    for (std::uint64_t i = desired; i < lanes_.size(); ++i) {
        lanes_[i].wanted = false;
    }
    activated_ = desired;
    dispatch_wanted();
    interrupt_from(exec_->graceful_vus(t));
}

void LoopScenario::dispatch_wanted() {
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
        Lane& lane = lanes_[i];
        if (!lane.wanted) {
            continue;
        }
        if (lane.running) {
            lane.rearm = true;
        } else {
            if (lane.slot == nullptr && (lane.slot = control_.pool.acquire()) == nullptr) {
                return; // no free VU yet: retried when a scenario gives VUs back
            }
            lane.running = true;
            ++running_;
            add_active_vus(1);
            control_.pool.post(*lane.slot, [this, i](Yield yield) { lane_job(i, yield); });
        }
        lane.wanted = false;
    }
}

void LoopScenario::lane_job(std::size_t index, Yield yield) {
    Lane& lane = lanes_[index];
    for (;;) {
        while (auto n = exec_->claim(index, lane.done, elapsed())) {
            if (!run_one(*lane.slot, lane.done, *n, hard_stopped_, yield)) {
                break;
            }
            ++lane.done;
            // Let the other VUs of this worker run, even if iterations never suspend.
            boost::asio::post(yield.get_executor(), yield);
        }
        std::lock_guard lock(control_.sync.mutex);
        if (lane.rearm && !hard_stopped_.load()) {
            lane.rearm = false;
            continue;
        }
        lane.rearm = false;
        lane.running = false;
        --running_;
        add_active_vus(-1);
        control_.sync.cv.notify_all();
        return;
    }
}

void LoopScenario::hard_stop() {
    hard_stopped_.store(true);
    for (auto& lane : lanes_) {
        lane.wanted = false;
    }
}

void LoopScenario::interrupt_from(std::uint64_t first) {
    for (std::uint64_t i = first; i < lanes_.size(); ++i) {
        if (lanes_[i].running) {
            interrupt_if_running(*lanes_[i].slot);
        }
    }
}

bool LoopScenario::can_finish(Duration t) const {
    if (running_ > 0) {
        return false;
    }
    if (hard_stopped_.load() || t >= exec_->regular_duration()) {
        return true;
    }
    for (const auto& lane : lanes_) {
        if (lane.wanted) {
            return false;
        }
    }
    return !exec_->next_change(t).has_value();
}

void LoopScenario::finish() {
    done_ = true;
    mark_finished();
    for (auto& lane : lanes_) {
        if (lane.slot != nullptr) {
            control_.pool.release(*lane.slot);
            lane.slot = nullptr;
        }
    }
}

Duration LoopScenario::next_deadline(Duration now, Duration t) const {
    Duration start = config_.start_time;
    Duration regular = exec_->regular_duration();
    Duration change = exec_->next_change(t).value_or(kNever - start);
    Duration retry = hard_stopped_.load() && running_ > 0 ? now + kInterruptRetry : kNever;
    return earliest_after(
        now, {start + regular, start + regular + config_.graceful_stop, start + change, retry});
}

} // namespace

std::unique_ptr<ScenarioRun> make_loop_scenario(RunControl& control,
                                                const config::ScenarioConfig& config,
                                                metrics::TagSetId tags,
                                                ScenarioCounters& counters) {
    auto exec = make_looping_executor(config, control.options.execution);
    if (!exec) {
        return nullptr;
    }
    return std::make_unique<LoopScenario>(control, config, tags, counters, std::move(exec));
}

} // namespace volley::exec
