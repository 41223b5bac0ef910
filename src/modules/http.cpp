// Module "k6/http" (k6-behaviour.md §6): the request functions, batch, url, file, cookie jars,
// the response callback, and k6's constants.

#include "modules/http.hpp"

#include <chrono>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/http_async.hpp"
#include "modules/http_batch.hpp"
#include "modules/http_exchange.hpp"
#include "modules/http_request.hpp"
#include "modules/http_response.hpp"
#include "modules/http_state.hpp"
#include "modules/http_types.hpp"
#include "modules/vu_api.hpp"
#include "util/time.hpp"

namespace volley::modules {
namespace {

using namespace http; // NOLINT(google-build-using-namespace): this file is the module's face

const char* const kFunctions[] = {"get",
                                  "head",
                                  "post",
                                  "put",
                                  "patch",
                                  "del",
                                  "options",
                                  "request",
                                  "asyncRequest",
                                  "batch",
                                  "url",
                                  "file",
                                  "cookieJar",
                                  "CookieJar",
                                  "setResponseCallback",
                                  "expectedStatuses"};

const std::pair<const char*, const char*> kConstants[] = {
    {"TLS_1_0", "tls1.0"},
    {"TLS_1_1", "tls1.1"},
    {"TLS_1_2", "tls1.2"},
    {"TLS_1_3", "tls1.3"},
    {"OCSP_STATUS_GOOD", "good"},
    {"OCSP_STATUS_REVOKED", "revoked"},
    {"OCSP_STATUS_SERVER_FAILED", "server_failed"},
    {"OCSP_STATUS_UNKNOWN", "unknown"},
    {"OCSP_REASON_UNSPECIFIED", "unspecified"},
    {"OCSP_REASON_KEY_COMPROMISE", "key_compromise"},
    {"OCSP_REASON_CA_COMPROMISE", "ca_compromise"},
    {"OCSP_REASON_AFFILIATION_CHANGED", "affiliation_changed"},
    {"OCSP_REASON_SUPERSEDED", "superseded"},
    {"OCSP_REASON_CESSATION_OF_OPERATION", "cessation_of_operation"},
    {"OCSP_REASON_CERTIFICATE_HOLD", "certificate_hold"},
    {"OCSP_REASON_REMOVE_FROM_CRL", "remove_from_crl"},
    {"OCSP_REASON_PRIVILEGE_WITHDRAWN", "privilege_withdrawn"},
    {"OCSP_REASON_AA_COMPROMISE", "aa_compromise"},
};

VuApi& running_vu(JSContext* ctx) {
    VuApi& vu = VuApi::of(ctx);
    if (vu.in_init_context()) {
        throw js::Error("Making http requests in the init context is not supported");
    }
    return vu;
}

// One request, start to end, as k6's Client.Request.
JSValue request(JSContext* ctx, std::string method, JSValueConst url, JSValueConst body,
                JSValueConst params) {
    VuApi& vu = running_vu(ctx);
    if (vu.interrupted()) {
        return js::throw_uncatchable(ctx, "interrupted");
    }
    auto parsed = parse_request(ctx, vu, std::move(method), url, body, params);
    if (auto* failure = std::get_if<ParseFailure>(&parsed)) {
        return parse_failure_result(ctx, vu, *failure);
    }
    ParsedRequest& req = std::get<ParsedRequest>(parsed);
    Exchange ex = run_exchange(vu, req, vu.yield());
    return exchange_result(ctx, vu, req, ex);
}

std::string method_arg(JSContext* ctx, JSValueConst v) {
    return js::to_string_lossy(ctx, v);
}

// get(url, params) and head(url, params): no body argument.
template <const char* Method>
JSValue js_no_body(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return request(ctx, Method, js::arg(argc, argv, 0), JS_UNDEFINED, js::arg(argc, argv, 1));
}

// post/put/patch/del/options(url, body, params).
template <const char* Method>
JSValue js_with_body(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return request(ctx, Method, js::arg(argc, argv, 0), js::arg(argc, argv, 1),
                   js::arg(argc, argv, 2));
}

constexpr char kGet[] = "GET";
constexpr char kHead[] = "HEAD";
constexpr char kPost[] = "POST";
constexpr char kPut[] = "PUT";
constexpr char kPatch[] = "PATCH";
constexpr char kDelete[] = "DELETE";
constexpr char kOptions[] = "OPTIONS";

JSValue js_request(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return request(ctx, method_arg(ctx, js::arg(argc, argv, 0)), js::arg(argc, argv, 1),
                   js::arg(argc, argv, 2), js::arg(argc, argv, 3));
}

// asyncRequest(method, url, body, params): modules/http_async.hpp.
JSValue js_async_request(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return async_request(ctx, VuApi::of(ctx), method_arg(ctx, js::arg(argc, argv, 0)),
                         js::arg(argc, argv, 1), js::arg(argc, argv, 2), js::arg(argc, argv, 3));
}

JSValue js_batch(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    if (vu.in_init_context()) {
        throw js::Error("Using batch in the init context is not supported");
    }
    if (argc == 0) {
        throw js::Error("no argument was provided to http.batch()");
    }
    if (argc > 1) {
        throw js::Error("http.batch() accepts only an array or an object of requests");
    }
    return run_batch(ctx, vu, argv[0]);
}

// http.url`...`: the URL, and the template with `${}` in place of each value (the name tag).
JSValue js_url(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    JSValueConst parts = js::arg(argc, argv, 0);
    js::Value len_v(ctx, JS_GetPropertyStr(ctx, parts, "length"));
    std::uint32_t n = 0;
    JS_ToUint32(ctx, &n, len_v.get());
    TemplateUrl u;
    for (std::uint32_t i = 0; i < n; ++i) {
        js::Value part(ctx, JS_GetPropertyUint32(ctx, parts, i));
        std::string text = js::to_string_lossy(ctx, part.get());
        u.name += text;
        u.url += text;
        if (static_cast<int>(i) + 1 < argc) {
            u.name += "${}";
            u.url += js::to_string_lossy(ctx, argv[i + 1]);
        }
    }
    auto parsed = net::parse_go_url(u.url);
    if (!parsed) {
        throw js::Error("invalid URL: " + parsed.error());
    }
    std::string clean = clean_url(u.url);
    if (u.url == u.name) {
        u.name = clean;
    }
    return new_url_object(ctx, std::move(u), clean);
}

JSValue js_file(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    JSValueConst data = js::arg(argc, argv, 0);
    FileData f;
    f.filename = std::to_string(now_unix_ns());
    f.content_type = "application/octet-stream";
    if (argc > 1) {
        f.filename = js::to_string_lossy(ctx, argv[1]);
    }
    if (argc > 2) {
        f.content_type = js::to_string_lossy(ctx, argv[2]);
    }
    std::size_t size = 0;
    if (JS_IsString(data)) {
        f.data = js::to_string_lossy(ctx, data);
    } else if (std::uint8_t* p =
                   JS_IsObject(data) ? JS_GetArrayBuffer(ctx, &size, data) : nullptr) {
        f.data.assign(reinterpret_cast<const char*>(p), size);
    } else {
        JS_FreeValue(ctx, JS_GetException(ctx));
        throw js::Error("invalid type " + js::constructor_name(ctx, data) +
                        ", expected string or ArrayBuffer");
    }
    return new_file_object(ctx, std::move(f), data);
}

JSValue js_cookie_jar(JSContext* ctx, JSValueConst, int, JSValueConst*) {
    VuApi& vu = VuApi::of(ctx);
    if (vu.in_init_context()) {
        throw js::Error("Making cookie jars in the init context is not supported");
    }
    return new_cookie_jar_object(ctx, &vu.cookie_jar(), false);
}

JSValue js_new_cookie_jar(JSContext* ctx, JSValueConst, int, JSValueConst*) {
    return new_cookie_jar_object(ctx, new net::CookieJar(), true);
}

JSValue js_set_response_callback(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    JSValueConst v = js::arg(argc, argv, 0);
    HttpState& state = VuApi::of(ctx).http_state();
    if (js::is_nullish(v)) {
        state.custom = true;
        state.response_callback = nullptr;
        return JS_UNDEFINED;
    }
    auto e = expected_statuses_of(v);
    if (!e) {
        throw js::Error("unsupported argument, expected http.expectedStatuses");
    }
    state.custom = true;
    state.response_callback = std::move(e);
    return JS_UNDEFINED;
}

bool is_integer(JSContext* ctx, JSValueConst v) {
    if (!JS_IsNumber(v)) {
        return false;
    }
    double d = 0;
    JS_ToFloat64(ctx, &d, v);
    return std::isfinite(d) && d == std::trunc(d);
}

JSValue js_expected_statuses(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    if (argc == 0) {
        throw js::Error("no arguments");
    }
    auto e = std::make_shared<ExpectedStatuses>();
    for (int i = 0; i < argc; ++i) {
        std::string n = std::to_string(i + 1);
        if (is_integer(ctx, argv[i])) {
            std::int32_t v = 0;
            JS_ToInt32(ctx, &v, argv[i]);
            e->exact.push_back(v);
            continue;
        }
        if (!JS_IsObject(argv[i])) {
            throw js::Error("argument number " + n +
                            " to expectedStatuses was neither an integer nor an object like "
                            "{min:100, max:329}");
        }
        js::Value min(ctx, JS_GetPropertyStr(ctx, argv[i], "min"));
        js::Value max(ctx, JS_GetPropertyStr(ctx, argv[i], "max"));
        if (!is_integer(ctx, min.get()) || !is_integer(ctx, max.get())) {
            throw js::Error("both min and max need to be integers for argument number " + n);
        }
        std::int32_t lo = 0;
        std::int32_t hi = 0;
        JS_ToInt32(ctx, &lo, min.get());
        JS_ToInt32(ctx, &hi, max.get());
        e->ranges.emplace_back(lo, hi);
    }
    return new_expected_statuses_object(ctx, std::move(e));
}

JSValue exports_object(JSContext* ctx) {
    JSValue def = JS_NewObject(ctx);
    for (const auto& [name, value] : kConstants) {
        JS_DefinePropertyValueStr(ctx, def, name, js::new_string(ctx, value), JS_PROP_ENUMERABLE);
    }
    js::set_function<&js_no_body<kGet>>(ctx, def, "get", 2);
    js::set_function<&js_no_body<kHead>>(ctx, def, "head", 2);
    js::set_function<&js_with_body<kPost>>(ctx, def, "post", 3);
    js::set_function<&js_with_body<kPut>>(ctx, def, "put", 3);
    js::set_function<&js_with_body<kPatch>>(ctx, def, "patch", 3);
    js::set_function<&js_with_body<kDelete>>(ctx, def, "del", 3);
    js::set_function<&js_with_body<kOptions>>(ctx, def, "options", 3);
    js::set_function<&js_request>(ctx, def, "request", 4);
    js::set_function<&js_async_request>(ctx, def, "asyncRequest", 4);
    js::set_function<&js_batch>(ctx, def, "batch", 1);
    js::set_function<&js_url>(ctx, def, "url", 1);
    js::set_function<&js_file>(ctx, def, "file", 3);
    js::set_function<&js_cookie_jar>(ctx, def, "cookieJar", 0);
    JS_SetPropertyStr(ctx, def, "CookieJar",
                      JS_NewCFunction2(ctx, &js::guarded<&js_new_cookie_jar>, "CookieJar", 0,
                                       JS_CFUNC_constructor_or_func, 0));
    js::set_function<&js_set_response_callback>(ctx, def, "setResponseCallback", 1);
    js::set_function<&js_expected_statuses>(ctx, def, "expectedStatuses", 1);
    return def;
}

int init(JSContext* ctx, JSModuleDef* m) {
    setup_http_protos(ctx);
    setup_response_proto(ctx);
    JSValue def = exports_object(ctx);
    for (const char* name : kFunctions) {
        JS_SetModuleExport(ctx, m, name, JS_GetPropertyStr(ctx, def, name));
    }
    for (const auto& [name, value] : kConstants) {
        JS_SetModuleExport(ctx, m, name, JS_GetPropertyStr(ctx, def, name));
    }
    return JS_SetModuleExport(ctx, m, "default", def);
}

} // namespace

void register_http_module_classes(JSRuntime* rt) {
    register_http_classes(rt);
    register_response_class(rt);
}

js::NativeModule http_module() {
    js::NativeModule m{"k6/http", {"default"}, &init};
    for (const char* name : kFunctions) {
        m.exports.emplace_back(name);
    }
    for (const auto& [name, value] : kConstants) {
        m.exports.emplace_back(name);
    }
    return m;
}

} // namespace volley::modules
