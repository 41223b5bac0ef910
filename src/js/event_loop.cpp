#include "js/event_loop.hpp"

#include <algorithm>

#include "util/log.hpp"

namespace volley::js {

EventLoop::EventLoop(Runtime& rt, boost::asio::io_context& io) : rt_(rt), waiter_(io) {
    rt_.set_rejection_tracker([this](JSValueConst promise, JSValueConst reason, bool handled) {
        track_rejection(promise, reason, handled);
    });
}

EventLoop::~EventLoop() {
    rt_.set_rejection_tracker(nullptr);
}

void EventLoop::enqueue(Task task) {
    queue_.push_back(std::move(task));
    waiter_.notify();
}

void EventLoop::release() {
    if (holds_ > 0 && --holds_ == 0) {
        waiter_.notify();
    }
}

void EventLoop::add_timer(std::uint64_t id, Clock::duration delay, bool repeat, Task task,
                          std::string label) {
    auto [it, added] = timers_.insert_or_assign(id, Timer{std::max(delay, Clock::duration::zero()),
                                                          repeat,
                                                          std::move(task),
                                                          std::move(label),
                                                          {},
                                                          0});
    schedule(id, it->second);
}

void EventLoop::schedule(std::uint64_t id, Timer& t) {
    t.due = Clock::now() + t.delay;
    t.seq = ++timer_seq_;
    due_.emplace(TimerKey{t.due, t.seq}, id);
}

bool EventLoop::cancel_timer(std::uint64_t id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) {
        return false;
    }
    due_.erase(TimerKey{it->second.due, it->second.seq}); // absent if already queued
    timers_.erase(it);
    return true;
}

void EventLoop::queue_due_timers() {
    auto now = Clock::now();
    while (!due_.empty() && due_.begin()->first.first <= now) {
        std::uint64_t id = due_.begin()->second;
        due_.erase(due_.begin());
        queue_.emplace_back([this, id] { return fire(id); });
    }
}

// The timer steps of the HTML spec as k6 implements them (internal/js/tc55/timers): a timer
// cleared after it came due does not run; one cleared by its own callback is not rescheduled.
bool EventLoop::fire(std::uint64_t id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) {
        return true;
    }
    Task task = std::move(it->second.task);
    bool ok = task();
    it = timers_.find(id);
    if (it == timers_.end()) {
        return ok;
    }
    if (it->second.repeat) {
        it->second.task = std::move(task);
        schedule(id, it->second);
    } else {
        timers_.erase(it);
    }
    return ok;
}

EventLoop::Clock::time_point EventLoop::next_due() const {
    return due_.empty() ? Clock::time_point::max() : due_.begin()->first.first;
}

bool EventLoop::run(const Task& first, Yield yield) {
    error_.reset();
    rejections_.clear();
    queue_.insert(queue_.begin(), first);
    for (;;) {
        if (rt_.interrupted()) {
            return false;
        }
        queue_due_timers();
        if (queue_.empty()) {
            if (due_.empty() && holds_ == 0) {
                return true;
            }
            waiter_.wait(next_due(), yield);
            continue;
        }
        if (!turn()) {
            return false;
        }
    }
}

// The tasks queued when the turn starts, each followed by the promise jobs it left; tasks they
// queue wait for the next turn (k6's popAll). Rejections are judged at the end of the turn.
bool EventLoop::turn() {
    batch_.swap(queue_); // both keep their capacity: no allocation per turn
    for (auto& task : batch_) {
        rt_.enter();
        if (!task() || !rt_.run_jobs() || rt_.interrupted()) {
            return false;
        }
    }
    batch_.clear();
    return check_rejections();
}

bool EventLoop::check_rejections() {
    if (rejections_.empty()) {
        return true;
    }
    // k6 (eventloop.go): "Uncaught (in promise) " and the reason's stack, or the reason itself.
    ScriptError err = describe_exception(rt_.context(), rejections_.front().second.get());
    err.message = "Uncaught (in promise) " + err.text();
    err.name.clear();
    err.rejection = true;
    error_ = std::move(err);
    rejections_.clear();
    return false;
}

void EventLoop::abandon() {
    queue_.clear();
    batch_.clear();
    due_.clear();
    std::vector<std::pair<TimerKey, std::string>> dropped; // in the order they were due
    for (auto& [id, t] : timers_) {
        if (!t.label.empty()) {
            dropped.emplace_back(TimerKey{t.due, t.seq}, std::move(t.label));
        }
    }
    timers_.clear();
    std::sort(dropped.begin(), dropped.end());
    for (const auto& d : dropped) {
        log::write(log::Level::kWarn,
                   d.second + " was stopped because the VU iteration was interrupted");
    }
    rejections_.clear();
    auto hooks = stop_hooks_; // a hook removes itself
    for (auto& [id, hook] : hooks) {
        hook();
    }
    queue_.clear(); // what the hooks queued is not run either
}

int EventLoop::add_stop_hook(std::function<void()> hook) {
    stop_hooks_.emplace(next_stop_hook_, std::move(hook));
    return next_stop_hook_++;
}

void EventLoop::track_rejection(JSValueConst promise, JSValueConst reason, bool handled) {
    if (!handled) {
        JSContext* ctx = rt_.context();
        rejections_.emplace_back(Value::dup(ctx, promise), Value::dup(ctx, reason));
        return;
    }
    std::erase_if(rejections_, [&](const auto& r) {
        return JS_VALUE_GET_PTR(r.first.get()) == JS_VALUE_GET_PTR(promise);
    });
}

} // namespace volley::js
