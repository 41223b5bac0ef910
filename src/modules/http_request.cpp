// k6/http's parseRequest: a script's (method, url, body, params) as a ParsedRequest.

#include "modules/http_request.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include <fmt/format.h>

#include "config/duration.hpp"
#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"
#include "net/content_encoding.hpp"
#include "net/frame.hpp"

namespace volley::modules::http {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Go's url.QueryEscape.
std::string query_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += fmt::format("%{:02X}", u);
        }
    }
    return out;
}

// Go's fmt "%v" of what Sobek exports for a form value.
std::string form_value(JSContext* ctx, JSValueConst v) {
    if (js::is_nullish(v)) {
        return "<nil>";
    }
    if (JS_IsNumber(v)) {
        double d = 0;
        JS_ToFloat64(ctx, &d, v);
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) {
            return std::to_string(static_cast<long long>(d));
        }
    }
    return js::to_string_lossy(ctx, v);
}

// Bytes of an ArrayBuffer or a typed array; nullopt for anything else.
std::optional<std::string> buffer_bytes(JSContext* ctx, JSValueConst v) {
    auto view = js::array_buffer_view(ctx, v);
    if (!view) {
        view = js::typed_array_view(ctx, v);
    }
    return view ? std::optional<std::string>(*view) : std::nullopt;
}

std::string escape_quotes(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '"') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

// mime/multipart's randomBoundary: 30 random bytes in hex.
std::string random_boundary() {
    std::string out;
    for (int i = 0; i < 4; ++i) {
        out += fmt::format("{:016x}", net::random_u64());
    }
    return out.substr(0, 60);
}

std::string encode_form(JSContext* ctx, const std::vector<std::pair<std::string, js::Value>>& kv) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& [k, v] : kv) {
        if (JS_IsArray(ctx, v.get())) {
            js::Value len(ctx, JS_GetPropertyStr(ctx, v.get(), "length"));
            std::uint32_t n = 0;
            JS_ToUint32(ctx, &n, len.get());
            for (std::uint32_t i = 0; i < n; ++i) {
                js::Value el(ctx, JS_GetPropertyUint32(ctx, v.get(), i));
                pairs.emplace_back(k, form_value(ctx, el.get()));
            }
        } else {
            pairs.emplace_back(k, form_value(ctx, v.get()));
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [k, v] : pairs) {
        out += out.empty() ? "" : "&";
        out += query_escape(k) + "=" + query_escape(v);
    }
    return out;
}

std::string encode_multipart(JSContext* ctx,
                             const std::vector<std::pair<std::string, js::Value>>& kv,
                             const std::string& boundary) {
    std::string out;
    for (const auto& [k, v] : kv) {
        out += out.empty() ? "--" : "\r\n--";
        out += boundary + "\r\n";
        if (const FileData* f = file_of(v.get())) {
            out += "Content-Disposition: form-data; name=\"" + k + "\"; filename=\"" +
                   escape_quotes(f->filename) + "\"\r\n";
            out += "Content-Type: " + f->content_type + "\r\n\r\n";
            out += f->data;
        } else {
            out += "Content-Disposition: form-data; name=\"" + escape_quotes(k) + "\"\r\n\r\n";
            out += form_value(ctx, v.get());
        }
    }
    out += (out.empty() ? "--" : "\r\n--") + boundary + "--\r\n";
    return out;
}

// An object body: form-urlencoded, or multipart when a value is http.file data.
void object_body(JSContext* ctx, JSValueConst obj, ParsedRequest& r) {
    std::vector<std::string> keys;
    if (!js::own_keys(ctx, obj, keys)) {
        throw js::PendingException{};
    }
    std::vector<std::pair<std::string, js::Value>> kv;
    bool has_file = false;
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, obj, k.c_str()));
        has_file = has_file || file_of(v.get()) != nullptr;
        kv.emplace_back(k, std::move(v));
    }
    if (!has_file) {
        r.wire.body = encode_form(ctx, kv);
        net::set_header(r.wire.headers, "Content-Type", "application/x-www-form-urlencoded");
        return;
    }
    std::string boundary = random_boundary();
    r.wire.body = encode_multipart(ctx, kv, boundary);
    net::set_header(r.wire.headers, "Content-Type", "multipart/form-data; boundary=" + boundary);
}

// k6's body switch: string, ArrayBuffer (or bytes), plain object; anything else is an error.
std::optional<ParseFailure> parse_body(JSContext* ctx, JSValueConst body, ParsedRequest& r) {
    if (js::is_nullish(body)) {
        return std::nullopt;
    }
    if (JS_IsString(body)) {
        r.wire.body = js::to_string_lossy(ctx, body);
        return std::nullopt;
    }
    if (auto bytes = buffer_bytes(ctx, body)) {
        r.wire.body = std::move(*bytes);
        return std::nullopt;
    }
    std::string ctor = js::constructor_name(ctx, body);
    if (JS_IsObject(body) && !JS_IsArray(ctx, body) && !JS_IsFunction(ctx, body) &&
        (ctor == "Object" || file_of(body) != nullptr)) {
        object_body(ctx, body, r);
        return std::nullopt;
    }
    std::string go_type = JS_IsBool(body)         ? "bool"
                          : JS_IsNumber(body)     ? "int64"
                          : JS_IsArray(ctx, body) ? "[]interface {}"
                                                  : "map[string]interface {}";
    return ParseFailure{"unknown request body type " + go_type, 0};
}

void parse_headers(JSContext* ctx, JSValueConst obj, ParsedRequest& r) {
    std::vector<std::string> keys;
    if (!js::own_keys(ctx, obj, keys)) {
        throw js::PendingException{};
    }
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, obj, k.c_str()));
        std::string value = js::to_string_lossy(ctx, v.get());
        if (lower(k) == "host") {
            r.wire.host = value;
        }
        net::set_header(r.wire.headers, k, std::move(value));
    }
}

void parse_cookies(JSContext* ctx, JSValueConst obj, ParsedRequest& r) {
    std::vector<std::string> keys;
    if (!js::own_keys(ctx, obj, keys)) {
        throw js::PendingException{};
    }
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, obj, k.c_str()));
        if (js::is_nullish(v.get())) {
            continue;
        }
        RequestCookie c{k, {}, false};
        if (JS_IsObject(v.get()) && js::constructor_name(ctx, v.get()) == "Object") {
            std::vector<std::string> attrs;
            js::own_keys(ctx, v.get(), attrs);
            for (const auto& a : attrs) {
                js::Value av(ctx, JS_GetPropertyStr(ctx, v.get(), a.c_str()));
                if (lower(a) == "replace") {
                    c.replace = JS_ToBool(ctx, av.get()) > 0;
                } else if (lower(a) == "value") {
                    c.value = js::to_string_lossy(ctx, av.get());
                }
            }
        } else {
            c.value = js::to_string_lossy(ctx, v.get());
        }
        std::erase_if(r.cookies, [&](const RequestCookie& x) { return x.name == k; });
        r.cookies.push_back(std::move(c));
    }
}

std::optional<ParseFailure> parse_timeout(JSContext* ctx, JSValueConst v, ParsedRequest& r) {
    std::optional<config::Duration> d;
    if (JS_IsNumber(v)) {
        double ms = 0;
        JS_ToFloat64(ctx, &ms, v);
        d = std::chrono::duration_cast<config::Duration>(
            std::chrono::duration<double, std::milli>(ms));
    } else {
        std::string text = js::to_string_lossy(ctx, v);
        auto parsed = config::parse_duration(text);
        if (!parsed) {
            return ParseFailure{"invalid timeout value: time: invalid duration \"" + text + "\"",
                                0};
        }
        d = *parsed;
    }
    r.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
    return std::nullopt;
}

std::optional<ParseFailure> parse_compression(JSContext* ctx, JSValueConst v, ParsedRequest& r) {
    std::string all = js::to_string_lossy(ctx, v);
    auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t\r\n"));
        s.erase(s.find_last_not_of(" \t\r\n") + 1);
        return s;
    };
    all = trim(all);
    if (all.empty()) {
        return std::nullopt;
    }
    std::stringstream in(all);
    std::string algo;
    while (std::getline(in, algo, ',')) {
        algo = trim(algo);
        if (!net::is_compression_name(algo)) {
            return ParseFailure{"unknown compression algorithm " + algo +
                                    ", supported algorithms are [gzip deflate zstd br]",
                                0};
        }
        r.compressions.push_back(algo);
    }
    return std::nullopt;
}

std::optional<ParseFailure> parse_param(JSContext* ctx, VuApi& vu, const std::string& key,
                                        JSValueConst v, ParsedRequest& r) {
    if (key == "cookies" && !js::is_nullish(v) && JS_IsObject(v)) {
        parse_cookies(ctx, v, r);
    } else if (key == "headers" && !js::is_nullish(v) && JS_IsObject(v)) {
        parse_headers(ctx, v, r);
    } else if (key == "jar" && !js::is_nullish(v)) {
        if (auto jar = cookie_jar_owner(v)) {
            r.jar = jar.get();
            r.jar_owner = std::move(jar);
        }
    } else if (key == "compression") {
        return parse_compression(ctx, v, r);
    } else if (key == "redirects") {
        std::int64_t n = 0;
        JS_ToInt64(ctx, &n, v);
        r.redirects = n;
        r.redirects_set = true;
    } else if (key == "tags") {
        try {
            apply_user_tags(ctx, v, r.tags, "invalid HTTP request metric tags: ");
        } catch (const js::Error& e) {
            return ParseFailure{e.what(), 0};
        }
    } else if (key == "timeout") {
        return parse_timeout(ctx, v, r);
    } else if (key == "throw") {
        r.throw_errors = JS_ToBool(ctx, v) > 0;
    } else if (key == "responseType") {
        std::string t = js::to_string_lossy(ctx, v);
        if (t != "text" && t != "binary" && t != "none") {
            return ParseFailure{t + " does not belong to ResponseType values", 0};
        }
        r.response_type = t == "text"     ? ResponseType::kText
                          : t == "binary" ? ResponseType::kBinary
                                          : ResponseType::kNone;
    } else if (key == "responseCallback") {
        if (js::is_nullish(v)) {
            r.expected = nullptr;
        } else if (auto e = expected_statuses_of(v)) {
            r.expected_owner = e;
            r.expected = e.get();
        } else {
            return ParseFailure{"unsupported responseCallback", 0};
        }
    }
    (void)vu;
    return std::nullopt;
}

// The URL argument: a string or an http.url value.
std::optional<ParseFailure> parse_url(JSContext* ctx, JSValueConst url, ParsedRequest& r) {
    if (const TemplateUrl* t = url_of(url)) {
        r.url = t->url;
        r.name = t->name;
    } else if (JS_IsString(url)) {
        r.url = js::to_string_lossy(ctx, url);
    } else {
        return ParseFailure{"invalid URL: '#" + js::to_string_lossy(ctx, url) + "'", 1020};
    }
    auto parsed = net::parse_go_url(r.url);
    if (!parsed) {
        return ParseFailure{"invalid URL: " + parsed.error(), 1020};
    }
    r.wire.url = std::move(*parsed);
    r.wire.host = r.wire.url.host;
    return std::nullopt;
}

} // namespace

std::string clean_url(const std::string& url) {
    auto u = net::parse_go_url(url);
    if (!u || !u->has_user) {
        return url;
    }
    std::string prefix = u->scheme + "://";
    if (url.compare(0, prefix.size(), prefix) != 0) {
        return url;
    }
    auto colon = u->user.find(':');
    std::string masked = colon == std::string::npos ? "****" : "****:****";
    return prefix + masked + url.substr(prefix.size() + u->user.size());
}

std::variant<ParsedRequest, ParseFailure> parse_request(JSContext* ctx, VuApi& vu,
                                                        std::string method, JSValueConst url,
                                                        JSValueConst body, JSValueConst params) {
    const ModuleSettings& s = vu.settings();
    ParsedRequest r;
    r.wire.method = std::move(method);
    r.timeout = std::chrono::milliseconds(60'000);
    r.throw_errors = s.throw_errors;
    r.redirects = s.max_redirects;
    r.redirects_set = s.max_redirects_set;
    r.response_type = s.discard_response_bodies ? ResponseType::kNone : ResponseType::kText;
    r.expected_owner = default_response_callback(vu);
    r.expected = r.expected_owner.get();
    if (auto f = parse_url(ctx, url, r)) {
        return *f;
    }
    if (auto f = parse_body(ctx, body, r)) {
        return *f;
    }
    r.wire.user_agent = s.user_agent;
    r.jar = &vu.cookie_jar();
    if (!js::is_nullish(params) && JS_IsObject(params)) {
        std::vector<std::string> keys;
        if (!js::own_keys(ctx, params, keys)) {
            throw js::PendingException{};
        }
        for (const auto& k : keys) {
            js::Value v(ctx, JS_GetPropertyStr(ctx, params, k.c_str()));
            if (auto f = parse_param(ctx, vu, k, v.get(), r)) {
                return *f;
            }
        }
    }
    auto ua = std::find_if(r.wire.headers.begin(), r.wire.headers.end(),
                           [](const auto& h) { return h.first == "User-Agent"; });
    if (ua != r.wire.headers.end()) {
        r.wire.user_agent = ua->second; // Go sends the script's User-Agent, even an empty one
    }
    return r;
}

} // namespace volley::modules::http
