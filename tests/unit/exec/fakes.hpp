#pragma once

// Fakes for executor and scheduler tests (style.md rule 24): a VU whose iterations move a
// ManualClock instead of taking time, a Runner that creates them, and a sample sink.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "exec/clock.hpp"
#include "exec/runner.hpp"
#include "exec/vu.hpp"
#include "metrics/sample.hpp"
#include "util/coroutine.hpp"
#include "util/error.hpp"

namespace volley::exec::testing {

// One run_iteration() call as the fake saw it.
struct IterationRecord {
    std::uint64_t vu = 0;
    std::string scenario;
    std::string executor;
    std::string exec;
    std::uint64_t in_scenario = 0;
    std::uint64_t in_test = 0;
    Duration started{0}; // ManualClock time
    IterationResult result = IterationResult::kCompleted;
};

// What an iteration does: `advance` moves the clock, then it returns kCompleted or, when
// `hang` is set, waits until interrupt() and returns kInterrupted.
struct IterationBehaviour {
    Duration advance{0};
    bool hang = false;
    std::function<void()> on_start; // called on the worker when the iteration starts
};

inline IterationBehaviour advance(Duration d) {
    IterationBehaviour b;
    b.advance = d;
    return b;
}

inline IterationBehaviour hang_after(Duration d) {
    IterationBehaviour b = advance(d);
    b.hang = true;
    return b;
}

class FakeRunner;

class FakeVu final : public Vu {
public:
    FakeVu(FakeRunner& runner, std::uint64_t id, std::size_t worker)
        : runner_(runner), id_(id), worker_(worker) {}
    ~FakeVu() override;
    std::uint64_t id() const override { return id_; }
    std::size_t worker() const override { return worker_; }
    IterationResult run_iteration(const IterationContext& ctx, Yield yield) override;
    void interrupt() override;

private:
    IterationResult hang(Yield yield);

    FakeRunner& runner_;
    std::uint64_t id_;
    std::size_t worker_;
    std::mutex mutex_;
    bool interrupted_ = false;
    SteadyTimer* timer_ = nullptr;
    std::optional<boost::asio::io_context::executor_type> executor_;
};

class FakeRunner final : public Runner {
public:
    explicit FakeRunner(ManualClock& clock) : clock_(clock) {}

    // Configuration, set before run().
    std::function<IterationBehaviour(const IterationContext&, std::uint64_t vu)> behaviour =
        [](const IterationContext&, std::uint64_t) { return IterationBehaviour{}; };
    std::uint64_t fail_init_of = 0; // new_vu() of this id throws (0: none)
    bool setup_throws = false;
    bool teardown_throws = false;
    Duration setup_advance{0};
    bool setup_hangs = false;
    Duration teardown_advance{0};
    bool teardown_hangs = false;

    std::unique_ptr<Vu> new_vu(std::uint64_t id, std::size_t worker, Yield yield) override;
    void setup(Yield yield) override;
    void teardown(Yield yield) override;
    void interrupt_lifecycle() override;

    // Observations (thread-safe).
    std::vector<IterationRecord> iterations() const;
    std::vector<std::string> events() const; // "init 1", "setup", "teardown", "destroy 1", ...
    std::vector<Duration> interrupt_times() const;
    void record(IterationRecord r);
    void event(std::string e);
    void interrupted_at();
    ManualClock& clock() { return clock_; }

private:
    void lifecycle(const char* name, Duration advance, bool hang, bool fail, Yield yield);

    ManualClock& clock_;
    mutable std::mutex mutex_;
    std::vector<IterationRecord> iterations_;
    std::vector<std::string> events_;
    std::vector<Duration> interrupt_times_;
    std::atomic<bool> lifecycle_interrupted_{false};
    std::mutex lifecycle_mutex_;
    SteadyTimer* lifecycle_timer_ = nullptr;
    std::optional<boost::asio::io_context::executor_type> lifecycle_executor_;
};

// Waits on `timer` until cancelled; the caller arranges the cancel.
inline void wait_forever(SteadyTimer& timer, Yield yield) {
    timer.expires_at(SteadyTimer::time_point::max());
    boost::system::error_code ec;
    timer.async_wait(yield[ec]);
}

inline FakeVu::~FakeVu() {
    runner_.event("destroy " + std::to_string(id_));
}

inline IterationResult FakeVu::run_iteration(const IterationContext& ctx, Yield yield) {
    IterationBehaviour b = runner_.behaviour(ctx, id_);
    IterationRecord rec{id_,
                        *ctx.scenario,
                        *ctx.executor,
                        *ctx.exec,
                        ctx.iteration_in_scenario,
                        ctx.iteration_in_test,
                        runner_.clock().now()};
    if (b.on_start) {
        b.on_start();
    }
    runner_.clock().advance(b.advance);
    rec.result = b.hang ? hang(yield) : IterationResult::kCompleted;
    runner_.record(rec);
    std::lock_guard lock(mutex_);
    interrupted_ = false; // sticky until the iteration ends, unlike the real VU (see scheduler)
    return rec.result;
}

inline IterationResult FakeVu::hang(Yield yield) {
    SteadyTimer timer(yield.get_executor());
    {
        std::lock_guard lock(mutex_);
        if (interrupted_) {
            return IterationResult::kInterrupted;
        }
        timer_ = &timer;
        executor_ = yield.get_executor();
    }
    wait_forever(timer, yield);
    std::lock_guard lock(mutex_);
    timer_ = nullptr;
    return IterationResult::kInterrupted;
}

inline void FakeVu::interrupt() {
    runner_.interrupted_at();
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    if (timer_ != nullptr) {
        boost::asio::post(*executor_, [this] {
            std::lock_guard l(mutex_);
            if (timer_ != nullptr) {
                timer_->cancel();
            }
        });
    }
}

inline std::unique_ptr<Vu> FakeRunner::new_vu(std::uint64_t id, std::size_t worker, Yield) {
    event("init " + std::to_string(id));
    if (id == fail_init_of) {
        throw UserError("init failed for VU " + std::to_string(id), "", ExitCode::kScriptException);
    }
    return std::make_unique<FakeVu>(*this, id, worker);
}

inline void FakeRunner::setup(Yield yield) {
    lifecycle("setup", setup_advance, setup_hangs, setup_throws, yield);
}

inline void FakeRunner::teardown(Yield yield) {
    lifecycle("teardown", teardown_advance, teardown_hangs, teardown_throws, yield);
}

inline void FakeRunner::lifecycle(const char* name, Duration advance, bool hang, bool fail,
                                  Yield yield) {
    event(name);
    clock_.advance(advance);
    if (hang) {
        SteadyTimer timer(yield.get_executor());
        {
            std::lock_guard lock(lifecycle_mutex_);
            lifecycle_timer_ = &timer;
            lifecycle_executor_ = yield.get_executor();
        }
        if (!lifecycle_interrupted_.load()) {
            wait_forever(timer, yield);
        }
        std::lock_guard lock(lifecycle_mutex_);
        lifecycle_timer_ = nullptr;
        throw UserError(std::string(name) + " interrupted", "", ExitCode::kScriptException);
    }
    if (fail) {
        throw UserError(std::string(name) + " failed", "", ExitCode::kScriptException);
    }
}

inline void FakeRunner::interrupt_lifecycle() {
    event("interrupt lifecycle");
    lifecycle_interrupted_.store(true);
    std::lock_guard lock(lifecycle_mutex_);
    if (lifecycle_timer_ != nullptr) {
        boost::asio::post(*lifecycle_executor_, [this] {
            std::lock_guard l(lifecycle_mutex_);
            if (lifecycle_timer_ != nullptr) {
                lifecycle_timer_->cancel();
            }
        });
    }
}

inline std::vector<IterationRecord> FakeRunner::iterations() const {
    std::lock_guard lock(mutex_);
    return iterations_;
}

inline std::vector<std::string> FakeRunner::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

inline std::vector<Duration> FakeRunner::interrupt_times() const {
    std::lock_guard lock(mutex_);
    return interrupt_times_;
}

inline void FakeRunner::record(IterationRecord r) {
    std::lock_guard lock(mutex_);
    iterations_.push_back(std::move(r));
}

inline void FakeRunner::event(std::string e) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
}

inline void FakeRunner::interrupted_at() {
    std::lock_guard lock(mutex_);
    interrupt_times_.push_back(clock_.now());
}

// Collects samples; used from one thread only, as a SampleSink is.
class CaptureSink final : public metrics::SampleSink {
public:
    void add(const metrics::Sample& s) override { samples.push_back(s); }
    void flush() override {}
    std::vector<double> values(metrics::MetricId id) const {
        std::vector<double> out;
        for (const auto& s : samples) {
            if (s.metric == id) {
                out.push_back(s.value);
            }
        }
        return out;
    }
    std::vector<metrics::Sample> samples;
};

} // namespace volley::exec::testing
