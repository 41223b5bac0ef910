#include "vu/script_runner.hpp"

#include <future>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "util/error.hpp"
#include "vu/vu_factory.hpp"

namespace volley::vu {

ScriptRunner::ScriptRunner(const VuShared& shared, exec::Workers& workers, metrics::Engine& engine,
                           std::chrono::milliseconds flush_period)
    : shared_(shared), workers_(workers), flush_period_(flush_period) {
    for (std::size_t i = 0; i < workers.size(); ++i) {
        sinks_.push_back(engine.make_thread_sink());
        flush_timers_.push_back(std::make_unique<boost::asio::steady_timer>(workers.context(i)));
        schedule_flush(i);
    }
}

// A failure to post or to wait here cannot be handled: terminating is the right outcome.
ScriptRunner::~ScriptRunner() { // NOLINT(bugprone-exception-escape)
    flush_and_stop();
    // The lifecycle VU must die on its own thread.
    if (lifecycle_) {
        std::promise<void> done;
        boost::asio::post(workers_.context(0), [&] {
            lifecycle_.reset();
            done.set_value();
        });
        done.get_future().wait();
    }
}

void ScriptRunner::schedule_flush(std::size_t worker) {
    auto& timer = *flush_timers_[worker];
    timer.expires_after(flush_period_);
    timer.async_wait([this, worker](boost::system::error_code ec) {
        sinks_[worker]->flush();
        if (!ec && flushing_.load(std::memory_order_relaxed)) {
            schedule_flush(worker);
        }
    });
}

void ScriptRunner::flush_and_stop() {
    if (!flushing_.exchange(false)) {
        return;
    }
    for (std::size_t i = 0; i < workers_.size(); ++i) {
        std::promise<void> done;
        auto& io = workers_.context(i);
        boost::asio::post(io, [this, i, &io, &done] {
            flush_timers_[i]->cancel();
            // The cancelled wait's handler is queued now; this runs after it (FIFO), so no
            // handler of ours is left to run once we return.
            boost::asio::post(io, [this, i, &done] {
                sinks_[i]->flush();
                done.set_value();
            });
        });
        done.get_future().wait();
    }
}

std::unique_ptr<exec::Vu> ScriptRunner::new_vu(std::uint64_t id, std::size_t worker, Yield yield) {
    auto vu = make_vu(shared_, id, worker, workers_.context(worker), *sinks_[worker], yield);
    vu->set_setup_data(&setup_data_);
    return vu;
}

Vu& ScriptRunner::lifecycle_vu(Yield yield) {
    if (!lifecycle_) {
        lifecycle_ = make_vu(shared_, 0, 0, workers_.context(0), *sinks_[0], yield);
    }
    return *lifecycle_;
}

// Marks the lifecycle VU as running (so interrupt_lifecycle() reaches it) for one call.
class ScriptRunner::Running {
public:
    Running(ScriptRunner& runner, Vu& vu) : runner_(runner) {
        std::lock_guard lock(runner_.lifecycle_mutex_);
        runner_.lifecycle_running_ = &vu;
    }
    ~Running() {
        std::lock_guard lock(runner_.lifecycle_mutex_);
        runner_.lifecycle_running_ = nullptr;
    }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

private:
    ScriptRunner& runner_;
};

void ScriptRunner::setup(Yield yield) {
    Vu& vu = lifecycle_vu(yield);
    Running running(*this, vu);
    setup_data_ = vu.call_lifecycle("setup", "", "::setup", yield);
}

void ScriptRunner::teardown(Yield yield) {
    Vu& vu = lifecycle_vu(yield);
    Running running(*this, vu);
    vu.call_lifecycle("teardown", setup_data_, "::teardown", yield);
}

void ScriptRunner::interrupt_lifecycle() {
    std::lock_guard lock(lifecycle_mutex_);
    if (lifecycle_running_ != nullptr) {
        lifecycle_running_->interrupt();
    }
}

HandleSummaryResult ScriptRunner::handle_summary(const std::string& data_json,
                                                 std::chrono::milliseconds timeout) {
    std::promise<HandleSummaryResult> result;
    auto future = result.get_future();
    workers_.spawn(0, [&](Yield yield) {
        HandleSummaryResult r;
        try {
            Vu& vu = lifecycle_vu(yield);
            Running running(*this, vu);
            r = vu.call_handle_summary(data_json, yield);
        } catch (const UserError& e) {
            r.defined = true;
            r.error = e.what();
        }
        result.set_value(std::move(r));
    });
    if (future.wait_for(timeout) == std::future_status::ready) {
        return future.get();
    }
    // Interrupt until it returns: an interrupt that lands before the call starts is cleared by it.
    constexpr std::chrono::milliseconds kRetry{100};
    do {
        interrupt_lifecycle();
    } while (future.wait_for(kRetry) != std::future_status::ready);
    future.get(); // discarded, as k6's checkDeadline() does
    HandleSummaryResult timed_out;
    timed_out.defined = true;
    timed_out.timed_out = true;
    timed_out.error = fmt::format("handleSummary() execution timed out after {:.0f} seconds",
                                  std::chrono::duration<double>(timeout).count());
    return timed_out;
}

} // namespace volley::vu
