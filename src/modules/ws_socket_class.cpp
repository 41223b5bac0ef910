// The JS face of the k6/ws Socket: on, send, sendBinary, ping, close, setTimeout, setInterval
// (k6-behaviour.md §2). Methods are looked up through the object's opaque Socket.

#include <cmath>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/ws_socket.hpp"

namespace volley::modules::ws {
namespace {

JSClassID g_socket_class = 0;

Socket& self(JSValueConst this_val) {
    Socket* s = socket_of(this_val);
    if (s == nullptr) {
        throw js::Error("not a Socket", js::ErrorKind::kTypeError);
    }
    return *s;
}

void finalize(JSRuntime* rt, JSValue obj) {
    auto* s = static_cast<Socket*>(JS_GetOpaque(obj, g_socket_class));
    if (s != nullptr) {
        s->release_values(rt);
        delete s;
    }
}

void gc_mark(JSRuntime* rt, JSValueConst obj, JS_MarkFunc* mark_func) {
    auto* s = static_cast<Socket*>(JS_GetOpaque(obj, g_socket_class));
    if (s != nullptr) {
        s->mark(rt, mark_func);
    }
}

JSValue js_on(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    JSValueConst name = js::arg(argc, argv, 0);
    self(this_val).on(js::is_nullish(name) ? "" : js::to_string_lossy(ctx, name),
                      js::arg(argc, argv, 1));
    return JS_UNDEFINED;
}

JSValue js_send(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    JSValueConst v = js::arg(argc, argv, 0);
    // send(), send(null) and send(undefined) send "" (k6-behaviour.md Q11).
    std::optional<js::Utf8> data;
    if (!js::is_nullish(v) && !data.emplace(ctx, v).ok()) {
        throw js::PendingException{};
    }
    if (!self(this_val).send(data ? data->view() : std::string_view(), false)) {
        throw js::PendingException{};
    }
    return JS_UNDEFINED;
}

JSValue js_send_binary(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    if (argc < 1) {
        throw js::Error("missing argument, expected ArrayBuffer");
    }
    std::size_t size = 0;
    std::uint8_t* data = JS_IsObject(argv[0]) ? JS_GetArrayBuffer(ctx, &size, argv[0]) : nullptr;
    if (data == nullptr) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        throw js::Error("expected ArrayBuffer as argument, received: " +
                        js::constructor_name(ctx, argv[0]));
    }
    // No copy: the bytes are read (masked into the frame buffer) before send() returns, and no
    // JS of this VU runs meanwhile that could detach or resize the buffer (error handlers run
    // after the write).
    if (!self(this_val).send(std::string_view(reinterpret_cast<const char*>(data), size), true)) {
        throw js::PendingException{};
    }
    return JS_UNDEFINED;
}

JSValue js_ping(JSContext*, JSValueConst this_val, int, JSValueConst*) {
    if (!self(this_val).ping()) {
        throw js::PendingException{};
    }
    return JS_UNDEFINED;
}

JSValue js_close(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    std::int64_t code = 1001; // k6's default: going away
    if (argc > 0) {
        double d = 0;
        if (JS_ToFloat64(ctx, &d, argv[0]) < 0) {
            throw js::PendingException{};
        }
        // ToInteger: NaN -> 0, truncation toward zero (close(undefined) sends 0,
        // k6-behaviour.md Q6).
        code = std::isfinite(d) ? static_cast<std::int64_t>(std::trunc(d)) : 0;
    }
    if (!self(this_val).close(code)) {
        throw js::PendingException{};
    }
    return JS_UNDEFINED;
}

// setTimeout / setInterval (magic 0 / 1): delay in ms, > 0 after truncation to nanoseconds.
JSValue js_timer(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv, int magic) {
    const char* name = magic == 0 ? "setTimeout" : "setInterval";
    JSValueConst fn = js::arg(argc, argv, 0);
    // k6 crashes later on null/undefined (k6-behaviour.md Q12): reject them.
    if (!JS_IsFunction(ctx, fn)) {
        throw js::Error(std::string("could not convert function call parameter 0: ") + name +
                            " requires a function",
                        js::ErrorKind::kTypeError);
    }
    double ms = 0;
    if (JS_ToFloat64(ctx, &ms, js::arg(argc, argv, 1)) < 0) {
        throw js::PendingException{};
    }
    double ns = std::trunc(ms * 1e6);
    if (!(ns > 0) || !std::isfinite(ns) || ns > 9.2e18) {
        std::string shown = std::isnan(ms)   ? "NaN"
                            : std::isinf(ms) ? (ms > 0 ? "+Inf" : "-Inf")
                                             : fmt::format("{:.2f}", ms);
        throw js::Error(
            fmt::format("{} requires a >0 timeout parameter, received {}", name, shown));
    }
    self(this_val).add_timer(fn, std::chrono::nanoseconds(static_cast<std::int64_t>(ns)),
                             magic == 1);
    return JS_UNDEFINED;
}

} // namespace

void register_socket_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_socket_class); });
    JSClassDef def{};
    def.class_name = "Socket";
    def.finalizer = &finalize;
    def.gc_mark = &gc_mark;
    JS_NewClass(rt, g_socket_class, &def);
}

void setup_socket_proto(JSContext* ctx) {
    JSValue proto = JS_NewObject(ctx);
    js::set_function<&js_on>(ctx, proto, "on", 2);
    js::set_function<&js_send>(ctx, proto, "send", 1);
    js::set_function<&js_send_binary>(ctx, proto, "sendBinary", 1);
    js::set_function<&js_ping>(ctx, proto, "ping", 0);
    js::set_function<&js_close>(ctx, proto, "close", 1);
    JS_SetPropertyStr(ctx, proto, "setTimeout",
                      JS_NewCFunctionMagic(ctx, &js::guarded_magic<&js_timer>, "setTimeout", 2,
                                           JS_CFUNC_generic_magic, 0));
    JS_SetPropertyStr(ctx, proto, "setInterval",
                      JS_NewCFunctionMagic(ctx, &js::guarded_magic<&js_timer>, "setInterval", 2,
                                           JS_CFUNC_generic_magic, 1));
    JS_SetClassProto(ctx, g_socket_class, proto);
}

JSValue new_socket_object(JSContext* ctx, std::unique_ptr<Socket> socket) {
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_socket_class));
    if (!JS_IsException(obj)) {
        JS_SetOpaque(obj, socket.release());
    }
    return obj;
}

Socket* socket_of(JSValueConst obj) {
    return static_cast<Socket*>(JS_GetOpaque(obj, g_socket_class));
}

} // namespace volley::modules::ws
