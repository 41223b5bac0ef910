#include "exec/clock.hpp"

#include <algorithm>

#include "util/time.hpp"

namespace volley::exec {

Duration RealClock::now() const {
    return std::chrono::duration_cast<Duration>(
        std::chrono::steady_clock::now().time_since_epoch());
}

std::int64_t RealClock::unix_ns() const {
    return now_unix_ns();
}

void RealClock::wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                           Duration deadline) {
    if (deadline == Duration::max()) {
        cv.wait(lock);
        return;
    }
    cv.wait_until(lock,
                  std::chrono::steady_clock::time_point(
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(deadline)));
}

void ManualClock::wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                             Duration deadline) {
    {
        // Registering under mutex_ and re-reading the time closes the race with advance(): it
        // either sees this waiter or stored its new time before we read it.
        std::lock_guard guard(mutex_);
        if (now() >= deadline) {
            return;
        }
        waiters_.emplace_back(lock.mutex(), &cv);
    }
    cv.wait(lock);
    std::lock_guard guard(mutex_);
    auto it = std::find(waiters_.begin(), waiters_.end(), std::pair{lock.mutex(), &cv});
    if (it != waiters_.end()) {
        waiters_.erase(it);
    }
}

void ManualClock::advance(Duration d) {
    now_ns_.fetch_add(d.count());
    wake_waiters();
}

void ManualClock::set(Duration t) {
    std::int64_t cur = now_ns_.load();
    while (cur < t.count() && !now_ns_.compare_exchange_weak(cur, t.count())) {
    }
    wake_waiters();
}

void ManualClock::wake_waiters() {
    std::vector<std::pair<std::mutex*, std::condition_variable*>> copy;
    {
        std::lock_guard guard(mutex_);
        copy = waiters_;
    }
    for (auto [m, cv] : copy) {
        // Taking the waiter's mutex orders this notify after its wait began.
        std::lock_guard guard(*m);
        cv->notify_all();
    }
}

} // namespace volley::exec
