// The JS classes of k6/http: CookieJar, the expectedStatuses object, http.file data and
// http.url values. Each keeps its C++ data in the object's opaque pointer.

#include <memory>
#include <mutex>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/http_state.hpp"
#include "modules/http_types.hpp"
#include "modules/vu_api.hpp"
#include "util/time.hpp"

namespace volley::modules::http {

bool ExpectedStatuses::match(int status) const {
    for (int e : exact) {
        if (e == status) {
            return true;
        }
    }
    for (auto [lo, hi] : ranges) {
        if (lo <= status && status <= hi) {
            return true;
        }
    }
    return false;
}

std::shared_ptr<const ExpectedStatuses> default_response_callback(VuApi& vu) {
    static const auto kDefault =
        std::make_shared<const ExpectedStatuses>(ExpectedStatuses{{}, {{200, 399}}});
    const HttpState& s = vu.http_state();
    return s.custom ? s.response_callback : kDefault;
}

void push_to_list(JSContext* ctx, JSValueConst obj, const std::string& name, JSValue item) {
    js::Value list(ctx, JS_GetPropertyStr(ctx, obj, name.c_str()));
    if (!JS_IsArray(ctx, list.get())) {
        list = js::Value(ctx, JS_NewArray(ctx));
        JS_SetPropertyStr(ctx, obj, name.c_str(), JS_DupValue(ctx, list.get()));
    }
    js::Value len(ctx, JS_GetPropertyStr(ctx, list.get(), "length"));
    std::uint32_t n = 0;
    JS_ToUint32(ctx, &n, len.get());
    JS_SetPropertyUint32(ctx, list.get(), n, item);
}

namespace {

JSClassID g_jar_class = 0;
JSClassID g_expected_class = 0;
JSClassID g_file_class = 0;
JSClassID g_url_class = 0;

// A CookieJar object's jar: shared, so that a request in flight (asyncRequest) keeps the jar
// of its params.jar even when the script drops the object; the VU's own jar is not owned.
struct JarHolder {
    std::shared_ptr<net::CookieJar> jar;
};

void jar_finalizer(JSRuntime*, JSValue v) {
    delete static_cast<JarHolder*>(JS_GetOpaque(v, g_jar_class));
}

void expected_finalizer(JSRuntime*, JSValue v) {
    delete static_cast<std::shared_ptr<ExpectedStatuses>*>(JS_GetOpaque(v, g_expected_class));
}

void file_finalizer(JSRuntime*, JSValue v) {
    delete static_cast<FileData*>(JS_GetOpaque(v, g_file_class));
}

void url_finalizer(JSRuntime*, JSValue v) {
    delete static_cast<TemplateUrl*>(JS_GetOpaque(v, g_url_class));
}

net::CookieJar& jar_this(JSContext* ctx, JSValueConst this_val) {
    net::CookieJar* jar = cookie_jar_of(this_val);
    if (jar == nullptr) {
        throw js::Error("not a CookieJar", js::ErrorKind::kTypeError);
    }
    (void)ctx;
    return *jar;
}

// Go's url.Parse for a jar method; errors as Go's.
net::JarUrl jar_url(JSContext* ctx, JSValueConst v) {
    std::string raw = js::to_string_lossy(ctx, v);
    auto u = net::parse_go_url(raw);
    if (!u) {
        throw js::Error(u.error());
    }
    return net::JarUrl{u->scheme == "https", u->host, u->path};
}

bool http_scheme(JSContext* ctx, JSValueConst v) {
    auto u = net::parse_go_url(js::to_string_lossy(ctx, v));
    return u && (u->scheme == "http" || u->scheme == "https");
}

JSValue js_cookies_for_url(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    net::CookieJar& jar = jar_this(ctx, this_val);
    JSValueConst url = js::arg(argc, argv, 0);
    net::JarUrl u = jar_url(ctx, url);
    JSValue out = JS_NewObject(ctx);
    if (!http_scheme(ctx, url)) {
        return out;
    }
    for (const auto& [name, value] : jar.cookies(u, now_unix_ns())) {
        push_to_list(ctx, out, name, js::new_string(ctx, value));
    }
    return out;
}

// jar.set(url, name, value, {domain, path, expires, max_age, secure, http_only}).
void apply_cookie_option(JSContext* ctx, const std::string& key, JSValueConst v,
                         net::SetCookie& c) {
    if (key == "path") {
        c.path = js::to_string_lossy(ctx, v);
    } else if (key == "domain") {
        c.domain = js::to_string_lossy(ctx, v);
    } else if (key == "expires") {
        std::string text = js::to_string_lossy(ctx, v);
        if (!text.empty()) {
            auto t = net::parse_rfc1123_time(text);
            if (!t) {
                throw js::Error("unable to parse \"expires\" date string \"" + text +
                                "\": parsing time \"" + text +
                                "\" as \"Mon, 02 Jan 2006 15:04:05 MST\": cannot parse");
            }
            c.expires_unix_s = *t;
        }
    } else if (key == "max_age") {
        std::int64_t age = 0;
        JS_ToInt64(ctx, &age, v);
        c.max_age = age;
    } else if (key == "secure") {
        c.secure = JS_ToBool(ctx, v) > 0;
    } else if (key == "http_only") {
        c.http_only = JS_ToBool(ctx, v) > 0;
    }
}

JSValue js_jar_set(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    net::CookieJar& jar = jar_this(ctx, this_val);
    net::JarUrl u = jar_url(ctx, js::arg(argc, argv, 0));
    net::SetCookie c;
    c.name = js::to_string_lossy(ctx, js::arg(argc, argv, 1));
    c.value = js::to_string_lossy(ctx, js::arg(argc, argv, 2));
    JSValueConst opts = js::arg(argc, argv, 3);
    if (!js::is_nullish(opts) && JS_IsObject(opts)) {
        std::vector<std::string> keys;
        if (!js::own_keys(ctx, opts, keys)) {
            throw js::PendingException{};
        }
        for (const auto& k : keys) {
            js::Value v(ctx, JS_GetPropertyStr(ctx, opts, k.c_str()));
            std::string lower = k;
            for (char& ch : lower) {
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            }
            apply_cookie_option(ctx, lower, v.get(), c);
        }
    }
    if (http_scheme(ctx, js::arg(argc, argv, 0))) {
        jar.set_cookies(u, {c}, now_unix_ns());
    }
    return JS_TRUE;
}

JSValue js_jar_clear(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    net::CookieJar& jar = jar_this(ctx, this_val);
    net::JarUrl u = jar_url(ctx, js::arg(argc, argv, 0));
    if (http_scheme(ctx, js::arg(argc, argv, 0))) {
        jar.clear_url(u, now_unix_ns());
    }
    return JS_UNDEFINED;
}

JSValue js_jar_delete(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    net::CookieJar& jar = jar_this(ctx, this_val);
    std::string name = js::to_string_lossy(ctx, js::arg(argc, argv, 1));
    if (name.empty()) {
        throw js::Error("cookie: is null");
    }
    net::JarUrl u = jar_url(ctx, js::arg(argc, argv, 0));
    if (http_scheme(ctx, js::arg(argc, argv, 0))) {
        jar.remove(u, name);
    }
    return JS_UNDEFINED;
}

void new_class(JSRuntime* rt, JSClassID& id, const char* name, JSClassFinalizer* fin) {
    JSClassDef def{};
    def.class_name = name;
    def.finalizer = fin;
    JS_NewClass(rt, id, &def);
}

} // namespace

void register_http_classes(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] {
        JS_NewClassID(&g_jar_class);
        JS_NewClassID(&g_expected_class);
        JS_NewClassID(&g_file_class);
        JS_NewClassID(&g_url_class);
    });
    new_class(rt, g_jar_class, "CookieJar", &jar_finalizer);
    new_class(rt, g_expected_class, "expectedStatuses", &expected_finalizer);
    new_class(rt, g_file_class, "FileData", &file_finalizer);
    new_class(rt, g_url_class, "URL", &url_finalizer);
}

void setup_http_protos(JSContext* ctx) {
    JSValue jar = JS_NewObject(ctx);
    js::set_function<&js_cookies_for_url>(ctx, jar, "cookiesForURL", 1);
    js::set_function<&js_jar_set>(ctx, jar, "set", 4);
    js::set_function<&js_jar_clear>(ctx, jar, "clear", 1);
    js::set_function<&js_jar_delete>(ctx, jar, "delete", 2);
    JS_SetClassProto(ctx, g_jar_class, jar);
}

JSValue new_cookie_jar_object(JSContext* ctx, net::CookieJar* jar, bool owned) {
    std::shared_ptr<net::CookieJar> shared =
        owned ? std::shared_ptr<net::CookieJar>(jar)
              : std::shared_ptr<net::CookieJar>(jar, [](net::CookieJar*) {});
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_jar_class));
    if (JS_IsException(obj)) {
        return obj;
    }
    JS_SetOpaque(obj, new JarHolder{std::move(shared)});
    return obj;
}

net::CookieJar* cookie_jar_of(JSValueConst v) {
    auto* h = static_cast<JarHolder*>(JS_GetOpaque(v, g_jar_class));
    return h != nullptr ? h->jar.get() : nullptr;
}

std::shared_ptr<net::CookieJar> cookie_jar_owner(JSValueConst v) {
    auto* h = static_cast<JarHolder*>(JS_GetOpaque(v, g_jar_class));
    return h != nullptr ? h->jar : nullptr;
}

JSValue new_expected_statuses_object(JSContext* ctx, std::shared_ptr<ExpectedStatuses> e) {
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_expected_class));
    if (!JS_IsException(obj)) {
        JS_SetOpaque(obj, new std::shared_ptr<ExpectedStatuses>(std::move(e)));
    }
    return obj;
}

std::shared_ptr<const ExpectedStatuses> expected_statuses_of(JSValueConst v) {
    auto* p = static_cast<std::shared_ptr<ExpectedStatuses>*>(JS_GetOpaque(v, g_expected_class));
    return p != nullptr ? *p : nullptr;
}

JSValue new_file_object(JSContext* ctx, FileData file, JSValueConst data) {
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_file_class));
    if (JS_IsException(obj)) {
        return obj;
    }
    JS_DefinePropertyValueStr(ctx, obj, "data", JS_DupValue(ctx, data), JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(ctx, obj, "filename", js::new_string(ctx, file.filename),
                              JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(ctx, obj, "content_type", js::new_string(ctx, file.content_type),
                              JS_PROP_C_W_E);
    JS_SetOpaque(obj, new FileData(std::move(file)));
    return obj;
}

const FileData* file_of(JSValueConst v) {
    return static_cast<FileData*>(JS_GetOpaque(v, g_file_class));
}

JSValue new_url_object(JSContext* ctx, TemplateUrl u, const std::string& clean) {
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_url_class));
    if (JS_IsException(obj)) {
        return obj;
    }
    JS_DefinePropertyValueStr(ctx, obj, "name", js::new_string(ctx, u.name), JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(ctx, obj, "url", js::new_string(ctx, u.url), JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(ctx, obj, "clean_url", js::new_string(ctx, clean), JS_PROP_C_W_E);
    JS_SetOpaque(obj, new TemplateUrl(std::move(u)));
    return obj;
}

const TemplateUrl* url_of(JSValueConst v) {
    return static_cast<TemplateUrl*>(JS_GetOpaque(v, g_url_class));
}

} // namespace volley::modules::http
