#pragma once

// Time for the scheduler (style.md rule 24): the real clock in production, a manual clock that
// tests advance by hand, so executor and scheduler tests never sleep.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace volley::exec {

using Duration = std::chrono::nanoseconds;

class Clock {
public:
    virtual ~Clock() = default;

    // Monotonic time since an arbitrary epoch. Any thread.
    virtual Duration now() const = 0;

    // Wall-clock time in nanoseconds since the Unix epoch (sample timestamps). Any thread.
    virtual std::int64_t unix_ns() const = 0;

    // Blocks the calling thread, with `lock` (which owns cv's mutex) released, until now() >=
    // `deadline`, `cv` is notified, or spuriously. Callers re-check their condition in a loop.
    virtual void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                            Duration deadline) = 0;
};

// steady_clock and system_clock.
class RealClock final : public Clock {
public:
    Duration now() const override;
    std::int64_t unix_ns() const override;
    void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                    Duration deadline) override;
};

// Time moves only when advance()/set() is called (from any thread); waiters are woken then.
// Wall-clock time is kUnixEpochNs + now(). Thread-safe. A waiter (mutex + cv) must outlive
// any concurrent advance()/set() call.
class ManualClock final : public Clock {
public:
    static constexpr std::int64_t kUnixEpochNs = 1'700'000'000'000'000'000;

    Duration now() const override { return Duration{now_ns_.load()}; }
    std::int64_t unix_ns() const override { return kUnixEpochNs + now_ns_.load(); }
    void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                    Duration deadline) override;

    void advance(Duration d);
    // Moves time to `t` if it is later than now(); never backwards.
    void set(Duration t);

private:
    void wake_waiters();

    std::atomic<std::int64_t> now_ns_{0};
    std::mutex mutex_;
    std::vector<std::pair<std::mutex*, std::condition_variable*>> waiters_;
};

} // namespace volley::exec
