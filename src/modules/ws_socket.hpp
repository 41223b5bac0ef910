#pragma once

// The k6/ws Socket (k6-behaviour.md §2): its state, owned by the JS object, and the session loop
// that ws.connect runs on the VU's coroutine. All of it runs on the VU's thread; all JS runs on the
// VU's coroutine, one callback at a time, and nothing runs after the close event
// (k6-behaviour.md Q9).

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quickjs.h"

#include "metrics/sample.hpp"
#include "modules/vu_api.hpp"
#include "modules/ws_handshake.hpp"
#include "net/ws_client.hpp"
#include "util/time.hpp"

namespace volley::modules::ws {

// The events a k6/ws Socket dispatches; on() ignores any other name (k6-behaviour.md Q17).
enum class WsEvent : std::uint8_t {
    kOpen,
    kMessage,
    kBinaryMessage,
    kPing,
    kPong,
    kClose,
    kError,
};
inline constexpr std::size_t kWsEventCount = 7;
// The event of a name, or nullopt for a name k6/ws never dispatches.
std::optional<WsEvent> ws_event_of(std::string_view name);

// A socket.setTimeout or socket.setInterval callback waiting to run on the session loop.
struct SocketTimer {
    SteadyClock::time_point due;
    SteadyClock::duration interval{}; // zero for setTimeout
    JSValue fn;                       // owned reference
    std::uint64_t seq = 0;            // creation order, breaks ties between equal deadlines
};

class Socket {
public:
    Socket(VuApi& vu, metrics::TagSetId tags);
    ~Socket();

    VuApi& vu() { return vu_; }
    // The connection; only valid while the session runs (see end_session()).
    net::WsClient& client() { return *client_; }
    JSContext* ctx() { return vu_.context(); }
    metrics::TagSetId tags() const { return tags_; }
    void set_tags(metrics::TagSetId tags) { tags_ = tags; }

    // --- JS-facing operations (Socket methods); false = a JS exception is pending ---
    void on(std::string_view event, JSValueConst fn);
    bool send(std::string_view data, bool binary);
    bool ping();
    // k6's close sequence (k6-behaviour.md §2.4): write the frame, `error` handlers on failure,
    // `close` handlers with `code`, TCP closed. Only the first call does anything.
    bool close(std::int64_t code);
    void add_timer(JSValueConst fn, SteadyClock::duration delay, bool repeat);

    // Calls every handler registered for `event` (a snapshot: handlers added meanwhile are not
    // called). Stops at the first that throws and returns false with the exception pending.
    bool dispatch(WsEvent event, int argc, JSValueConst* argv);
    bool dispatch(std::string_view event, int argc, JSValueConst* argv) {
        auto e = ws_event_of(event);
        return !e || dispatch(*e, argc, argv);
    }
    bool has_handlers(WsEvent event) const {
        return !handlers_[static_cast<std::size_t>(event)].empty();
    }
    // A failed write's error: counted (--insight), then `error` handlers with the message.
    bool dispatch_write_error(const std::string& message);
    // --insight: a failure of this session with ws_error_code.hpp's `code` (ws_errors, and
    // error_code on the session's later samples); nothing otherwise.
    void note_error(int code) { tags_ = note_ws_error(vu_, code, tags_); }

    // The session loop: reads events and runs due timers until the socket is closed. Returns
    // false with a JS exception pending when a handler threw or the VU was interrupted.
    bool run_loop();

    bool closed() const { return closed_; }
    // ws.connect returned: the connection's buffers, TLS and zlib state are released now (the
    // JS object may live much longer). Later send/ping report `websocket: close sent`.
    void end_session();
    // Registered with the VU: wakes the loop (or aborts a blocking network call) on interrupt.
    void on_interrupt();
    void set_in_loop(bool in_loop) { in_loop_ = in_loop; }

    // Marks the values this object holds for QuickJS's cycle collector.
    void mark(JSRuntime* rt, JS_MarkFunc* mark_func);
    // Frees every JS value held (handlers, timers); the object stays usable from C++.
    void release_values(JSRuntime* rt);

private:
    bool handle_event(const net::Event& ev);
    bool handle_close_frame(const net::Event& ev);
    bool handle_read_error(const net::Event& ev);
    bool on_pong(std::string_view payload);
    bool on_ping(std::string_view payload);
    bool run_due_timers();
    // A write to the connection, marked so that an interrupt cancels it (a peer that stopped
    // reading must not keep the VU past the end of the test).
    template <class F> std::string write(F&& f);
    // ws_error_code.hpp's code of the write that just failed.
    int write_error_code() const;
    SteadyClock::time_point next_deadline() const;
    SteadyClock::time_point timer_due(std::uint64_t seq) const;
    void reschedule(std::uint64_t seq);
    void emit(metrics::MetricId metric, double value);
    // A sample of this loop turn: stamped with the turn's clock reading, not a new one.
    void emit_in_turn(metrics::MetricId metric, double value);

    VuApi& vu_;
    std::unique_ptr<net::FrameObserver> frame_log_; // --ws-debug; outlives client_
    std::unique_ptr<net::WsClient> client_;
    bool writing_ = false;
    metrics::TagSetId tags_;
    std::array<std::vector<JSValue>, kWsEventCount> handlers_; // by WsEvent
    std::vector<SocketTimer> timers_;
    std::uint64_t timer_seq_ = 0;
    std::uint64_t ping_counter_ = 0;
    std::vector<SteadyClock::time_point> pings_sent_; // by ping id (the counter's value)
    bool closed_ = false;
    bool in_loop_ = false;
    // Read once per turn of the session loop, and again after timer callbacks ran: the timers,
    // the wait's deadline and the turn's incoming-message sample all use it.
    SteadyClock::time_point turn_now_{};
};

template <class F> std::string Socket::write(F&& f) {
    if (!client_) {
        return "websocket: close sent";
    }
    writing_ = true;
    std::string err = f(*client_, vu_.yield());
    writing_ = false;
    return err;
}

// The JS class wrapping Socket; registered once per runtime, its prototype once per context.
void register_socket_class(JSRuntime* rt);
void setup_socket_proto(JSContext* ctx);
// A new JS Socket object owning `socket`.
JSValue new_socket_object(JSContext* ctx, std::unique_ptr<Socket> socket);
// The Socket behind a JS Socket object (nullptr if `obj` is not one).
Socket* socket_of(JSValueConst obj);

} // namespace volley::modules::ws
