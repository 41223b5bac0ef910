#include "modules/ws_socket.hpp"

#include <algorithm>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/ws_error.hpp"

namespace volley::modules::ws {

Socket::Socket(VuApi& vu, metrics::TagSetId tags) : vu_(vu), client_(vu.io()), tags_(tags) {}

Socket::~Socket() = default;

void Socket::emit(metrics::MetricId metric, double value) {
    vu_.emit(metric, tags_, value, now_unix_ns());
}

void Socket::on(const std::string& event, JSValueConst fn) {
    if (JS_IsFunction(ctx(), fn)) {
        handlers_[event].push_back(JS_DupValue(ctx(), fn));
    }
}

bool Socket::dispatch(const std::string& event, int argc, JSValueConst* argv) {
    auto it = handlers_.find(event);
    if (it == handlers_.end()) {
        return true;
    }
    // Handlers are never removed (no off()), so indexing up to the snapshot size is safe even if
    // a handler registers more.
    const std::size_t count = it->second.size();
    // close and error handlers run as part of closing; open runs even when the connect
    // callback already closed the socket (Q5). Anything else stops at close (Q9).
    bool allowed_after_close = event == "close" || event == "error" || event == "open";
    for (std::size_t i = 0; i < count; ++i) {
        if (closed_ && !allowed_after_close) {
            break; // nothing runs after the close event (Q9)
        }
        JSValue fn = JS_DupValue(ctx(), handlers_[event][i]);
        JSValue r = JS_Call(ctx(), fn, JS_UNDEFINED, argc, argv);
        JS_FreeValue(ctx(), fn);
        if (JS_IsException(r)) {
            return false;
        }
        JS_FreeValue(ctx(), r);
    }
    return true;
}

bool Socket::dispatch_error(const std::string& message) {
    if (handlers_.find("error") == handlers_.end()) {
        return true;
    }
    JSValue err = new_ws_error(ctx(), message);
    JSValueConst argv[1] = {err};
    bool ok = dispatch("error", 1, argv);
    JS_FreeValue(ctx(), err);
    return ok;
}

bool Socket::send(std::string_view data, bool binary) {
    std::string err = binary ? client_.send_binary(data, vu_.yield())
                             : client_.send_text(data, vu_.yield());
    emit(vu_.registry().builtins().ws_msgs_sent, 1); // counted even when the write failed (Q10)
    return err.empty() || dispatch_error(err);
}

bool Socket::ping() {
    std::string id = std::to_string(ping_counter_);
    std::string err = client_.ping(id, vu_.yield());
    if (!err.empty()) {
        return dispatch_error(err);
    }
    pings_sent_[id] = Clock::now();
    ++ping_counter_;
    return true;
}

bool Socket::close(std::int64_t code) {
    if (closed_) {
        return true;
    }
    closed_ = true;
    for (auto& t : timers_) {
        JS_FreeValue(ctx(), t.fn);
    }
    timers_.clear(); // pending timers never run after close
    std::string err =
        client_.close(static_cast<std::uint16_t>(code & 0xFFFF), "", vu_.yield());
    if (!err.empty() && !dispatch_error(err)) {
        return false;
    }
    JSValue c = JS_NewInt64(ctx(), code);
    JSValueConst argv[1] = {c};
    return dispatch("close", 1, argv);
}

void Socket::add_timer(JSValueConst fn, Clock::duration delay, bool repeat) {
    timers_.push_back({Clock::now() + delay, repeat ? delay : Clock::duration::zero(),
                       JS_DupValue(ctx(), fn), timer_seq_++});
}

Clock::time_point Socket::next_deadline() const {
    auto next = Clock::time_point::max();
    for (const auto& t : timers_) {
        next = std::min(next, t.due);
    }
    return next;
}

bool Socket::run_due_timers() {
    for (;;) {
        auto now = Clock::now();
        auto it = std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) {
            return a.due != b.due ? a.due < b.due : a.seq < b.seq;
        });
        if (closed_ || it == timers_.end() || it->due > now) {
            return true;
        }
        JSValue fn = JS_DupValue(ctx(), it->fn);
        if (it->interval == Clock::duration::zero()) {
            JS_FreeValue(ctx(), it->fn);
            timers_.erase(it);
        } else {
            // Missed ticks are dropped, at most one runs late (Go's ticker).
            it->due = std::max(it->due + it->interval, now);
        }
        JSValue r = JS_Call(ctx(), fn, JS_UNDEFINED, 0, nullptr);
        JS_FreeValue(ctx(), fn);
        if (JS_IsException(r)) {
            return false;
        }
        JS_FreeValue(ctx(), r);
    }
}

void Socket::on_interrupt() {
    if (in_loop_) {
        client_.wake();
    } else {
        client_.cancel(); // a handshake or a blocked write
    }
}

void Socket::mark(JSRuntime* rt, JS_MarkFunc* mark_func) {
    for (auto& [name, fns] : handlers_) {
        for (auto& fn : fns) {
            JS_MarkValue(rt, fn, mark_func);
        }
    }
    for (auto& t : timers_) {
        JS_MarkValue(rt, t.fn, mark_func);
    }
}

void Socket::release_values(JSRuntime* rt) {
    for (auto& [name, fns] : handlers_) {
        for (auto& fn : fns) {
            JS_FreeValueRT(rt, fn);
        }
    }
    handlers_.clear();
    for (auto& t : timers_) {
        JS_FreeValueRT(rt, t.fn);
    }
    timers_.clear();
}

} // namespace volley::modules::ws
