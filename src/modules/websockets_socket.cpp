#include "modules/websockets_socket.hpp"

#include <chrono>
#include <exception>

#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "js/native.hpp"
#include "modules/blob.hpp"
#include "modules/http_types.hpp"
#include "modules/ws_debug.hpp"
#include "modules/ws_handshake.hpp"
#include "util/log.hpp"

namespace volley::modules::websockets {
namespace {

constexpr const char* kNames[kEvCount] = {"open", "message", "error", "close", "ping", "pong"};

double ms_since(SteadyClock::time_point t) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - t).count();
}

} // namespace

std::optional<Ev> ev_of(std::string_view name) {
    for (std::size_t i = 0; i < kEvCount; ++i) {
        if (name == kNames[i]) {
            return static_cast<Ev>(i);
        }
    }
    return std::nullopt;
}

const char* ev_name(Ev ev) {
    return kNames[static_cast<std::size_t>(ev)];
}

WebSocket::WebSocket(VuApi& vu, std::string url, Params params, metrics::TagMap tags)
    : vu_(vu), url_(std::move(url)), params_(std::move(params)), tag_map_(std::move(tags)),
      frame_log_(frame_logger_for(vu)), client_(std::make_shared<net::WsClient>(vu.io())) {
    client_->set_frame_observer(frame_log_.get());
}

WebSocket::~WebSocket() {
    *alive_ = false;
    client_->set_notify({});
    client_->set_frame_observer(nullptr); // a connect in flight may keep the client a while
    client_->cancel();
}

void WebSocket::start(JSValueConst self) {
    JSContext* ctx = vu_.context();
    self_ = js::Value::dup(ctx, self);
    vu_.event_loop().hold();
    holding_ = true;
    stop_hook_ = vu_.event_loop().add_stop_hook([this] { abort(); });
    interrupt_hook_ = vu_.add_interrupt_hook([this] {
        if (writing_ || state_ == ReadyState::kConnecting) {
            client_->cancel(); // a handshake or write the peer stalls must not keep the VU
        }
    });
    start_ = SteadyClock::now();
    start_ns_ = now_unix_ns();

    net::HandshakeOptions opts;
    opts.headers = params_.headers;
    if (!params_.protocols.empty()) {
        std::string list;
        for (const auto& p : params_.protocols) {
            list += (list.empty() ? "" : ", ") + p;
        }
        opts.headers.emplace_back("Sec-WebSocket-Protocol", list);
    }
    net::CookieJar* jar = http::cookie_jar_of(params_.jar.get());
    ws::add_jar_cookies(jar != nullptr ? *jar : vu_.cookie_jar(), url_, opts.headers);
    opts.user_agent = vu_.settings().user_agent;
    opts.compression = params_.compression;
    opts.tls = vu_.settings().tls;
    opts.policy = vu_.settings().dial_policy;
    opts.local_ip = vu_.local_ip();
    opts.dns = vu_.settings().dns;
    boost::asio::spawn(
        vu_.io().get_executor(), std::allocator_arg,
        boost::context::protected_fixedsize_stack(std::size_t{256} * 1024),
        [this, alive = alive_, client = client_, url = url_, opts](Yield yield) {
            auto hs = client->connect(url, opts, yield);
            if (*alive) { // else the socket was dropped meanwhile (its VU is gone)
                handshake_done(hs);
            }
        },
        [](const std::exception_ptr&) {});
}

void WebSocket::handshake_done(const net::HandshakeResult& hs) {
    if (state_ == ReadyState::kClosed) {
        return; // aborted while connecting
    }
    net::CookieJar* jar = http::cookie_jar_of(params_.jar.get());
    ws::store_jar_cookies(jar != nullptr ? *jar : vu_.cookie_jar(), url_, hs.set_cookies);
    ws::add_handshake_tags(hs, vu_.settings().system_tags, tag_map_);
    tags_ = vu_.interner().intern(tag_map_);
    note_error(hs.error_code); // 0 when it succeeded
    const auto& b = vu_.registry().builtins();
    emit(b.ws_sessions, 1, start_ns_);
    emit(b.ws_connecting, hs.connect_ms, start_ns_);
    ws::emit_connect_phases(vu_, hs, tags_, start_ns_);
    count_bytes();
    if (!hs.ok) {
        Failure error{hs.error, hs.error_code};
        queue([this, error] { return closed_with(error, 0, "", false); });
        return;
    }
    protocol_ = hs.subprotocol;
    for (const auto& [name, value] : hs.headers) {
        if (name == "Sec-Websocket-Extensions") {
            extensions_.push_back(value);
        }
    }
    queue([this] { return opened(); });
}

bool WebSocket::opened() {
    if (state_ == ReadyState::kClosing) { // close() was called while connecting: no `open`
        std::string reason = close_reason_;
        return send_close(reason);
    }
    if (state_ != ReadyState::kConnecting) {
        return true;
    }
    state_ = ReadyState::kOpen;
    js::Value event(vu_.context(), new_event(Ev::kOpen));
    if (!dispatch(Ev::kOpen, event.get())) {
        return listener_threw();
    }
    if (state_ == ReadyState::kClosed) {
        return true;
    }
    client_->set_notify([this, alive = alive_] {
        if (*alive) {
            wake_on_event();
        }
    });
    client_->start_reading();
    wake_on_event(); // the handshake's read may hold the first frames already
    return true;
}

void WebSocket::wake_on_event() {
    if (!event_queued_) {
        event_queued_ = true;
        queue([this] { return next_event(); });
    }
}

bool WebSocket::next_event() {
    event_queued_ = false;
    if (state_ == ReadyState::kClosed) {
        return true;
    }
    net::Event ev;
    if (!client_->next_event(ev)) {
        return true;
    }
    count_bytes();
    std::shared_ptr<bool> alive = alive_; // handle() may end the socket and free it
    bool ok = handle(ev);
    if (*alive && state_ != ReadyState::kClosed) {
        wake_on_event(); // one event per task, as k6: jobs and other sockets run in between
    }
    return ok;
}

bool WebSocket::handle(const net::Event& ev) {
    switch (ev.type) {
    case net::EventType::kText:
    case net::EventType::kBinary:
        return message(ev);
    case net::EventType::kPing:
        return pinged(ev.data);
    case net::EventType::kPong:
        return ponged(ev.data);
    case net::EventType::kClose: {
        // gorilla's default close handler answers with the peer's code and no reason (an empty
        // payload for 1005); k6 then reports the peer's code and reason.
        if (ev.code != 1006) {
            client_->close(ev.code, "", vu_.yield());
        }
        std::string reason(ev.code == 1006 ? std::string_view("unexpected EOF") : ev.data);
        note_error(ev.error_code);
        std::optional<Failure> error;
        if (!ev.error.empty()) {
            error = Failure{std::string(ev.error), ev.error_code};
        }
        return closed_with(error, ev.code, reason);
    }
    case net::EventType::kError:
        // k6/websockets drops read errors that are not close frames: a close event follows.
        note_error(ev.error_code);
        if (ev.protocol_error) {
            client_->close(1002, ev.data, vu_.yield());
        }
        return closed_with(std::nullopt, close_code_, "");
    }
    return true;
}

bool WebSocket::message(const net::Event& ev) {
    if (state_ != ReadyState::kOpen) {
        return true; // k6 drops data frames after close() (and before open)
    }
    JSContext* ctx = vu_.context();
    emit(vu_.registry().builtins().ws_msgs_received, 1, now_unix_ns());
    JSValue data;
    if (ev.type == net::EventType::kText) {
        data = js::new_string(ctx, ev.data);
    } else if (binary_blob_) {
        data = new_blob(ctx, std::string(ev.data));
    } else {
        data = JS_NewArrayBufferCopy(ctx, reinterpret_cast<const std::uint8_t*>(ev.data.data()),
                                     ev.data.size());
    }
    js::Value event(ctx, new_event(Ev::kMessage));
    js::define(ctx, event.get(), "data", data);
    js::define(ctx, event.get(), "origin", js::new_string(ctx, url_));
    if (!dispatch(Ev::kMessage, event.get())) {
        return listener_threw();
    }
    return true;
}

bool WebSocket::pinged(std::string_view payload) {
    writing_ = true;
    std::string err = client_->pong(payload, vu_.yield());
    writing_ = false;
    JSContext* ctx = vu_.context();
    if (!err.empty()) { // k6 queues an error event instead of the ping event
        int code = client_->last_write_error_code();
        note_error(code);
        js::Value event(ctx, error_event(Failure{err, code}));
        return dispatch(Ev::kError, event.get());
    }
    js::Value event(ctx, new_event(Ev::kPing));
    return dispatch(Ev::kPing, event.get());
}

bool WebSocket::ponged(std::string_view payload) {
    auto id = ws::ping_id(payload);
    if (id && *id < pings_sent_.size()) {
        emit(vu_.registry().builtins().ws_ping,
             std::chrono::duration<double, std::milli>(SteadyClock::now() - pings_sent_[*id])
                 .count(),
             now_unix_ns());
    } else {
        log::write(log::Level::kWarn, "received pong for unknown ping ID " + std::string(payload));
    }
    js::Value event(vu_.context(), new_event(Ev::kPong));
    return dispatch(Ev::kPong, event.get());
}

void WebSocket::send(JSValueConst data) {
    if (state_ != ReadyState::kOpen) {
        throw js::Error("InvalidStateError");
    }
    JSContext* ctx = vu_.context();
    if (JS_IsString(data)) {
        js::Utf8 text(ctx, data);
        if (!text.ok()) {
            throw js::PendingException{};
        }
        buffered_ += static_cast<std::int64_t>(text.view().size());
        write(text.view().size(),
              [&](net::WsClient& c, Yield y) { return c.send_text(text.view(), y); });
        return;
    }
    std::optional<std::string_view> bytes = js::array_buffer_view(ctx, data);
    const std::string* blob = bytes ? nullptr : blob_bytes(data);
    if (blob != nullptr) {
        bytes = std::string_view(*blob);
    }
    bool counted = bytes.has_value(); // a typed array is sent but never added (k6)
    if (!bytes && js::constructor_name(ctx, data) != "DataView") {
        bytes = js::typed_array_view(ctx, data);
    }
    if (!bytes) {
        throw js::Error(std::string("unsupported send type ") + js::go_export_type(ctx, data));
    }
    if (counted) {
        buffered_ += static_cast<std::int64_t>(bytes->size());
    }
    std::string_view payload = *bytes;
    write(payload.size(), [&](net::WsClient& c, Yield y) { return c.send_binary(payload, y); });
}

void WebSocket::ping() {
    if (state_ != ReadyState::kOpen) {
        throw js::Error("InvalidStateError");
    }
    std::string id = std::to_string(pings_sent_.size());
    pings_sent_.push_back(SteadyClock::now());
    write(id.size(), [&](net::WsClient& c, Yield y) { return c.ping(id, y); });
}

void WebSocket::close(std::int64_t code, std::string_view reason) {
    if (state_ == ReadyState::kClosing || state_ == ReadyState::kClosed) {
        return;
    }
    if (code != 0 && code != 1000 && (code < 3000 || code > 4999)) {
        throw js::Error("InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close "
                        "code must be either 1000, or between 3000 and 4999. " +
                        std::to_string(code) + " is neither");
    }
    if (reason.size() > 123) {
        throw js::Error("SyntaxError: Failed to execute 'close' on 'WebSocket': The message must "
                        "not be greater than 123 bytes");
    }
    bool connecting = state_ == ReadyState::kConnecting;
    state_ = ReadyState::kClosing;
    close_code_ = code == 0 ? 1000 : static_cast<int>(code);
    close_reason_ = std::string(reason);
    if (!connecting) { // else the end of the handshake sends it (opened())
        std::string r = close_reason_;
        queue([this, r] { return send_close(r); });
    }
}

bool WebSocket::send_close(const std::string& reason) {
    if (state_ == ReadyState::kClosed) {
        return true;
    }
    auto code = static_cast<std::uint16_t>(close_code_);
    if (!write(2 + reason.size(),
               [&](net::WsClient& c, Yield y) { return c.close(code, reason, y); })) {
        return true; // the failure's error and close events are queued
    }
    // k6 reports the peer's answer to the close frame; a conforming peer echoes the code.
    return closed_with(std::nullopt, close_code_, "");
}

template <class F> bool WebSocket::write(std::size_t length, F&& f) {
    writing_ = true;
    std::string err = f(*client_, vu_.yield());
    writing_ = false;
    count_bytes();
    if (!err.empty()) {
        Failure failure{err, client_->last_write_error_code()};
        note_error(failure.code);
        client_->cancel();
        queue([this, failure] { return closed_with(failure, close_code_, ""); });
        return false;
    }
    emit(vu_.registry().builtins().ws_msgs_sent, 1, now_unix_ns());
    auto n = static_cast<std::int64_t>(length);
    queue([this, n] {
        buffered_ -= n; // after the frame is written, as k6's writer does (pings, closes too)
        return true;
    });
    return true;
}

JSValue WebSocket::error_event(const Failure& error) {
    JSContext* ctx = vu_.context();
    JSValue event = new_event(Ev::kError);
    js::define(ctx, event, "error", js::new_string(ctx, error.text));
    ws::add_error_code(vu_, event, error.code, true);
    return event;
}

bool WebSocket::closed_with(std::optional<Failure> error, int code, const std::string& reason,
                            bool session_duration) {
    if (state_ == ReadyState::kClosed) {
        return true;
    }
    state_ = ReadyState::kClosed;
    client_->set_notify({});
    client_->cancel(); // TCP closed (no-op when already)
    count_bytes();
    JSContext* ctx = vu_.context();
    bool ok = true;
    if (error) {
        js::Value event(ctx, error_event(*error));
        ok = dispatch(Ev::kError, event.get()); // a throw here skips the close listeners
    }
    if (ok) {
        js::Value event(ctx, new_event(Ev::kClose));
        if (code != 0) {
            js::define(ctx, event.get(), "code", JS_NewInt32(ctx, code));
        }
        js::define(ctx, event.get(), "reason", js::new_string(ctx, reason));
        ok = dispatch(Ev::kClose, event.get());
    }
    end(session_duration);
    return ok; // `this` may be gone
}

bool WebSocket::listener_threw() {
    JSContext* ctx = vu_.context();
    js::Value exc(ctx, JS_GetException(ctx));
    js::ScriptError err = js::describe_exception(ctx, exc.get());
    std::string text = err.text();
    if (!err.file.empty()) {
        text +=
            " at " + err.file + ":" + std::to_string(err.line) + ":" + std::to_string(err.column);
    }
    client_->cancel(); // k6 drops the connection without a close frame
    if (!closed_with(Failure{text, 0}, 0, "")) {
        JS_FreeValue(ctx, JS_GetException(ctx)); // the first exception is the one reported
    }
    JS_Throw(ctx, exc.release());
    return false;
}

bool WebSocket::dispatch(Ev ev, JSValueConst event) {
    JSContext* ctx = vu_.context();
    const Handlers& h = handlers_[static_cast<std::size_t>(ev)];
    std::vector<js::Value> fns; // a snapshot: listeners may add listeners
    fns.reserve(h.list.size() + 1);
    if (!JS_IsNull(h.on)) {
        fns.push_back(js::Value::dup(ctx, h.on));
    }
    for (JSValueConst fn : h.list) {
        fns.push_back(js::Value::dup(ctx, fn));
    }
    for (const auto& fn : fns) {
        JSValueConst argv[1] = {event};
        js::Value r(ctx, JS_Call(ctx, fn.get(), JS_UNDEFINED, 1, argv));
        if (r.is_exception()) {
            return false;
        }
    }
    return true;
}

JSValue WebSocket::new_event(Ev ev) {
    JSContext* ctx = vu_.context();
    JSValue e = JS_NewObject(ctx);
    js::define(ctx, e, "type", JS_NewString(ctx, ev_name(ev)));
    js::define(ctx, e, "target", JS_DupValue(ctx, self_.get()));
    js::define(ctx, e, "timestamp", JS_NewFloat64(ctx, static_cast<double>(now_unix_ns()) / 1e6));
    return e;
}

JSValue WebSocket::on_handler(Ev ev) const {
    return JS_DupValue(vu_.context(), handlers_[static_cast<std::size_t>(ev)].on);
}

void WebSocket::set_on_handler(Ev ev, JSValueConst fn) {
    JSContext* ctx = vu_.context();
    Handlers& h = handlers_[static_cast<std::size_t>(ev)];
    JS_FreeValue(ctx, h.on);
    h.on = js::is_nullish(fn) ? JS_NULL : JS_DupValue(ctx, fn);
}

void WebSocket::add_listener(Ev ev, JSValueConst fn) {
    handlers_[static_cast<std::size_t>(ev)].list.push_back(JS_DupValue(vu_.context(), fn));
}

void WebSocket::emit(metrics::MetricId metric, double value, std::int64_t time_ns) {
    vu_.emit(metric, tags_, value, time_ns);
}

void WebSocket::count_bytes() {
    auto c = client_->take_counters();
    if (c.sent != 0 || c.received != 0) {
        vu_.count_bytes(c.sent, c.received);
    }
}

void WebSocket::queue(js::EventLoop::Task task) {
    vu_.event_loop().enqueue(
        [alive = alive_, task = std::move(task)] { return !*alive || task(); });
}

void WebSocket::end(bool session_duration) {
    if (session_duration) {
        emit(vu_.registry().builtins().ws_session_duration, ms_since(start_), now_unix_ns());
    }
    vu_.remove_interrupt_hook(interrupt_hook_);
    vu_.event_loop().remove_stop_hook(stop_hook_);
    if (holding_) {
        holding_ = false;
        vu_.event_loop().release();
    }
    js::Value self = std::move(self_); // last: it may be the last reference to our JS object
}

void WebSocket::abort() {
    if (state_ == ReadyState::kClosed) {
        return;
    }
    state_ = ReadyState::kClosed;
    client_->set_notify({});
    client_->cancel();
    count_bytes();
    end(false); // k6 drops the samples of a session its iteration's end cut
}

void WebSocket::mark(JSRuntime* rt, JS_MarkFunc* mark_func) {
    for (const auto& h : handlers_) {
        JS_MarkValue(rt, h.on, mark_func);
        for (JSValueConst fn : h.list) {
            JS_MarkValue(rt, fn, mark_func);
        }
    }
    JS_MarkValue(rt, params_.jar.get(), mark_func);
}

void WebSocket::release_values(JSRuntime* rt) {
    for (auto& h : handlers_) {
        JS_FreeValueRT(rt, h.on);
        h.on = JS_NULL;
        for (JSValue fn : h.list) {
            JS_FreeValueRT(rt, fn);
        }
        h.list.clear();
    }
    JS_FreeValueRT(rt, params_.jar.release());
}

} // namespace volley::modules::websockets
