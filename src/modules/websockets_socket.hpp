#pragma once

// One k6/websockets WebSocket (k6's internal/js/modules/k6/websockets; k6-behaviour.md §8): its
// state machine, listeners, events and metrics. Many per VU: none has a coroutine or a JS
// context of its own. The handshake runs on a short-lived coroutine; after it, the socket is a
// WsClient whose reader queues a task on the VU's event loop for each event, and every JS
// listener runs from the loop, on the VU's coroutine.
//
// Owned by its JS object. From construction until CLOSED it holds the event loop (the
// iteration does not end) and a reference to its own JS object (no GC while events may come).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quickjs.h"

#include "js/value.hpp"
#include "metrics/sample.hpp"
#include "metrics/tags.hpp"
#include "modules/vu_api.hpp"
#include "modules/ws_handshake.hpp"
#include "net/headers.hpp"
#include "net/ws_client.hpp"
#include "util/time.hpp"

namespace volley::modules::websockets {

enum class Ev : std::uint8_t { kOpen, kMessage, kError, kClose, kPing, kPong };
inline constexpr std::size_t kEvCount = 6;
std::optional<Ev> ev_of(std::string_view name);
const char* ev_name(Ev ev);

enum class ReadyState : std::uint8_t { kConnecting = 0, kOpen = 1, kClosing = 2, kClosed = 3 };

// What the constructor parsed (k6's params.go).
struct Params {
    net::Headers headers;
    metrics::TagMap tags;
    bool compression = false;
    js::Value jar; // a k6/http CookieJar object, or undefined for the VU's jar
    std::vector<std::string> protocols;
};

class WebSocket {
public:
    // `url` is the parsed URL's String(); `tags` the VU's tags at construction with params.tags
    // and the url/name system tags.
    WebSocket(VuApi& vu, std::string url, Params params, metrics::TagMap tags);
    ~WebSocket();
    WebSocket(const WebSocket&) = delete;
    WebSocket& operator=(const WebSocket&) = delete;

    // Holds the loop and `self` (the JS object) and starts the handshake.
    void start(JSValueConst self);

    // --- the JS face (false or a throw: a JS exception is pending) ---
    const std::string& url() const { return url_; }
    ReadyState ready_state() const { return state_; }
    std::int64_t buffered_amount() const { return buffered_; }
    const std::string& protocol() const { return protocol_; }
    const std::vector<std::string>& extensions() const { return extensions_; }
    bool binary_is_blob() const { return binary_blob_; }
    void set_binary_is_blob(bool blob) { binary_blob_ = blob; }
    JSValue on_handler(Ev ev) const; // a new reference, or null
    void set_on_handler(Ev ev, JSValueConst fn);
    void add_listener(Ev ev, JSValueConst fn);
    void send(JSValueConst data);
    void ping();
    void close(std::int64_t code, std::string_view reason);

    void mark(JSRuntime* rt, JS_MarkFunc* mark_func);
    void release_values(JSRuntime* rt);

private:
    struct Handlers {
        JSValue on = JS_NULL;
        std::vector<JSValue> list;
    };

    void handshake(Yield yield);
    void handshake_done(const net::HandshakeResult& hs);
    bool opened();
    bool next_event();
    bool handle(const net::Event& ev);
    bool message(const net::Event& ev);
    bool pinged(std::string_view payload);
    bool ponged(std::string_view payload);
    void wake_on_event();
    // Writes with `write` (a WsClient call taking the VU's coroutine); counts the frame and
    // queues the bufferedAmount decrement. On failure queues the error and close events.
    template <class F> bool write(std::size_t length, F&& write);
    // The error an `error` event reports: its text and, for a WebSocket failure, its
    // ws_error_code.hpp code (0 for a listener's exception).
    struct Failure {
        std::string text;
        int code = 0;
    };
    // k6's connectionClosedWithError: CLOSED, `error` listeners (when `error` is set), then
    // `close` listeners, then end(). False when a listener threw.
    bool closed_with(std::optional<Failure> error, int code, const std::string& reason,
                     bool session_duration = true);
    // An `error` event for `error` (with --insight, its code too).
    JSValue error_event(const Failure& error);
    // --insight: counts a failure of this session (ws_errors) and tags its later samples.
    void note_error(int code) { tags_ = ws::note_ws_error(vu_, code, tags_); }
    // Writes the close frame close() asked for, then the close event.
    bool send_close(const std::string& reason);
    // A listener of `open` or `message` threw: TCP dropped, error and close listeners told, the
    // exception kept pending.
    bool listener_threw();
    bool dispatch(Ev ev, JSValueConst event);
    JSValue new_event(Ev ev);
    void emit(metrics::MetricId metric, double value, std::int64_t time_ns);
    void count_bytes();
    void queue(js::EventLoop::Task task);
    // Lets go of the loop, the hooks and (last) the JS object, which may free this.
    void end(bool session_duration);
    // Stop hook: the iteration ended with the socket open; drop it without JS.
    void abort();

    VuApi& vu_;
    std::string url_;
    Params params_;
    metrics::TagMap tag_map_;
    metrics::TagSetId tags_ = 0;
    std::unique_ptr<net::FrameObserver> frame_log_; // --ws-debug; outlives client_ here
    std::shared_ptr<net::WsClient> client_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    js::Value self_;
    ReadyState state_ = ReadyState::kConnecting;
    bool binary_blob_ = true;
    bool event_queued_ = false;
    bool writing_ = false;
    bool holding_ = false;
    std::int64_t buffered_ = 0;
    int close_code_ = 0; // set by close()
    std::string close_reason_;
    std::string protocol_;
    std::vector<std::string> extensions_;
    std::array<Handlers, kEvCount> handlers_;
    std::vector<SteadyClock::time_point> pings_sent_;
    SteadyClock::time_point start_;
    std::int64_t start_ns_ = 0;
    int stop_hook_ = 0;
    int interrupt_hook_ = 0;
};

} // namespace volley::modules::websockets
