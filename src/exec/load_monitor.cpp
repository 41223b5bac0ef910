#include "exec/load_monitor.hpp"

#include <future>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/time.hpp"

#include <time.h>

namespace volley::exec {
namespace {

constexpr auto kTickEvery = std::chrono::seconds(1);

// CPU time of the calling thread, in nanoseconds.
std::int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

// One worker's timer and ticks; touched only on that worker's thread until stop() returns.
struct LoadMonitor::Probe {
    explicit Probe(boost::asio::io_context& io) : timer(io) {}

    boost::asio::steady_timer timer;
    SteadyClock::time_point due;
    SteadyClock::time_point last_steady; // the interval's length is measured on this clock
    std::int64_t last_wall_ns = 0;
    std::int64_t last_cpu_ns = 0;
    bool stopped = false;
    std::vector<LoadTick> ticks;
};

LoadMonitor::LoadMonitor(Workers& workers, OnTick on_tick)
    : workers_(workers), on_tick_(std::move(on_tick)) {
    for (std::size_t w = 0; w < workers.size(); ++w) {
        probes_.push_back(std::make_unique<Probe>(workers.context(w)));
    }
    for (std::size_t w = 0; w < workers.size(); ++w) {
        boost::asio::post(workers.context(w), [this, w] {
            Probe& p = *probes_[w];
            p.last_steady = SteadyClock::now();
            p.due = p.last_steady + kTickEvery;
            p.last_wall_ns = now_unix_ns();
            p.last_cpu_ns = thread_cpu_ns();
            arm(w);
        });
    }
}

LoadMonitor::~LoadMonitor() {
    try {
        stop();
    } catch (const std::exception&) { // only an allocation can fail in stop(): nothing to do
    }
}

void LoadMonitor::arm(std::size_t w) {
    Probe& p = *probes_[w];
    if (p.stopped) {
        return;
    }
    p.timer.expires_at(p.due);
    p.timer.async_wait([this, w](const boost::system::error_code& ec) {
        // A wait that was already due when stop() cancelled it still completes with success.
        if (!ec && !probes_[w]->stopped) {
            tick(w);
            arm(w);
        }
    });
}

void LoadMonitor::tick(std::size_t w) {
    Probe& p = *probes_[w];
    auto now = SteadyClock::now();
    std::int64_t wall = now_unix_ns();
    std::int64_t cpu = thread_cpu_ns();
    LoadTick t;
    t.begin_ns = p.last_wall_ns;
    t.end_ns = wall;
    t.lag_ms = std::chrono::duration<double, std::milli>(now - p.due).count();
    std::chrono::duration<double, std::nano> interval = now - p.last_steady;
    if (interval.count() > 0) { // the steady clock: a wall-clock step must not skew the share
        t.cpu_share = static_cast<double>(cpu - p.last_cpu_ns) / interval.count();
    }
    p.ticks.push_back(t);
    p.last_steady = now;
    p.last_wall_ns = wall;
    p.last_cpu_ns = cpu;
    do { // ticks a blocked loop missed are skipped, not run back to back
        p.due += kTickEvery;
    } while (p.due <= now);
    if (on_tick_) {
        on_tick_(w, t);
    }
}

void LoadMonitor::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    std::vector<std::future<void>> done;
    auto posted = SteadyClock::now();
    for (std::size_t w = 0; w < probes_.size(); ++w) {
        auto promise = std::make_shared<std::promise<void>>();
        done.push_back(promise->get_future());
        boost::asio::post(workers_.context(w), [this, w, posted, promise] {
            Probe& p = *probes_[w];
            p.stopped = true;
            p.timer.cancel();
            p.due = posted; // the last, partial interval: late if the worker was busy
            tick(w);
            // Done once the timer's handler (queued by the cancel, or already due) has run:
            // handlers run in order, so after this one nothing refers to the monitor.
            boost::asio::post(workers_.context(w), [promise] { promise->set_value(); });
        });
    }
    for (auto& f : done) {
        f.wait();
    }
}

std::vector<std::vector<LoadTick>> LoadMonitor::ticks() const {
    std::vector<std::vector<LoadTick>> out;
    for (const auto& p : probes_) {
        out.push_back(p->ticks);
    }
    return out;
}

} // namespace volley::exec
