#include "modules/ws_handshake.hpp"

#include <optional>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"
#include "net/go_url.hpp"
#include "net/set_cookie.hpp"
#include "util/time.hpp"

namespace volley::modules::ws {
namespace {

// gorilla's Dialer.Jar: the URL as http(s) for the jar (it rewrites ws to http, wss to https).
std::optional<net::JarUrl> jar_url(const std::string& url) {
    auto u = net::parse_go_url(url);
    if (!u || (u->scheme != "ws" && u->scheme != "wss")) {
        return std::nullopt;
    }
    return net::JarUrl{u->scheme == "wss", u->host, u->path};
}

} // namespace

std::string trim_space(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n\v\f");
    auto e = s.find_last_not_of(" \t\r\n\v\f");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

void parse_headers(JSContext* ctx, JSValueConst obj, net::Headers& out) {
    std::vector<std::string> keys;
    if (!JS_IsObject(obj)) {
        return;
    }
    if (!js::own_keys(ctx, obj, keys)) {
        throw js::PendingException{};
    }
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, obj, k.c_str()));
        auto s = js::to_string(ctx, v.get());
        if (!s) {
            throw js::PendingException{};
        }
        out.emplace_back(k, *s);
    }
}

void add_jar_cookies(net::CookieJar& jar, const std::string& url, net::Headers& headers) {
    if (jar.empty()) {
        return; // the usual case: no URL parsing per session
    }
    auto u = jar_url(url);
    if (!u) {
        return;
    }
    auto cookies = jar.cookies(*u, now_unix_ns());
    if (cookies.empty()) {
        return;
    }
    std::string header = net::cookie_header(cookies);
    for (auto& [name, value] : headers) {
        if (net::canonical_header_key(name) == "Cookie") {
            value += "; " + header;
            return;
        }
    }
    headers.emplace_back("Cookie", std::move(header));
}

void store_jar_cookies(net::CookieJar& jar, const std::string& url,
                       const std::vector<std::string>& lines) {
    auto u = jar_url(url);
    if (!u || lines.empty()) {
        return;
    }
    std::vector<net::SetCookie> cookies;
    for (const auto& line : lines) {
        if (auto c = net::parse_set_cookie(line)) {
            cookies.push_back(std::move(*c));
        }
    }
    jar.set_cookies(*u, cookies, now_unix_ns());
}

void emit_connect_phases(VuApi& vu, const net::HandshakeResult& hs, metrics::TagSetId tags,
                         std::int64_t at_ns) {
    const InsightMetrics* m = vu.settings().insight;
    if (m == nullptr) {
        return;
    }
    vu.emit(m->ws_dns_lookup, tags, hs.dns_ms, at_ns);
    vu.emit(m->ws_tcp_connecting, tags, hs.tcp_ms, at_ns);
    if (hs.tls_ms > 0) {
        vu.emit(m->ws_tls_handshaking, tags, hs.tls_ms, at_ns);
    }
    vu.emit(m->ws_upgrading, tags, hs.upgrade_ms, at_ns);
}

metrics::TagSetId note_ws_error(VuApi& vu, int code, metrics::TagSetId tags) {
    const InsightMetrics* m = vu.settings().insight;
    // A session cut by the end of the test fails as a timeout: not the server's failure (and
    // the VU's samples are dropped from then on anyway, as k6 drops them).
    if (m == nullptr || code == 0 || vu.interrupted()) {
        return tags;
    }
    metrics::TagMap map = vu.interner().get(tags);
    bool first = map.count("error_code") == 0;
    map["error_code"] = std::to_string(code);
    metrics::TagSetId with_code = vu.interner().intern(map);
    vu.emit(m->ws_errors, with_code, 1, now_unix_ns());
    return first && vu.settings().system_tags.count("error_code") != 0 ? with_code : tags;
}

void add_error_code(VuApi& vu, JSValueConst error, int code, bool with_code) {
    if (vu.settings().insight == nullptr || code == 0 || !JS_IsObject(error)) {
        return;
    }
    JSContext* ctx = vu.context();
    JS_DefinePropertyValueStr(ctx, error, "error_code", JS_NewInt32(ctx, code), JS_PROP_C_W_E);
    if (with_code) {
        JS_DefinePropertyValueStr(ctx, error, "code", JS_NewInt32(ctx, code), JS_PROP_C_W_E);
    }
}

std::optional<std::size_t> ping_id(std::string_view payload) {
    if (payload.empty() || payload.size() > 19 || (payload[0] == '0' && payload.size() > 1)) {
        return std::nullopt;
    }
    std::size_t id = 0;
    for (char c : payload) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        id = id * 10 + static_cast<std::size_t>(c - '0');
    }
    return id;
}

void add_handshake_tags(const net::HandshakeResult& hs, const std::set<std::string>& system_tags,
                        metrics::TagMap& tags) {
    if (hs.status != 0 && system_tags.count("status") != 0) {
        tags["status"] = std::to_string(hs.status);
    }
    if (hs.status != 0 && system_tags.count("subproto") != 0) {
        tags["subproto"] = hs.subprotocol;
    }
    if (hs.ok && system_tags.count("ip") != 0) {
        tags["ip"] = hs.remote_ip;
    }
}

} // namespace volley::modules::ws
