#include "modules/ws_socket.hpp"

#include <algorithm>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/ws_debug.hpp"
#include "modules/ws_error.hpp"
#include "net/ws_error_code.hpp"

namespace volley::modules::ws {

Socket::Socket(VuApi& vu, metrics::TagSetId tags)
    : vu_(vu), frame_log_(frame_logger_for(vu)), client_(std::make_unique<net::WsClient>(vu.io())),
      tags_(tags) {
    client_->set_frame_observer(frame_log_.get());
}

void Socket::end_session() {
    closed_ = true;
    for (auto& t : timers_) {
        JS_FreeValue(ctx(), t.fn);
    }
    timers_.clear();
    client_.reset();
}

Socket::~Socket() = default;

void Socket::emit(metrics::MetricId metric, double value) {
    vu_.emit(metric, tags_, value, now_unix_ns());
}

void Socket::emit_in_turn(metrics::MetricId metric, double value) {
    vu_.emit(metric, tags_, value, unix_ns_at(turn_now_));
}

std::optional<WsEvent> ws_event_of(std::string_view name) {
    static constexpr std::array<std::string_view, kWsEventCount> kNames = {
        "open", "message", "binaryMessage", "ping", "pong", "close", "error"};
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) {
            return static_cast<WsEvent>(i);
        }
    }
    return std::nullopt;
}

void Socket::on(std::string_view event, JSValueConst fn) {
    auto e = ws_event_of(event);
    if (e && JS_IsFunction(ctx(), fn)) {
        handlers_[static_cast<std::size_t>(*e)].push_back(JS_DupValue(ctx(), fn));
    }
}

bool Socket::dispatch(WsEvent event, int argc, JSValueConst* argv) {
    auto& fns = handlers_[static_cast<std::size_t>(event)];
    // Handlers are never removed (no off()), so indexing up to the snapshot size is safe even if
    // a handler registers more.
    const std::size_t count = fns.size();
    // close and error handlers run as part of closing; open runs even when the connect callback
    // already closed the socket (k6-behaviour.md Q5). Anything else stops at close
    // (k6-behaviour.md Q9).
    bool allowed_after_close =
        event == WsEvent::kClose || event == WsEvent::kError || event == WsEvent::kOpen;
    for (std::size_t i = 0; i < count; ++i) {
        if (closed_ && !allowed_after_close) {
            break; // nothing runs after the close event (k6-behaviour.md Q9)
        }
        JSValue fn = JS_DupValue(ctx(), fns[i]);
        JSValue r = JS_Call(ctx(), fn, JS_UNDEFINED, argc, argv);
        JS_FreeValue(ctx(), fn);
        if (JS_IsException(r)) {
            return false;
        }
        JS_FreeValue(ctx(), r);
    }
    return true;
}

int Socket::write_error_code() const {
    return client_ ? client_->last_write_error_code() : net::ws_error::kWriteAfterClose;
}

bool Socket::dispatch_write_error(const std::string& message) {
    int code = write_error_code();
    note_error(code);
    if (!has_handlers(WsEvent::kError)) {
        return true;
    }
    JSValue err = new_ws_error(ctx(), message);
    add_error_code(vu_, err, code, true);
    JSValueConst argv[1] = {err};
    bool ok = dispatch(WsEvent::kError, 1, argv);
    JS_FreeValue(ctx(), err);
    return ok;
}

bool Socket::send(std::string_view data, bool binary) {
    std::string err = write([&](net::WsClient& c, Yield& y) {
        return binary ? c.send_binary(data, y) : c.send_text(data, y);
    });
    // Counted even when the write failed (k6-behaviour.md Q10).
    emit(vu_.registry().builtins().ws_msgs_sent, 1);
    return err.empty() || dispatch_write_error(err);
}

bool Socket::ping() {
    std::string id = std::to_string(ping_counter_);
    std::string err = write([&](net::WsClient& c, Yield& y) { return c.ping(id, y); });
    if (!err.empty()) {
        return dispatch_write_error(err);
    }
    pings_sent_.push_back(SteadyClock::now()); // index == ping_counter_
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
    auto wire_code = static_cast<std::uint16_t>(code & 0xFFFF);
    std::string err = write([&](net::WsClient& c, Yield& y) { return c.close(wire_code, "", y); });
    if (!err.empty() && !dispatch_write_error(err)) {
        return false;
    }
    JSValue c = JS_NewInt64(ctx(), code);
    JSValueConst argv[1] = {c};
    return dispatch(WsEvent::kClose, 1, argv);
}

void Socket::add_timer(JSValueConst fn, SteadyClock::duration delay, bool repeat) {
    timers_.push_back({SteadyClock::now() + delay, repeat ? delay : SteadyClock::duration::zero(),
                       JS_DupValue(ctx(), fn), timer_seq_++});
}

SteadyClock::time_point Socket::next_deadline() const {
    auto next = SteadyClock::time_point::max();
    for (const auto& t : timers_) {
        next = std::min(next, t.due);
    }
    return next;
}

bool Socket::run_due_timers() {
    // Only timers due when this turn started, each at most once, so a slow setInterval
    // callback cannot starve incoming events.
    if (timers_.empty()) {
        return true;
    }
    const auto now = turn_now_;
    std::vector<std::uint64_t> due;
    for (const auto& t : timers_) {
        if (t.due <= now) {
            due.push_back(t.seq);
        }
    }
    std::sort(due.begin(), due.end(), [this](std::uint64_t a, std::uint64_t b) {
        return timer_due(a) != timer_due(b) ? timer_due(a) < timer_due(b) : a < b;
    });
    for (std::uint64_t seq : due) {
        auto it = std::find_if(timers_.begin(), timers_.end(),
                               [seq](const SocketTimer& t) { return t.seq == seq; });
        if (closed_ || it == timers_.end()) {
            return true;
        }
        JSValue fn = JS_DupValue(ctx(), it->fn);
        bool repeat = it->interval != SteadyClock::duration::zero();
        if (!repeat) {
            JS_FreeValue(ctx(), it->fn);
            timers_.erase(it);
        }
        JSValue r = JS_Call(ctx(), fn, JS_UNDEFINED, 0, nullptr);
        JS_FreeValue(ctx(), fn);
        if (JS_IsException(r)) {
            return false;
        }
        JS_FreeValue(ctx(), r);
        turn_now_ = SteadyClock::now(); // the callback's JS took time
        reschedule(seq);
    }
    return true;
}

SteadyClock::time_point Socket::timer_due(std::uint64_t seq) const {
    for (const auto& t : timers_) {
        if (t.seq == seq) {
            return t.due;
        }
    }
    return SteadyClock::time_point::max();
}

void Socket::reschedule(std::uint64_t seq) {
    // Missed ticks are dropped and at most one runs late, as Go's ticker does.
    auto now = turn_now_;
    for (auto& t : timers_) {
        if (t.seq == seq && t.interval != SteadyClock::duration::zero()) {
            t.due = std::max(t.due + t.interval, now);
        }
    }
}

void Socket::on_interrupt() {
    if (!client_) {
        return;
    }
    if (in_loop_ && !writing_) {
        client_->wake();
    } else {
        client_->cancel(); // a handshake or a blocked write
    }
}

void Socket::mark(JSRuntime* rt, JS_MarkFunc* mark_func) {
    for (auto& fns : handlers_) {
        for (auto& fn : fns) {
            JS_MarkValue(rt, fn, mark_func);
        }
    }
    for (auto& t : timers_) {
        JS_MarkValue(rt, t.fn, mark_func);
    }
}

void Socket::release_values(JSRuntime* rt) {
    for (auto& fns : handlers_) {
        for (auto& fn : fns) {
            JS_FreeValueRT(rt, fn);
        }
        fns.clear();
    }
    for (auto& t : timers_) {
        JS_FreeValueRT(rt, t.fn);
    }
    timers_.clear();
}

} // namespace volley::modules::ws
