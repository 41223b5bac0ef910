#include "modules/websockets.hpp"

#include <memory>
#include <mutex>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/blob.hpp"
#include "modules/http_types.hpp"
#include "modules/vu_api.hpp"
#include "modules/websockets_socket.hpp"
#include "modules/ws_handshake.hpp"
#include "net/go_url.hpp"
#include "util/log.hpp"

namespace volley::modules {
namespace {

using websockets::Ev;
using websockets::WebSocket;

JSClassID g_ws_class = 0;

WebSocket& self(JSValueConst this_val) {
    auto* ws = static_cast<WebSocket*>(JS_GetOpaque(this_val, g_ws_class));
    if (ws == nullptr) {
        throw js::Error("not a WebSocket", js::ErrorKind::kTypeError);
    }
    return *ws;
}

void finalize(JSRuntime* rt, JSValue obj) {
    auto* ws = static_cast<WebSocket*>(JS_GetOpaque(obj, g_ws_class));
    if (ws != nullptr) {
        ws->release_values(rt);
        delete ws;
    }
}

void gc_mark(JSRuntime* rt, JSValueConst obj, JS_MarkFunc* mark_func) {
    auto* ws = static_cast<WebSocket*>(JS_GetOpaque(obj, g_ws_class));
    if (ws != nullptr) {
        ws->mark(rt, mark_func);
    }
}

// The URL checks of k6's parseURL, in its order; returns Go's URL.String().
std::string parse_url(JSContext* ctx, JSValueConst v) {
    if (js::is_nullish(v)) {
        throw js::Error("WebSocket requires a url");
    }
    std::string raw = js::to_string_lossy(ctx, v);
    auto u = net::parse_go_url(raw);
    if (!u) {
        throw js::Error("WebSocket requires valid url, but got \"" + raw + "\" which resulted in " +
                        u.error());
    }
    if (u->scheme != "ws" && u->scheme != "wss") {
        throw js::Error("WebSocket requires url with scheme ws or wss, but got \"" + u->scheme +
                        "\"");
    }
    if (!u->fragment.empty()) {
        throw js::Error("WebSocket requires no url fragment, but got \"" + u->fragment + "\"");
    }
    return u->string();
}

void parse_compression(JSContext* ctx, JSValueConst v, websockets::Params& p) {
    auto s = js::to_string(ctx, v);
    if (!s) {
        throw js::PendingException{};
    }
    std::string algo = ws::trim_space(*s);
    if (algo != "deflate") {
        throw js::Error("unsupported compression algorithm '" + algo +
                        "', supported algorithm is 'deflate'");
    }
    p.compression = true;
}

// k6's buildParams: headers, tags, jar, compression; any other key is an error.
websockets::Params parse_params(JSContext* ctx, JSValueConst params) {
    websockets::Params p;
    if (js::is_nullish(params)) {
        return p;
    }
    if (!JS_IsObject(params)) { // ToObject: only a non-empty string has keys ("0", ...)
        if (JS_IsString(params) && !js::to_string_lossy(ctx, params).empty()) {
            throw js::Error("unknown WebSocket's option 0");
        }
        return p;
    }
    std::vector<std::string> keys;
    if (!js::own_keys(ctx, params, keys)) {
        throw js::PendingException{};
    }
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, params, k.c_str()));
        if (k == "headers") {
            ws::parse_headers(ctx, v.get(), p.headers);
        } else if (k == "tags") {
            apply_user_tags(ctx, v.get(), p.tags, "invalid WebSocket tags option: ");
        } else if (k == "jar") {
            if (http::cookie_jar_of(v.get()) != nullptr) {
                p.jar = js::Value::dup(ctx, v.get());
            }
        } else if (k == "compression") {
            parse_compression(ctx, v.get(), p);
        } else {
            throw js::Error("unknown WebSocket's option " + k);
        }
    }
    return p;
}

// A string (or String object) is one protocol, an Array lists them, anything else is ignored.
std::vector<std::string> parse_protocols(JSContext* ctx, JSValueConst v) {
    std::vector<std::string> out;
    if (js::is_nullish(v)) {
        return out;
    }
    if (JS_IsString(v) || js::constructor_name(ctx, v) == "String") {
        out.push_back(js::to_string_lossy(ctx, v));
    } else if (JS_IsArray(ctx, v)) {
        std::vector<std::string> keys;
        if (!js::own_keys(ctx, v, keys)) {
            throw js::PendingException{};
        }
        for (const auto& k : keys) {
            js::Value e(ctx, JS_GetPropertyStr(ctx, v, k.c_str()));
            out.push_back(js::to_string_lossy(ctx, e.get()));
        }
    }
    return out;
}

JSValue js_websocket(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    std::string url = parse_url(ctx, js::arg(argc, argv, 0));
    if (vu.in_init_context()) {
        throw js::Error("using websockets in the init context is not supported");
    }
    websockets::Params params = parse_params(ctx, js::arg(argc, argv, 2));
    params.protocols = parse_protocols(ctx, js::arg(argc, argv, 1));
    metrics::TagMap tags = vu.tags();
    for (const auto& [k, v] : params.tags) {
        tags[k] = v;
    }
    // url and name are the URL, or both the custom name tag when there is one (k6).
    auto custom = params.tags.find("name");
    std::string shown = custom != params.tags.end() ? custom->second : url;
    const auto& sys = vu.settings().system_tags;
    for (const char* tag : {"url", "name"}) {
        if (sys.count(tag) != 0) {
            tags[tag] = shown;
        }
    }
    js::Value obj(ctx, JS_NewObjectClass(ctx, static_cast<int>(g_ws_class)));
    if (obj.is_exception()) {
        throw js::PendingException{};
    }
    auto* ws = new WebSocket(vu, std::move(url), std::move(params), std::move(tags));
    JS_SetOpaque(obj.get(), ws);
    ws->start(obj.get());
    return obj.release();
}

JSValue get_url(JSContext* ctx, JSValueConst this_val) {
    return js::new_string(ctx, self(this_val).url());
}

JSValue get_ready_state(JSContext* ctx, JSValueConst this_val) {
    return JS_NewInt32(ctx, static_cast<int>(self(this_val).ready_state()));
}

JSValue get_buffered_amount(JSContext* ctx, JSValueConst this_val) {
    return JS_NewInt64(ctx, self(this_val).buffered_amount());
}

JSValue get_protocol(JSContext* ctx, JSValueConst this_val) {
    return js::new_string(ctx, self(this_val).protocol());
}

JSValue get_extensions(JSContext* ctx, JSValueConst this_val) {
    JSValue arr = JS_NewArray(ctx);
    std::uint32_t i = 0;
    for (const auto& e : self(this_val).extensions()) {
        JS_SetPropertyUint32(ctx, arr, i++, js::new_string(ctx, e));
    }
    return arr;
}

JSValue get_binary_type(JSContext* ctx, JSValueConst this_val) {
    return JS_NewString(ctx, self(this_val).binary_is_blob() ? "blob" : "arraybuffer");
}

JSValue set_binary_type(JSContext* ctx, JSValueConst this_val, JSValueConst v) {
    std::string type = js::to_string_lossy(ctx, v);
    if (type != "blob" && type != "arraybuffer") {
        throw js::Error("unknown binaryType " + type +
                        ", the supported ones are \"blob\" and \"arraybuffer\"");
    }
    self(this_val).set_binary_is_blob(type == "blob");
    return JS_UNDEFINED;
}

JSValue get_on(JSContext*, JSValueConst this_val, int magic) {
    return self(this_val).on_handler(static_cast<Ev>(magic));
}

JSValue set_on(JSContext* ctx, JSValueConst this_val, JSValueConst fn, int magic) {
    auto ev = static_cast<Ev>(magic);
    if (!js::is_nullish(fn) && !JS_IsFunction(ctx, fn)) {
        throw js::Error(std::string("a value for 'on") + websockets::ev_name(ev) +
                        "' should be callable");
    }
    self(this_val).set_on_handler(ev, fn);
    return JS_UNDEFINED;
}

JSValue js_add_event_listener(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    WebSocket& ws = self(this_val);
    std::string type = js::to_string_lossy(ctx, js::arg(argc, argv, 0));
    JSValueConst fn = js::arg(argc, argv, 1);
    if (js::is_nullish(fn)) {
        throw js::Error("handler for event type \"" + type + "\" isn't a callable function");
    }
    if (!JS_IsFunction(ctx, fn)) {
        throw js::Error("could not convert function call parameter 1: could not convert " +
                            js::to_string_lossy(ctx, fn) +
                            " to func(sobek.Value) (sobek.Value, error)",
                        js::ErrorKind::kTypeError);
    }
    auto ev = websockets::ev_of(type);
    if (!ev) {
        log::write(log::Level::kWarn, "can't add event handler: unknown event type: " + type);
        return JS_UNDEFINED;
    }
    ws.add_listener(*ev, fn);
    return JS_UNDEFINED;
}

JSValue js_send(JSContext*, JSValueConst this_val, int argc, JSValueConst* argv) {
    self(this_val).send(js::arg(argc, argv, 0));
    return JS_UNDEFINED;
}

JSValue js_ping(JSContext*, JSValueConst this_val, int, JSValueConst*) {
    self(this_val).ping();
    return JS_UNDEFINED;
}

JSValue js_close(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    std::int64_t code = 0;
    JSValueConst c = js::arg(argc, argv, 0);
    if (!js::is_nullish(c) && JS_ToInt64(ctx, &code, c) < 0) {
        throw js::PendingException{};
    }
    JSValueConst r = js::arg(argc, argv, 1);
    std::string reason = js::is_nullish(r) ? std::string() : js::to_string_lossy(ctx, r);
    self(this_val).close(code, reason);
    return JS_UNDEFINED;
}

void fill_proto(JSContext* ctx, JSValueConst proto) {
    js::define_accessor<&get_url>(ctx, proto, "url");
    js::define_accessor<&get_ready_state>(ctx, proto, "readyState");
    js::define_accessor<&get_buffered_amount>(ctx, proto, "bufferedAmount");
    js::define_accessor<&get_protocol>(ctx, proto, "protocol");
    js::define_accessor<&get_extensions>(ctx, proto, "extensions");
    js::define_accessor<&get_binary_type, &set_binary_type>(ctx, proto, "binaryType");
    for (std::size_t i = 0; i < websockets::kEvCount; ++i) {
        std::string name = std::string("on") + websockets::ev_name(static_cast<Ev>(i));
        js::define_accessor_magic<&get_on, &set_on>(ctx, proto, name.c_str(), static_cast<int>(i));
    }
    js::set_function<&js_add_event_listener>(ctx, proto, "addEventListener", 2);
    js::set_function<&js_send>(ctx, proto, "send", 1);
    js::set_function<&js_ping>(ctx, proto, "ping", 0);
    js::set_function<&js_close>(ctx, proto, "close", 2);
}

// The context's WebSocket constructor (made on first use), as blob_constructor.
JSValue websocket_constructor(JSContext* ctx) {
    js::Value proto(ctx, JS_GetClassProto(ctx, g_ws_class));
    if (JS_IsObject(proto.get())) {
        return JS_GetPropertyStr(ctx, proto.get(), "constructor");
    }
    JSValue fresh = JS_NewObject(ctx);
    fill_proto(ctx, fresh);
    JSValue c = JS_NewCFunction2(ctx, &js::guarded<&js_websocket>, "WebSocket", 1,
                                 JS_CFUNC_constructor_or_func, 0);
    JS_SetConstructor(ctx, c, fresh);
    JS_SetClassProto(ctx, g_ws_class, fresh);
    return c;
}

int init(JSContext* ctx, JSModuleDef* m) {
    JSValue ws = websocket_constructor(ctx);
    JSValue blob = blob_constructor(ctx);
    JSValue def = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, def, "WebSocket", JS_DupValue(ctx, ws));
    JS_SetPropertyStr(ctx, def, "Blob", JS_DupValue(ctx, blob));
    JS_SetModuleExport(ctx, m, "WebSocket", ws);
    JS_SetModuleExport(ctx, m, "Blob", blob);
    return JS_SetModuleExport(ctx, m, "default", def);
}

int init_experimental(JSContext* ctx, JSModuleDef* m) {
    static std::once_flag once;
    std::call_once(once, [] {
        log::write(log::Level::kWarn, "k6/experimental/websockets is deprecated and will be "
                                      "removed in a future release. Please use k6/websockets "
                                      "instead.");
    });
    return init(ctx, m);
}

} // namespace

void register_websockets_classes(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_ws_class); });
    JSClassDef def{};
    def.class_name = "WebSocket";
    def.finalizer = &finalize;
    def.gc_mark = &gc_mark;
    JS_NewClass(rt, g_ws_class, &def);
    register_blob_class(rt);
}

js::NativeModule websockets_module() {
    return {"k6/websockets", {"WebSocket", "Blob", "default"}, &init};
}

js::NativeModule experimental_websockets_module() {
    return {"k6/experimental/websockets", {"WebSocket", "Blob", "default"}, &init_experimental};
}

} // namespace volley::modules
