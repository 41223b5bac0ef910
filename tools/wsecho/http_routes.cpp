#include "wsecho/http_routes.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <boost/beast/http/status.hpp>
#include <boost/json.hpp>

#include "wsecho/compress.hpp"
#include "wsecho/query.hpp"

namespace volley::wsecho {

namespace http = boost::beast::http;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

// One request as the routes see it: `rest` is the path after the route's name and its `/`
// ("3" for /http/redirect/3).
struct In {
    const HttpRequest& req;
    std::string_view path;
    std::string_view query;
    std::string_view rest;
    std::string_view origin;
    std::string_view peer;
};

HttpReply reply(unsigned status, std::string_view type, std::string body) {
    HttpReply r;
    r.status = status;
    if (!type.empty()) {
        r.headers.emplace_back("Content-Type", type);
    }
    r.body = std::move(body);
    return r;
}

HttpReply text(unsigned status, std::string body) {
    return reply(status, "text/plain; charset=utf-8", std::move(body));
}

HttpReply json_reply(unsigned status, std::string body) {
    return reply(status, "application/json", std::move(body));
}

HttpReply not_found(const In& /*in*/) {
    return text(404, "404 Not Found");
}

// Header names are tokens; values may not break the head (no CR, LF or NUL).
bool valid_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
    });
}

bool valid_value(std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

HttpReply echo(const In& in) {
    return json_reply(200, echo_document(in.req));
}

HttpReply status(const In& in) {
    int code = to_int(in.rest, 0);
    if (code < 200 || code > 599) {
        return text(400, "status must be 200..599");
    }
    auto n = static_cast<unsigned>(code);
    bool empty = n == 204 || n == 304;
    return text(n, empty ? "" : std::to_string(n) + " " + std::string(reason_phrase(n)));
}

HttpReply headers(const In& in) {
    HttpReply r = text(200, "ok");
    for (const auto& [k, v] : query_params(in.query)) {
        auto colon = v.find(':');
        if (k != "h" || colon == std::string::npos) {
            continue;
        }
        std::string name = v.substr(0, colon);
        auto start = v.find_first_not_of(' ', colon + 1);
        std::string value = start == std::string::npos ? std::string() : v.substr(start);
        if (valid_name(name) && valid_value(value)) {
            r.headers.emplace_back(std::move(name), std::move(value));
        }
    }
    return r;
}

HttpReply set_cookie(const In& in) {
    HttpReply r = text(200, "ok");
    for (const auto& [k, v] : query_params(in.query)) {
        if (k == "c" && valid_value(v)) {
            r.headers.emplace_back("Set-Cookie", v);
        }
    }
    return r;
}

HttpReply cookies(const In& in) {
    return json_reply(200, cookies_document(in.req));
}

// /http/redirect/N and /http/redirect-abs/N: N hops, then `to` or {"redirected": true}.
HttpReply redirect_with(const In& in, std::string_view route, std::string_view base) {
    int n = to_int(in.rest, -1);
    if (n < 0) {
        return text(400, "redirect count must be a number >= 0");
    }
    int code = to_int(query_param(in.query, "code"), 302);
    code = code >= 300 && code <= 399 ? code : 302;
    std::string to = query_param(in.query, "to");
    if (n == 0 && to.empty()) {
        return json_reply(200, R"({"redirected":true})");
    }
    std::string location;
    if (n > 0) {
        location = std::string(base) + "/http/" + std::string(route) + "/" + std::to_string(n - 1) +
                   (in.query.empty() ? "" : "?") + std::string(in.query);
    } else {
        location = to.starts_with("/") ? std::string(base) + to : to;
    }
    if (!valid_value(location)) {
        return text(400, "bad redirect target");
    }
    HttpReply r = text(static_cast<unsigned>(code), "redirecting");
    r.headers.emplace_back("Location", std::move(location));
    return r;
}

HttpReply redirect(const In& in) {
    return redirect_with(in, "redirect", "");
}

HttpReply redirect_abs(const In& in) {
    return redirect_with(in, "redirect-abs", in.origin);
}

milliseconds bounded_ms(const In& in, int fallback) {
    int ms = to_int(query_param(in.query, "ms"), fallback);
    return std::clamp(milliseconds(ms), milliseconds(0), kMaxRouteWait);
}

HttpReply delay(const In& in) {
    HttpReply r = text(200, "delayed");
    r.delay = bounded_ms(in, 1000);
    return r;
}

HttpReply slow_body(const In& in) {
    HttpReply r = text(200, "slow body");
    r.body_delay = bounded_ms(in, 1000);
    return r;
}

HttpReply compressed(const In& in, std::string_view kind) {
    std::string doc = R"({"compressed":")" + std::string(kind) + R"(","ok":true})";
    std::string body;
    if (!query_param(in.query, "bad").empty()) {
        body = "this is not compressed at all";
    } else {
        body = kind == "gzip" ? gzip_compress(doc) : zlib_compress(doc);
    }
    HttpReply r = json_reply(200, std::move(body));
    r.headers.emplace_back("Content-Encoding", kind);
    return r;
}

HttpReply gzip(const In& in) {
    return compressed(in, "gzip");
}

HttpReply deflate(const In& in) {
    return compressed(in, "deflate");
}

HttpReply peer(const In& in) {
    return reply(200, "text/plain", std::string(in.peer));
}

HttpReply json_doc(const In& in) {
    if (!query_param(in.query, "invalid").empty()) {
        return json_reply(200, R"({"a":)");
    }
    return json_reply(200, R"({"a":1,"b":{"c":[1,2,3]},"s":"x"})");
}

HttpReply bytes(const In& in) {
    int n = std::clamp(to_int(query_param(in.query, "n"), 256), 0, 1 << 24);
    std::string body(static_cast<std::size_t>(n), '\0');
    for (std::size_t i = 0; i < body.size(); ++i) {
        body[i] = static_cast<char>(i & 0xff);
    }
    return reply(200, "application/octet-stream", std::move(body));
}

HttpReply ending(HttpEnd end, std::string body) {
    HttpReply r = text(200, std::move(body));
    r.end = end;
    return r;
}

HttpReply drop(const In& /*in*/) {
    return ending(HttpEnd::kDrop, "0123456789");
}

HttpReply close(const In& /*in*/) {
    return ending(HttpEnd::kClose, "");
}

HttpReply reset(const In& /*in*/) {
    return ending(HttpEnd::kReset, "");
}

HttpReply basic_auth(const In& in) {
    auto slash = in.rest.find('/');
    std::string user = percent_decode(in.rest.substr(0, slash));
    std::string password =
        slash == std::string_view::npos ? std::string() : percent_decode(in.rest.substr(slash + 1));
    std::string_view got = in.req[http::field::authorization];
    bool ok = got.size() > 6 && (got.starts_with("Basic ") || got.starts_with("basic ")) &&
              got.substr(6) == base64(user + ":" + password);
    if (ok) {
        json::object doc{{"authenticated", true}, {"user", valid_utf8(user)}};
        return json_reply(200, json::serialize(doc));
    }
    HttpReply r = json_reply(401, R"({"authenticated":false})");
    r.headers.emplace_back("WWW-Authenticate", R"(Basic realm="volley")");
    return r;
}

// A user name that fits in a cookie value and a WebSocket text message unchanged.
bool valid_user(std::string_view s) {
    return !s.empty() && s.size() <= 256 && std::all_of(s.begin(), s.end(), [](char c) {
        auto b = static_cast<unsigned char>(c);
        return b > 0x20 && b < 0x7f && std::strchr("\";,\\", c) == nullptr;
    });
}

HttpReply login(const In& in) {
    if (in.req.method() != http::verb::post) {
        HttpReply r = json_reply(405, R"({"error":"use POST"})");
        r.headers.emplace_back("Allow", "POST");
        return r;
    }
    boost::system::error_code ec;
    json::value v = json::parse(in.req.body(), ec);
    const json::object* o = ec ? nullptr : v.if_object();
    const json::value* user = o != nullptr ? o->if_contains("user") : nullptr;
    const json::value* password = o != nullptr ? o->if_contains("password") : nullptr;
    if (user == nullptr || !user->is_string() || password == nullptr || !password->is_string() ||
        password->get_string() != "secret" || !valid_user(user->get_string())) {
        return json_reply(401, R"({"error":"bad credentials"})");
    }
    std::string name(user->get_string());
    HttpReply r = json_reply(200, R"({"token":"tok-)" + name + R"("})");
    r.headers.emplace_back("Set-Cookie", "session=sess-" + name + "; Path=/; HttpOnly");
    return r;
}

HttpReply chunked(const In& /*in*/) {
    HttpReply r = text(200, "");
    r.chunks = {"a", "bb", "ccc"};
    return r;
}

struct Route {
    std::string_view name;
    bool takes_rest; // /name/... (otherwise the path is exactly /http/name)
    HttpReply (*fn)(const In&);
};

constexpr Route kRoutes[] = {
    {"echo", true, echo},
    {"status", true, status},
    {"headers", false, headers},
    {"set-cookie", false, set_cookie},
    {"cookies", false, cookies},
    {"redirect", true, redirect},
    {"redirect-abs", true, redirect_abs},
    {"delay", false, delay},
    {"slow-body", false, slow_body},
    {"gzip", false, gzip},
    {"deflate", false, deflate},
    {"json", false, json_doc},
    {"peer", false, peer},
    {"bytes", false, bytes},
    {"drop", false, drop},
    {"close", false, close},
    {"reset", false, reset},
    {"basic-auth", true, basic_auth},
    {"login", false, login},
    {"chunked", false, chunked},
};

} // namespace

std::string_view reason_phrase(unsigned status) {
    auto s = http::obsolete_reason(static_cast<http::status>(status));
    return s == "<unknown-status>" ? std::string_view("Unknown") : std::string_view(s);
}

HttpReply route_http(const HttpRequest& req, std::string_view origin, std::string_view peer) {
    auto [path, query] = split_target(req.target());
    std::string_view tail = path.substr(std::min(path.size(), std::string_view("/http/").size()));
    auto slash = tail.find('/');
    std::string_view name = tail.substr(0, slash);
    In in{req,    path, query, slash == std::string_view::npos ? "" : tail.substr(slash + 1),
          origin, peer};
    for (const auto& r : kRoutes) {
        if (r.name == name && (r.takes_rest || slash == std::string_view::npos)) {
            return r.fn(in);
        }
    }
    return not_found(in);
}

} // namespace volley::wsecho
