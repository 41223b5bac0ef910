// The session loop of a k6/ws socket: incoming events and timers, until the socket closes.

#include "js/value.hpp"
#include "modules/ws_error.hpp"
#include "modules/ws_handshake.hpp"
#include "modules/ws_socket.hpp"

namespace volley::modules::ws {

namespace {

// gorilla's CloseError.Text: the peer's reason, or "unexpected EOF" for 1006, which only EOF
// gives (a close frame carrying 1006 is a protocol error).
std::string_view close_text(const net::Event& ev) {
    return ev.code == 1006 ? std::string_view("unexpected EOF") : ev.data;
}

} // namespace

bool Socket::on_ping(std::string_view payload) {
    std::string err = write([&](net::WsClient& c, Yield& y) { return c.pong(payload, y); });
    if (!err.empty() && !dispatch_write_error(err)) {
        return false;
    }
    return dispatch(WsEvent::kPing, 0, nullptr);
}

bool Socket::on_pong(std::string_view payload) {
    auto id = ping_id(payload);
    if (id && *id < pings_sent_.size()) { // ids are never forgotten: duplicate pongs each count
        std::chrono::duration<double, std::milli> rtt = SteadyClock::now() - pings_sent_[*id];
        emit(vu_.registry().builtins().ws_ping, rtt.count());
    }
    return dispatch(WsEvent::kPong, 0, nullptr);
}

bool Socket::handle_close_frame(const net::Event& ev) {
    // 1000/1001 carry no error text; other codes (and 1005/1006) do (the table of
    // k6-behaviour.md §2.4). The error is gorilla's *CloseError, so handlers also see its `code`
    // and `text` (k6-behaviour.md §2.1).
    note_error(ev.error_code);
    if (!ev.error.empty() && has_handlers(WsEvent::kError)) {
        JSValue err = new_ws_close_error(ctx(), std::string(ev.error), ev.code, close_text(ev));
        add_error_code(vu_, err, ev.error_code, false);
        JSValueConst argv[1] = {err};
        bool ok = dispatch(WsEvent::kError, 1, argv);
        JS_FreeValue(ctx(), err);
        if (!ok) {
            return false;
        }
    }
    return close(ev.code);
}

bool Socket::handle_read_error(const net::Event& ev) {
    note_error(ev.error_code); // k6/ws gives no error event for it: the close (1001) follows
    if (ev.protocol_error) {
        // gorilla answers a protocol violation with close 1002 itself; k6's own close then
        // fails with "websocket: close sent" and reports 1001.
        write([&](net::WsClient& c, Yield& y) { return c.close(1002, ev.data, y); });
    }
    return close(1001);
}

bool Socket::handle_event(const net::Event& ev) {
    const auto& b = vu_.registry().builtins();
    switch (ev.type) {
    case net::EventType::kText: {
        emit_in_turn(b.ws_msgs_received, 1);
        JSValue msg = js::new_string(ctx(), ev.data);
        JSValueConst argv[1] = {msg};
        bool ok = dispatch(WsEvent::kMessage, 1, argv);
        JS_FreeValue(ctx(), msg);
        return ok;
    }
    case net::EventType::kBinary: {
        emit_in_turn(b.ws_msgs_received, 1);
        if (!has_handlers(WsEvent::kBinaryMessage)) {
            return true;
        }
        JSValue buf = JS_NewArrayBufferCopy(
            ctx(), reinterpret_cast<const std::uint8_t*>(ev.data.data()), ev.data.size());
        JSValueConst argv[1] = {buf};
        bool ok = dispatch(WsEvent::kBinaryMessage, 1, argv);
        JS_FreeValue(ctx(), buf);
        return ok;
    }
    case net::EventType::kPing:
        return on_ping(ev.data);
    case net::EventType::kPong:
        return on_pong(ev.data);
    case net::EventType::kClose:
        return handle_close_frame(ev);
    case net::EventType::kError:
        return handle_read_error(ev);
    }
    return true;
}

bool Socket::run_loop() {
    client_->start_reading();
    in_loop_ = true;
    turn_now_ = SteadyClock::now();
    while (!closed_ && !vu_.interrupted()) {
        // Due timers first, so a peer that never stops sending cannot starve them.
        if (!run_due_timers()) {
            return false;
        }
        net::Event ev;
        if (!closed_ && client_->next_event(ev)) {
            if (!handle_event(ev)) {
                return false;
            }
            // The clock is read again only if another event is waiting: otherwise the wait
            // below comes first (a timer that fell due meanwhile ends it at once).
            if (!closed_ && client_->event_ready()) {
                turn_now_ = SteadyClock::now();
            }
            continue;
        }
        if (closed_) {
            break;
        }
        auto woke = client_->wait(next_deadline(), vu_.yield());
        turn_now_ = SteadyClock::now();
        switch (woke) {
        case net::WaitResult::kTimeout:
            break;
        case net::WaitResult::kClosed:
            if (!closed_ && !vu_.interrupted()) {
                return close(1006);
            }
            break;
        case net::WaitResult::kEvent:
        case net::WaitResult::kWoken:
            break;
        }
    }
    return !vu_.interrupted();
}

} // namespace volley::modules::ws
