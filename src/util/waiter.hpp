#pragma once

// Suspends one stackful coroutine until it is notified or a deadline passes: the single wait of
// a VU's event loop, whatever it waits on (timers, sockets, requests). notify() resumes the
// waiting coroutine inline, from the completion handler that calls it (no post, no timer
// operation per event); the deadline timer stays armed across waits for the same deadline.
// Everything happens on the io_context's one thread.

#include <chrono>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "util/coroutine.hpp"

namespace volley {

class Waiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit Waiter(boost::asio::io_context& io) : io_(io), timer_(io.get_executor()) {}
    ~Waiter() {
        *alive_ = false;
        try {
            timer_.cancel();
        } catch (const boost::system::system_error&) { // only if the reactor fails: nothing waits
        }
    }
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;

    // Returns true when notified (at once if notify() was called since the last wait), false
    // when `deadline` passed first (Clock::time_point::max(): none).
    bool wait(Clock::time_point deadline, Yield yield) {
        if (std::exchange(notified_, false)) {
            return true;
        }
        if (deadline <= Clock::now()) {
            return false;
        }
        arm(deadline);
        expired_ = false;
        boost::asio::async_initiate<Yield, void()>(
            [this](Handler handler) { waiting_.emplace(std::move(handler)); }, yield);
        return std::exchange(notified_, false) || !expired_;
    }

    // Wakes the current or next wait(). Call it last in a completion handler: the waiting
    // coroutine runs inside this call.
    void notify() {
        notified_ = true;
        resume();
    }

    // As notify(), but the coroutine runs later from the io_context (for callers that must
    // finish first, such as an interrupt hook).
    void notify_later() {
        notified_ = true;
        if (waiting_) {
            boost::asio::post(io_, [this, alive = alive_] {
                if (*alive) {
                    resume();
                }
            });
        }
    }

private:
    using Handler = boost::asio::async_result<Yield, void()>::handler_type;

    void arm(Clock::time_point deadline) {
        if (deadline == Clock::time_point::max() || (armed_ && timer_.expiry() == deadline)) {
            return;
        }
        armed_ = true;
        timer_.expires_at(deadline); // cancels a wait for another deadline
        timer_.async_wait([this, deadline](const boost::system::error_code& ec) {
            if (ec || timer_.expiry() != deadline) {
                return; // replaced by a wait for another deadline, or cancelled
            }
            armed_ = false;
            expired_ = true;
            resume();
        });
    }

    void resume() {
        if (waiting_) {
            Handler h = std::move(*waiting_);
            waiting_.reset();
            std::move(h)();
        }
    }

    boost::asio::io_context& io_;
    SteadyTimer timer_;
    std::optional<Handler> waiting_;
    bool armed_ = false;
    bool expired_ = false;
    bool notified_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true); // for notify_later()'s post
};

} // namespace volley
