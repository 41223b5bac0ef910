// The Response object k6/http returns (k6's httpext.Response as Sobek shows it) and its json().

#include "modules/http_response.hpp"

#include <mutex>

#include <boost/json.hpp>

#include "js/native.hpp"
#include "js/runtime.hpp"
#include "js/value.hpp"
#include "modules/http_state.hpp"
#include "modules/json_path.hpp"
#include "modules/vu_api.hpp"
#include "net/set_cookie.hpp"
#include "util/log.hpp"

namespace volley::modules::http {
namespace {

JSClassID g_response_class = 0;
using Templates = HttpState;

// Go's time.Time{}.UnixNano() / 1e6: what k6 reports as `expires` of a cookie without one.
constexpr std::int64_t kZeroTimeMs = -6795364578871;

void define(JSContext* ctx, JSValueConst obj, std::string_view name, JSValue value) {
    JSAtom a = js::atom(ctx, name);
    JS_DefinePropertyValue(ctx, obj, a, value, JS_PROP_C_W_E);
    JS_FreeAtom(ctx, a);
}

JSValue headers_object(JSContext* ctx, const net::Headers& headers) {
    return VuApi::of(ctx).http_state().response_headers.make(ctx, headers);
}

// The objects every response has, made from per-VU templates (js/object_template.hpp) in the
// order their fields are listed here.
Templates& templates(JSContext* ctx) {
    HttpState& s = VuApi::of(ctx).http_state();
    if (!s.response.ready()) {
        s.response.make(ctx, g_response_class,
                        {"remote_ip", "remote_port", "url", "status", "status_text", "proto",
                         "headers", "cookies", "body", "timings", "tls_version", "tls_cipher_suite",
                         "ocsp", "error", "error_code", "request"});
        s.timings.make(ctx, 0,
                       {"duration", "blocked", "looking_up", "connecting", "tls_handshaking",
                        "sending", "waiting", "receiving"});
        s.request.make(ctx, 0, {"method", "url", "headers", "body", "cookies"});
        s.ocsp.make(ctx, 0,
                    {"produced_at", "this_update", "next_update", "revocation_reason", "revoked_at",
                     "status"});
    }
    return s;
}

// Fills `t`'s instance with `values`, in template order.
JSValue fill(JSContext* ctx, const js::ObjectTemplate& t, std::initializer_list<JSValue> values) {
    JSValue o = t.instantiate(ctx);
    int i = 0;
    for (JSValue v : values) {
        js::ObjectTemplate::set(ctx, o, i++, v);
    }
    return o;
}

JSValue timings_object(JSContext* ctx, const net::HttpTimings& t) {
    return fill(ctx, templates(ctx).timings,
                {JS_NewFloat64(ctx, t.duration), JS_NewFloat64(ctx, t.blocked),
                 JS_NewFloat64(ctx, 0), JS_NewFloat64(ctx, t.connecting),
                 JS_NewFloat64(ctx, t.tls_handshaking), JS_NewFloat64(ctx, t.sending),
                 JS_NewFloat64(ctx, t.waiting), JS_NewFloat64(ctx, t.receiving)});
}

// res.cookies: name → [{name, value, domain, path, http_only, secure, max_age, expires}].
JSValue response_cookies(JSContext* ctx, const std::vector<std::string>& set_cookies) {
    JSValue out = JS_NewObject(ctx);
    for (const auto& line : set_cookies) {
        auto c = net::parse_set_cookie(line);
        if (!c) {
            continue;
        }
        JSValue o = JS_NewObject(ctx);
        define(ctx, o, "name", js::new_string(ctx, c->name));
        define(ctx, o, "value", js::new_string(ctx, c->value));
        define(ctx, o, "domain", js::new_string(ctx, c->domain));
        define(ctx, o, "path", js::new_string(ctx, c->path));
        define(ctx, o, "http_only", JS_NewBool(ctx, c->http_only));
        define(ctx, o, "secure", JS_NewBool(ctx, c->secure));
        define(ctx, o, "max_age", JS_NewInt64(ctx, c->max_age));
        define(ctx, o, "expires",
               JS_NewInt64(ctx, c->expires_unix_s ? *c->expires_unix_s * 1000 : kZeroTimeMs));
        push_to_list(ctx, out, c->name, o);
    }
    return out;
}

// request.cookies: from the Cookie header sent, name → [{name, value, replace: false}].
JSValue request_cookies(JSContext* ctx, std::string_view header) {
    JSValue out = JS_NewObject(ctx);
    while (!header.empty()) {
        auto semi = header.find(';');
        std::string_view part = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        while (!part.empty() && part.front() == ' ') {
            part.remove_prefix(1);
        }
        auto eq = part.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            continue;
        }
        std::string name(part.substr(0, eq));
        std::string_view value = part.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        JSValue o = JS_NewObject(ctx);
        define(ctx, o, "name", js::new_string(ctx, name));
        define(ctx, o, "value", js::new_string(ctx, value));
        define(ctx, o, "replace", JS_FALSE);
        push_to_list(ctx, out, name, o);
    }
    return out;
}

JSValue request_object(JSContext* ctx, const ParsedRequest& req, const Exchange& ex) {
    JSValue headers = JS_NewObject(ctx);
    for (const auto& [k, v] : ex.request_headers) {
        JSValue list = JS_NewArray(ctx);
        JS_SetPropertyUint32(ctx, list, 0, js::new_string(ctx, v));
        define(ctx, headers, k, list);
    }
    if (!req.wire.user_agent.empty() &&
        net::header_value(ex.request_headers, "User-Agent").empty()) {
        JSValue list = JS_NewArray(ctx);
        JS_SetPropertyUint32(ctx, list, 0, js::new_string(ctx, req.wire.user_agent));
        define(ctx, headers, "User-Agent", list);
    }
    return fill(ctx, templates(ctx).request,
                {js::new_string(ctx, req.wire.method), js::new_string(ctx, ex.request_url), headers,
                 js::new_string(ctx, ex.request_body), request_cookies(ctx, ex.request_cookies)});
}

JSValue ocsp_object(JSContext* ctx, bool tls) {
    return fill(ctx, templates(ctx).ocsp,
                {JS_NewInt32(ctx, 0), JS_NewInt32(ctx, 0), JS_NewInt32(ctx, 0),
                 js::new_string(ctx, ""), JS_NewInt32(ctx, 0),
                 js::new_string(ctx, tls ? "unknown" : "")});
}

JSValue body_value(JSContext* ctx, const ParsedRequest& req, const net::HttpResponse& r) {
    if (r.error || !r.body_read) {
        return JS_NULL;
    }
    if (req.response_type == ResponseType::kBinary) {
        return JS_NewArrayBufferCopy(ctx, reinterpret_cast<const std::uint8_t*>(r.body.data()),
                                     r.body.size());
    }
    return js::new_string(ctx, r.body);
}

// The body as bytes for json(); false when it is null or not text/bytes.
bool body_bytes(JSContext* ctx, JSValueConst body, std::string& out) {
    if (JS_IsString(body)) {
        out = js::to_string_lossy(ctx, body);
        return true;
    }
    std::size_t size = 0;
    if (std::uint8_t* p = JS_IsObject(body) ? JS_GetArrayBuffer(ctx, &size, body) : nullptr) {
        out.assign(reinterpret_cast<const char*>(p), size);
        return true;
    }
    JS_FreeValue(ctx, JS_GetException(ctx));
    return false;
}

JSValue js_json(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    js::Value body(ctx, JS_GetPropertyStr(ctx, this_val, "body"));
    std::string text;
    if (js::is_nullish(body.get()) || !body_bytes(ctx, body.get(), text)) {
        throw js::Error("the body is null so we can't transform it to JSON - this likely was "
                        "because of a request error getting the response");
    }
    if (argc > 0 && !js::is_nullish(argv[0])) {
        return json_select(ctx, text, js::to_string_lossy(ctx, argv[0]));
    }
    auto parsed = parse_json_like_go(text);
    if (!parsed.ok) {
        throw js::Error(parsed.error);
    }
    JSValue v = JS_ParseJSON(ctx, text.data(), text.size(), "<response>");
    if (JS_IsException(v)) {
        throw js::PendingException{};
    }
    return v;
}

JSValue js_html(JSContext*, JSValueConst, int, JSValueConst*) {
    throw js::Error("Response.html() is not supported by volley yet (see docs/compatibility.md)");
}

} // namespace

void register_response_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_response_class); });
    JSClassDef def{};
    def.class_name = "Response";
    JS_NewClass(rt, g_response_class, &def);
}

void setup_response_proto(JSContext* ctx) {
    JSValue proto = JS_NewObject(ctx);
    js::set_function<&js_json>(ctx, proto, "json", 1);
    js::set_function<&js_html>(ctx, proto, "html", 1);
    JS_SetClassProto(ctx, g_response_class, proto);
}

JSValue response_object(JSContext* ctx, const ParsedRequest& req, const Exchange& ex) {
    const net::HttpResponse& r = ex.response;
    // k6's finishedRequest code: the error's, else 1000 + status for a 4xx or 5xx response.
    int code = r.error ? r.error.code : r.status >= 400 ? 1000 + r.status : 0;
    return fill(ctx, templates(ctx).response,
                {js::new_string(ctx, r.remote_ip), JS_NewInt32(ctx, r.remote_port),
                 js::new_string(ctx, ex.url),
                 JS_NewInt32(ctx, r.error && r.status == 0 ? 0 : r.status),
                 js::new_string(ctx, r.status_text), js::new_string(ctx, r.proto),
                 headers_object(ctx, r.headers), response_cookies(ctx, r.set_cookies),
                 body_value(ctx, req, r), timings_object(ctx, r.timings),
                 js::new_string(ctx, r.tls_version), js::new_string(ctx, r.tls_cipher_suite),
                 ocsp_object(ctx, !r.tls_version.empty()), js::new_string(ctx, r.error.message),
                 JS_NewInt32(ctx, code), request_object(ctx, req, ex)});
}

JSValue failed_response_object(JSContext* ctx, const ParseFailure& failure) {
    return fill(ctx, templates(ctx).response,
                {js::new_string(ctx, ""), JS_NewInt32(ctx, 0), js::new_string(ctx, ""),
                 JS_NewInt32(ctx, 0), js::new_string(ctx, ""), js::new_string(ctx, ""),
                 JS_NewObject(ctx), JS_NewObject(ctx), JS_NULL, timings_object(ctx, {}),
                 js::new_string(ctx, ""), js::new_string(ctx, ""), ocsp_object(ctx, false),
                 js::new_string(ctx, failure.message), JS_NewInt32(ctx, failure.code), JS_NULL});
}

JSValue parse_failure_result(JSContext* ctx, VuApi& vu, const ParseFailure& failure) {
    if (vu.settings().throw_errors) {
        throw js::Error(failure.message);
    }
    log::write(log::Level::kWarn, "Request Failed", {{"error", failure.message}});
    return failed_response_object(ctx, failure);
}

JSValue exchange_result(JSContext* ctx, VuApi& vu, const ParsedRequest& req, const Exchange& ex) {
    if (vu.interrupted()) {
        return js::throw_uncatchable(ctx, "interrupted");
    }
    if (ex.unsupported_101) {
        throw js::Error("unsupported response status: " + ex.response.status_text);
    }
    if (ex.response.error) {
        if (req.throw_errors) {
            throw js::Error(ex.error_detail);
        }
        log::write(log::Level::kWarn, "Request Failed", {{"error", ex.error_detail}});
    }
    return response_object(ctx, req, ex);
}

} // namespace volley::modules::http
