#pragma once

// A VU's event loop, as k6's (internal/js/eventloop; docs/architecture.md, "The VU event loop"):
// a FIFO of ready tasks, timers, and a count of holds (an open socket, a request in flight: k6's
// RegisterCallback) that keep it alive. run() calls the first task (the exported function) and
// then every task until nothing is queued, timed or held; promise jobs run after each task, and
// a promise rejected with no handler at the end of a turn ends the run with k6's "Uncaught (in
// promise)" error. The VU's coroutine waits on everything with one Waiter.
//
// Owned by one VU, used on its thread; destroyed before its Runtime.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "js/runtime.hpp"
#include "js/script_error.hpp"
#include "js/value.hpp"
#include "util/coroutine.hpp"
#include "util/waiter.hpp"

namespace volley::js {

class EventLoop {
public:
    using Clock = std::chrono::steady_clock;
    // Runs JS; false when a JS exception is pending in the context.
    using Task = std::function<bool()>;

    EventLoop(Runtime& rt, boost::asio::io_context& io);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // --- for modules ---

    // Queues `task` behind the others and wakes the loop. From a completion handler, call it
    // last: the VU's coroutine may run inside it.
    void enqueue(Task task);

    // While held, run() does not end even with nothing queued (k6's RegisterCallback: whoever
    // holds will enqueue later). Each hold() is paired with one release().
    void hold() { ++holds_; }
    void release();

    // A timer (setTimeout/setInterval): `task` runs `delay` from now, after the timers due
    // earlier or at the same time; with `repeat` it runs again `delay` after each run until
    // cancelled. `id` comes from new_timer_id(); `label` ("setTimeout 3") names it in the
    // warning printed when an interrupted iteration drops it.
    void add_timer(std::uint64_t id, Clock::duration delay, bool repeat, Task task,
                   std::string label);
    // Cancels a timer (also one already due but not yet run); false if there is none.
    bool cancel_timer(std::uint64_t id);
    // Ids for timers: one counter per VU, never reset (k6's timerIDCounter).
    std::uint64_t new_timer_id() { return ++timer_ids_; }

    // Called by abandon(), after it dropped the queue and the timers: whoever holds the loop
    // (an open socket) closes without running JS. Returns an id for remove_stop_hook().
    int add_stop_hook(std::function<void()> hook);
    void remove_stop_hook(int id) { stop_hooks_.erase(id); }

    // Wakes the loop from a completion handler (inline) or from an interrupt hook (later).
    void notify() { waiter_.notify(); }
    void notify_later() { waiter_.notify_later(); }

    // --- for the VU ---

    // Runs `first`, then the loop until it is empty. False when a task threw (the exception is
    // pending), a promise rejection went unhandled (take_error()), or the runtime was
    // interrupted; then call abandon().
    bool run(const Task& first, Yield yield);
    // The unhandled-rejection error that ended the last run, if that is what ended it.
    std::optional<ScriptError> take_error() { return std::exchange(error_, std::nullopt); }
    // Drops what a failed or interrupted run left: queued tasks, timers (each labelled timer is
    // named in a warning, as k6 does when an iteration's context ends), unhandled rejections;
    // then runs the stop hooks, so that every hold is released.
    void abandon();

private:
    struct Timer {
        Clock::duration delay;
        bool repeat;
        Task task;
        std::string label;
        Clock::time_point due;
        std::uint64_t seq; // creation order: equal deadlines run in call order
    };
    using TimerKey = std::pair<Clock::time_point, std::uint64_t>;

    void track_rejection(JSValueConst promise, JSValueConst reason, bool handled);
    void schedule(std::uint64_t id, Timer& t);
    void queue_due_timers();
    bool fire(std::uint64_t id);
    bool turn();
    bool check_rejections();
    Clock::time_point next_due() const;

    Runtime& rt_;
    Waiter waiter_;
    std::vector<Task> queue_; // empty until used: no allocation per idle VU
    std::vector<Task> batch_; // the turn being run (see turn())
    std::uint64_t holds_ = 0;
    std::uint64_t timer_ids_ = 0;
    std::uint64_t timer_seq_ = 0;
    std::unordered_map<std::uint64_t, Timer> timers_; // active timers by id
    std::map<TimerKey, std::uint64_t> due_;           // pending (not yet queued) timers
    std::vector<std::pair<Value, Value>> rejections_; // (promise, reason) with no handler yet
    std::optional<ScriptError> error_;
    std::map<int, std::function<void()>> stop_hooks_;
    int next_stop_hook_ = 1;
};

} // namespace volley::js
