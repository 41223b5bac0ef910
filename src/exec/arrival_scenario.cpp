// The driver of the arrival-rate executors: iterations start at the policy's times on a free VU
// of the scenario; with none free the iteration is dropped (dropped_iterations) and, below
// maxVUs, one more VU is initialised in the background (k6 constant_arrival_rate.go).

#include <deque>

#include <fmt/format.h>

#include "exec/scenario_run.hpp"
#include "util/log.hpp"

namespace volley::exec {
namespace {

constexpr Duration kInterruptRetry = std::chrono::milliseconds(20);

class ArrivalScenario final : public ScenarioRun {
public:
    ArrivalScenario(RunControl& control, const config::ScenarioConfig& config,
                    metrics::TagSetId tags, ScenarioCounters& counters,
                    std::unique_ptr<ArrivalSchedule> schedule)
        : ScenarioRun(control, config, tags, counters), schedule_(std::move(schedule)) {
        iteration_stripe_ = &schedule_->iteration_stripe();
    }

    Duration tick(Duration now) override;
    bool finished() const override { return done_; }

private:
    struct Member {
        VuSlot* slot = nullptr;
        std::uint64_t done = 0; // iterations this VU ran in the scenario
    };

    void start();
    void add_member(VuSlot& slot);
    void acquire_planned();
    void adopt_grown();
    void start_or_drop(Duration scheduled);
    void drop();
    void grow();
    void hard_stop();
    void finish();
    Duration next_deadline(Duration now) const;

    std::unique_ptr<ArrivalSchedule> schedule_;
    std::deque<std::unique_ptr<Member>> members_; // stable addresses: jobs hold pointers
    std::deque<Member*> free_;
    std::optional<Duration> next_;
    std::size_t busy_ = 0;
    std::uint64_t started_iterations_ = 0;
    VuSlot* growing_ = nullptr; // an unplanned VU being initialised
    bool warned_ = false;
    bool grow_failed_ = false;
    std::atomic<bool> hard_stopped_{false};
    bool done_ = false;
};

Duration ArrivalScenario::tick(Duration now) {
    Duration t = now - config_.start_time;
    if (t < Duration{0}) {
        return config_.start_time;
    }
    if (done_) {
        return kNever;
    }
    if (!started_) {
        start();
    }
    acquire_planned();
    adopt_grown();
    if (control_.stopping.load() || t >= schedule_->regular_duration() + config_.graceful_stop) {
        hard_stop();
    }
    if (hard_stopped_.load()) {
        for (auto& m : members_) {
            interrupt_if_running(*m->slot);
        }
    } else {
        while (next_ && *next_ <= t) {
            start_or_drop(*next_);
            next_ = schedule_->next_start();
        }
    }
    if (busy_ == 0 && growing_ == nullptr && (hard_stopped_.load() || !next_)) {
        finish();
        return kNever;
    }
    return next_deadline(now);
}

void ArrivalScenario::start() {
    mark_started();
    next_ = schedule_->next_start();
}

void ArrivalScenario::add_member(VuSlot& slot) {
    members_.push_back(std::make_unique<Member>(Member{&slot, 0}));
    free_.push_back(members_.back().get());
    // k6 counts every VU an arrival-rate scenario holds as active.
    add_active_vus(1);
}

void ArrivalScenario::acquire_planned() {
    while (members_.size() < schedule_->pre_allocated_vus() && !hard_stopped_.load()) {
        VuSlot* slot = control_.pool.acquire();
        if (slot == nullptr) {
            return; // retried when another scenario gives VUs back
        }
        add_member(*slot);
    }
}

void ArrivalScenario::adopt_grown() {
    if (growing_ == nullptr || !growing_->ready) {
        return;
    }
    if (growing_->vu) {
        add_member(*growing_);
    } else {
        grow_failed_ = true;
        log::Logger("exec").error(fmt::format(
            "scenario {}: could not initialize a new VU; not trying again", config_.name));
    }
    growing_ = nullptr;
}

void ArrivalScenario::start_or_drop(Duration /*scheduled*/) {
    if (free_.empty()) {
        drop();
        return;
    }
    Member* m = free_.front();
    free_.pop_front();
    ++busy_;
    std::uint64_t in_test = started_iterations_++;
    control_.pool.post(*m->slot, [this, m, in_test](Yield yield) {
        if (run_one(*m->slot, m->done, in_test, hard_stopped_, yield)) {
            ++m->done;
        }
        std::lock_guard lock(control_.sync.mutex);
        free_.push_back(m);
        --busy_;
        control_.sync.cv.notify_all();
    });
}

void ArrivalScenario::drop() {
    control_.state.dropped_iterations.fetch_add(1, std::memory_order_relaxed);
    control_.sink.add(metrics::Sample{control_.builtins.dropped_iterations, tags_,
                                      control_.clock.unix_ns(), 1.0});
    grow();
}

void ArrivalScenario::grow() {
    if (growing_ != nullptr || grow_failed_ || control_.runner == nullptr) {
        return;
    }
    if (members_.size() >= schedule_->max_vus()) {
        if (!warned_) {
            warned_ = true;
            log::write(log::Level::kWarn,
                       fmt::format("Insufficient VUs, reached {} active VUs and cannot "
                                   "initialize more",
                                   members_.size()),
                       {{"executor", executor_name_}, {"scenario", config_.name}});
        }
        return;
    }
    growing_ = &control_.pool.spawn(*control_.runner);
}

void ArrivalScenario::hard_stop() {
    hard_stopped_.store(true);
}

void ArrivalScenario::finish() {
    done_ = true;
    mark_finished();
    for (auto& m : members_) {
        control_.pool.release(*m->slot);
        add_active_vus(-1);
    }
    members_.clear();
    free_.clear();
}

Duration ArrivalScenario::next_deadline(Duration now) const {
    Duration start = config_.start_time;
    Duration next = next_ && !hard_stopped_.load() ? start + *next_ : kNever;
    Duration retry = hard_stopped_.load() && busy_ > 0 ? now + kInterruptRetry : kNever;
    return earliest_after(
        now, {start + schedule_->regular_duration() + config_.graceful_stop, next, retry});
}

} // namespace

std::unique_ptr<ScenarioRun> make_arrival_scenario(RunControl& control,
                                                   const config::ScenarioConfig& config,
                                                   metrics::TagSetId tags,
                                                   ScenarioCounters& counters) {
    auto schedule = make_arrival_schedule(config, control.options.execution);
    if (!schedule) {
        return nullptr;
    }
    return std::make_unique<ArrivalScenario>(control, config, tags, counters, std::move(schedule));
}

} // namespace volley::exec
