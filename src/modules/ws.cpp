#include "modules/ws.hpp"

#include <chrono>

#include "js/native.hpp"
#include "js/object_template.hpp"
#include "js/runtime.hpp"
#include "js/value.hpp"
#include "modules/http_state.hpp"
#include "modules/http_types.hpp"
#include "modules/vu_api.hpp"
#include "modules/ws_error.hpp"
#include "modules/ws_handshake.hpp"
#include "modules/ws_socket.hpp"
#include "net/cookie_jar.hpp"
#include "net/go_url.hpp"
#include "net/set_cookie.hpp"

namespace volley::modules {
namespace {

struct ConnectParams {
    net::Headers headers;
    metrics::TagMap tags;
    bool compression = false;
    net::CookieJar* jar = nullptr; // params.jar (a k6/http CookieJar); null: the VU's jar
};

// params: headers, tags, compression, jar; unknown keys are ignored (k6-behaviour.md Q17).
ConnectParams parse_params(JSContext* ctx, JSValueConst params) {
    ConnectParams p;
    std::vector<std::string> keys;
    if (js::is_nullish(params) || !JS_IsObject(params)) {
        return p;
    }
    if (!js::own_keys(ctx, params, keys)) {
        throw js::PendingException{};
    }
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, params, k.c_str()));
        if (k == "headers" && !js::is_nullish(v.get())) {
            ws::parse_headers(ctx, v.get(), p.headers);
        } else if (k == "tags") {
            apply_user_tags(ctx, v.get(), p.tags, "invalid ws.connect() metric tags: ");
        } else if (k == "compression") {
            // ToString, so null/undefined become "null"/"undefined" and are rejected
            // (k6-behaviour.md Q16).
            auto s = js::to_string(ctx, v.get());
            if (!s) {
                throw js::PendingException{};
            }
            std::string algo = ws::trim_space(*s);
            if (!algo.empty() && algo != "deflate") {
                throw js::Error("unsupported compression algorithm '" + algo +
                                "', supported algorithm is 'deflate'");
            }
            p.compression = algo == "deflate";
        } else if (k == "jar") {
            p.jar = http::cookie_jar_of(v.get());
        }
    }
    return p;
}

// The ws.connect result, made from the VU's templates (js/object_template.hpp): the same
// shapes every session instead of new ones property by property; churn runs this once per
// session. Properties are own data properties (no setter or prototype lookup, and a
// `__proto__` header stays an own property as in k6's Go map).
JSValue response_object(JSContext* ctx, const std::string& url, int status,
                        const net::Headers& headers, const std::string& body,
                        const std::string& error) {
    HttpState& state = VuApi::of(ctx).http_state();
    if (!state.ws_response.ready()) {
        state.ws_response.make(ctx, 0, {"url", "status", "headers", "body", "error"});
    }
    JSValue r = state.ws_response.instantiate(ctx);
    js::ObjectTemplate::set(ctx, r, 0, js::new_string(ctx, url));
    js::ObjectTemplate::set(ctx, r, 1, JS_NewInt32(ctx, status));
    js::ObjectTemplate::set(ctx, r, 2, state.ws_headers.make(ctx, headers));
    js::ObjectTemplate::set(ctx, r, 3, js::new_string(ctx, body));
    js::ObjectTemplate::set(ctx, r, 4, js::new_string(ctx, error));
    return r;
}

JSValue throw_interrupted(JSContext* ctx) {
    return js::throw_uncatchable(ctx, "interrupted");
}

// One ws.connect call: the session's tags, metrics and cleanup around the socket.
class ConnectCall {
public:
    // `tags`: the session's own (params.tags, url), laid over the VU's tags at connected().
    ConnectCall(VuApi& vu, metrics::TagMap tags)
        : vu_(vu), tags_(std::move(tags)), start_(SteadyClock::now()), start_ns_(now_unix_ns()) {
        auto socket = std::make_unique<ws::Socket>(vu, 0);
        socket_ = socket.get();
        object_ = js::Value(vu.context(), ws::new_socket_object(vu.context(), std::move(socket)));
        hook_ = vu.add_interrupt_hook([s = socket_] { s->on_interrupt(); });
    }
    ~ConnectCall() { vu_.remove_interrupt_hook(hook_); }
    ConnectCall(const ConnectCall&) = delete;
    ConnectCall& operator=(const ConnectCall&) = delete;

    ws::Socket& socket() { return *socket_; }
    JSValueConst object() const { return object_.get(); }

    // Tags get status/subproto once a response arrived; ws_sessions and ws_connecting follow.
    void connected(const net::HandshakeResult& hs) {
        ws::add_handshake_tags(hs, vu_.settings().system_tags, tags_);
        socket_->set_tags(vu_.tag_set_with(tags_));
        socket_->note_error(hs.error_code); // 0 when it succeeded
        const auto& b = vu_.registry().builtins();
        vu_.emit(b.ws_sessions, socket_->tags(), 1, start_ns_);
        vu_.emit(b.ws_connecting, socket_->tags(), hs.connect_ms, start_ns_);
        ws::emit_connect_phases(vu_, hs, socket_->tags(), start_ns_);
    }

    // ws_session_duration (timestamped at the dial's start, k6-behaviour.md Q14) and the byte
    // counts.
    void finish() {
        auto bytes = socket_->client().take_counters();
        vu_.count_bytes(bytes.sent, bytes.received);
        std::chrono::duration<double, std::milli> took = SteadyClock::now() - start_;
        vu_.emit(vu_.registry().builtins().ws_session_duration, socket_->tags(), took.count(),
                 start_ns_);
        socket_->end_session();
    }

    // A handler or the callback threw (or the VU is being stopped): close with 1001 (running
    // close handlers unless interrupted), then rethrow the same exception.
    JSValue fail() {
        JSContext* ctx = vu_.context();
        JSValue exc = JS_GetException(ctx);
        bool stop = vu_.interrupted() || js::is_uncatchable(ctx, exc);
        if (stop) {
            socket_->client().close(1001, "", vu_.yield());
        } else if (!socket_->close(1001)) {
            JS_FreeValue(ctx, JS_GetException(ctx)); // the first exception wins
        }
        finish();
        if (JS_IsUninitialized(exc) || JS_IsNull(exc)) {
            return throw_interrupted(ctx);
        }
        return JS_Throw(ctx, exc);
    }

private:
    VuApi& vu_;
    metrics::TagMap tags_;
    SteadyClock::time_point start_;
    std::int64_t start_ns_;
    ws::Socket* socket_ = nullptr;
    js::Value object_;
    int hook_ = 0;
};

JSValue handshake_failed(JSContext* ctx, VuApi& vu, ConnectCall& call,
                         const net::HandshakeResult& hs) {
    call.finish();
    if (vu.interrupted()) { // the handshake was cut because the VU is being stopped
        return throw_interrupted(ctx);
    }
    if (vu.settings().throw_errors) {
        throw js::Error(hs.error);
    }
    // k6-behaviour.md Q3: with a response, k6 leaves error and url empty.
    if (hs.status != 0) {
        return response_object(ctx, "", hs.status, hs.headers, hs.body, "");
    }
    return response_object(ctx, "", 0, {}, "", hs.error);
}

// A dialled and upgraded ws.connect session, or the result of one that failed.
struct Opened {
    std::unique_ptr<ConnectCall> call; // null when the handshake failed
    js::Value response;                // the ws.connect result
};

// Parses the parameters, dials and upgrades. Not inlined: its locals (parameters, handshake
// options and result) are large, and the session loop that follows runs deeper on the VU's
// coroutine stack, whose touched pages stay resident for the VU's life (docs/performance.md,
// "VU memory": one page less per VU).
[[gnu::noinline]] Opened open_session(JSContext* ctx, VuApi& vu, JSValueConst url_arg,
                                      JSValueConst params_arg) {
    std::string url = js::is_nullish(url_arg) ? "" : js::to_string_lossy(ctx, url_arg);
    ConnectParams params = parse_params(ctx, params_arg);
    metrics::TagMap tags = std::move(params.tags); // laid over the VU's tags
    if (vu.settings().system_tags.count("url") != 0) {
        tags["url"] = url; // the raw argument, after custom tags (k6-behaviour.md §1.4)
    }
    auto call = std::make_unique<ConnectCall>(vu, std::move(tags));
    net::CookieJar& jar = params.jar != nullptr ? *params.jar : vu.cookie_jar();
    net::HandshakeOptions opts;
    opts.headers = std::move(params.headers);
    ws::add_jar_cookies(jar, url, opts.headers);
    opts.user_agent = vu.settings().user_agent;
    opts.compression = params.compression;
    opts.tls = vu.settings().tls;
    opts.policy = vu.settings().dial_policy;
    opts.local_ip = vu.local_ip();
    opts.dns = vu.settings().dns;
    auto hs = call->socket().client().connect(url, opts, vu.yield());
    ws::store_jar_cookies(jar, url, hs.set_cookies);
    call->connected(hs);
    if (!hs.ok) {
        return {nullptr, js::Value(ctx, handshake_failed(ctx, vu, *call, hs))};
    }
    return {std::move(call),
            js::Value(ctx, response_object(ctx, url, hs.status, hs.headers, "", ""))};
}

JSValue js_connect(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    if (vu.in_init_context()) {
        throw js::Error("using websockets in the init context is not supported");
    }
    if (vu.interrupted()) {
        return throw_interrupted(ctx); // do not start a session the VU cannot finish
    }
    if (argc != 2 && argc != 3) {
        throw js::Error("invalid number of arguments to ws.connect");
    }
    JSValueConst callback = argv[argc - 1];
    if (!JS_IsFunction(ctx, callback)) {
        throw js::Error("last argument to ws.connect must be a function");
    }
    Opened opened = open_session(ctx, vu, argv[0], argc == 3 ? argv[1] : JS_UNDEFINED);
    if (!opened.call) {
        return opened.response.release();
    }
    ConnectCall& call = *opened.call;
    JSValueConst cb_args[1] = {call.object()};
    js::Value r(ctx, JS_Call(ctx, callback, JS_UNDEFINED, 1, cb_args));
    if (r.is_exception()) {
        return call.fail();
    }
    // `open` runs even if the callback already closed the socket (k6-behaviour.md Q5).
    if (!call.socket().dispatch("open", 0, nullptr) || !call.socket().run_loop()) {
        return call.fail();
    }
    call.finish();
    return opened.response.release();
}

int init(JSContext* ctx, JSModuleDef* m) {
    ws::setup_socket_proto(ctx);
    ws::setup_error_proto(ctx);
    JSValue def = JS_NewObject(ctx);
    js::set_function<&js_connect>(ctx, def, "connect", 3);
    return JS_SetModuleExport(ctx, m, "default", def);
}

} // namespace

void register_ws_classes(JSRuntime* rt) {
    ws::register_socket_class(rt);
    ws::register_error_class(rt);
}

js::NativeModule ws_module() {
    return {"k6/ws", {"default"}, &init};
}

} // namespace volley::modules
