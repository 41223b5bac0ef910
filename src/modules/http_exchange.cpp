#include "modules/http_exchange.hpp"

#include <algorithm>
#include <charconv>

#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "modules/http_debug.hpp"
#include "modules/http_request.hpp"
#include "modules/http_state.hpp"
#include "modules/rps_limit.hpp"
#include "modules/vu_api.hpp"
#include "net/content_encoding.hpp"
#include "net/set_cookie.hpp"
#include "util/go_quote.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace volley::modules::http {
namespace {

bool enabled(const ModuleSettings& s, const char* tag) {
    return s.system_tags.count(tag) != 0;
}

// The system and user tags of one hop (k6's measureAndEmitMetrics).
metrics::TagMap hop_tags(const ModuleSettings& s, const ParsedRequest& req,
                         const std::string& hop_url, const net::HttpResponse& r,
                         const std::optional<bool>& expected) {
    metrics::TagMap t = req.tags;
    std::string name;
    if (auto it = t.find("name"); it != t.end()) {
        name = it->second;
    } else if (enabled(s, "name") && !req.name.empty() && req.name != clean_url(req.url)) {
        name = req.name;
        t["name"] = name;
    }
    if (name.empty()) {
        std::string clean = clean_url(hop_url);
        if (enabled(s, "name")) {
            t["name"] = clean;
        }
        if (enabled(s, "url")) {
            t["url"] = clean;
        }
    } else if (enabled(s, "url")) {
        t["url"] = name;
    }
    auto set = [&](const char* tag, std::string value) {
        if (enabled(s, tag)) {
            t[tag] = std::move(value);
        }
    };
    set("method", req.wire.method);
    if (r.error && r.status == 0) {
        set("error", r.error.message);
        set("error_code", std::to_string(r.error.code));
        set("status", "0");
    } else {
        set("status", std::to_string(r.status));
        if (r.error) {
            set("error", r.error.message);
            set("error_code", std::to_string(r.error.code));
        } else if (r.status >= 400) {
            set("error_code", std::to_string(1000 + r.status));
        }
        set("proto", r.proto);
        if (!r.tls_version.empty()) {
            set("tls_version", r.tls_version);
        }
    }
    if (!r.remote_ip.empty()) {
        set("ip", r.remote_ip);
    }
    if (expected) {
        set("expected_response", *expected ? "true" : "false");
    }
    return t;
}

void emit_hop(VuApi& vu, const ParsedRequest& req, const std::string& hop_url,
              const net::HttpResponse& r) {
    std::optional<bool> expected;
    if (req.expected != nullptr) {
        expected = req.expected->match(r.error && r.status == 0 ? 0 : r.status);
    }
    metrics::TagMap extra = hop_tags(vu.settings(), req, hop_url, r, expected);
    metrics::TagSetId tags = 0;
    if (req.vu_tags) {
        metrics::TagMap merged = *req.vu_tags;
        for (auto& [k, v] : extra) {
            merged[k] = std::move(v);
        }
        tags = vu.interner().intern(merged);
    } else {
        tags = vu.tag_set_with(extra);
    }
    const auto& b = vu.registry().builtins();
    const net::HttpTimings& t = r.timings;
    std::int64_t at = r.end_unix_ns;
    vu.emit(b.http_reqs, tags, 1, at);
    vu.emit(b.http_req_duration, tags, t.duration, at);
    vu.emit(b.http_req_blocked, tags, t.blocked, at);
    vu.emit(b.http_req_connecting, tags, t.connecting, at);
    vu.emit(b.http_req_tls_handshaking, tags, t.tls_handshaking, at);
    vu.emit(b.http_req_sending, tags, t.sending, at);
    vu.emit(b.http_req_waiting, tags, t.waiting, at);
    vu.emit(b.http_req_receiving, tags, t.receiving, at);
    if (expected) {
        vu.emit(b.http_req_failed, tags, *expected ? 0 : 1, at);
    }
    auto bytes = vu.http_client().take_counters();
    vu.count_bytes(bytes.sent, bytes.received);
}

std::string base64(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(in.data()),
                            static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// Go's url.PathUnescape for user info (`%40` in a password).
std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            unsigned v = 0;
            auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (ec == std::errc() && p == s.data() + i + 3) {
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

net::JarUrl jar_url(const net::GoUrl& u) {
    return net::JarUrl{u.scheme == "https", u.host, u.path};
}

// k6's SetRequestCookies: params cookies first, then the jar's unless a params cookie of that
// name says replace, appended to any Cookie header the script set (Go's Request.AddCookie).
void set_request_cookies(ParsedRequest& req) {
    std::vector<std::pair<std::string, std::string>> add;
    for (const auto& c : req.cookies) {
        add.emplace_back(c.name, c.value);
    }
    if (req.jar != nullptr) {
        for (auto& [name, value] : req.jar->cookies(jar_url(req.wire.url), now_unix_ns())) {
            bool replaced = std::any_of(
                req.cookies.begin(), req.cookies.end(),
                [&name = name](const RequestCookie& c) { return c.replace && c.name == name; });
            if (!replaced) {
                add.emplace_back(std::move(name), std::move(value));
            }
        }
    }
    if (add.empty()) {
        return;
    }
    std::string header = net::cookie_header(add);
    auto existing = net::header_value(req.wire.headers, "Cookie");
    if (!existing.empty()) {
        header = std::string(existing) + "; " + header;
    }
    net::set_header(req.wire.headers, "Cookie", std::move(header));
}

// MakeRequest's body handling: `compression` applied in order (Content-Encoding set unless the
// script set another, with k6's warning), a script's Content-Length dropped (with a warning
// when it differs from the body's length).
void prepare_body(ParsedRequest& req) {
    net::HttpRequest& w = req.wire;
    if (!req.compressions.empty() && w.body) {
        std::string encoding;
        for (const auto& c : req.compressions) {
            auto encoded = net::encode_content(c, *w.body);
            if (encoded) {
                w.body = std::move(*encoded);
            }
            encoding += encoding.empty() ? c : ", " + c;
        }
        auto current = net::header_value(w.headers, "Content-Encoding");
        if (current.empty()) {
            net::set_header(w.headers, "Content-Encoding", encoding);
        } else if (current != encoding) {
            log::write(log::Level::kWarn,
                       fmt::format("There's a mismatch between the desired `compression` the "
                                   "manually set `Content-Encoding` header in the {} request for "
                                   "'{}', the custom header has precedence and won't be "
                                   "overwritten. This may result in invalid data being sent to "
                                   "the server.",
                                   w.method, w.url.string()));
        }
    }
    auto length = std::string(net::header_value(w.headers, "Content-Length"));
    if (!length.empty()) {
        net::remove_header(w.headers, "Content-Length");
        std::size_t size = w.body ? w.body->size() : 0;
        if (length != std::to_string(size)) {
            log::write(log::Level::kWarn,
                       fmt::format("The specified Content-Length header {} in the {} request for "
                                   "{} doesn't match the actual request body length of {}, so it "
                                   "will be ignored!",
                                   go_quote(length), w.method, w.url.string(), size));
        }
    }
}

// The hop's wire request: the URL's user info as Basic auth (Go's Client.send) when the script
// set no Authorization header.
net::HttpRequest wire_for_hop(const net::HttpRequest& r) {
    net::HttpRequest w = r;
    if (w.url.has_user && net::header_value(w.headers, "Authorization").empty()) {
        auto colon = w.url.user.find(':');
        std::string user = unescape(w.url.user.substr(0, colon));
        std::string pass = colon == std::string::npos ? "" : unescape(w.url.user.substr(colon + 1));
        net::set_header(w.headers, "Authorization", "Basic " + base64(user + ":" + pass));
    }
    return w;
}

// Go's url.Error text: `Get "http://host/path": <err>` (a password shown as ***).
std::string url_error(const std::string& method, const net::GoUrl& u, const std::string& err) {
    std::string op = method.empty() ? "Get" : method.substr(0, 1);
    for (std::size_t i = 1; i < method.size(); ++i) {
        op += static_cast<char>(std::tolower(static_cast<unsigned char>(method[i])));
    }
    std::string url = u.string();
    if (u.has_user && u.user.find(':') != std::string::npos) {
        std::string user = u.user.substr(0, u.user.find(':'));
        auto at = url.find(u.user + "@");
        if (at != std::string::npos) {
            url.replace(at, u.user.size(), user + ":***");
        }
    }
    return fmt::format("{} {}: {}", op, go_quote(url), err);
}

// A failure Go's client reports before any round trip.
std::optional<net::HttpError> precheck(const net::GoUrl& u) {
    if (u.scheme != "http" && u.scheme != "https") {
        std::string text = "unsupported protocol scheme " + go_quote(u.scheme);
        return net::HttpError{1000, text, text};
    }
    if (u.hostname.empty()) {
        std::string text = "http: no Host in request URL";
        return net::HttpError{1000, text, text};
    }
    return std::nullopt;
}

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Go's refererForURL.
std::string referer(const net::GoUrl& last, const net::GoUrl& next) {
    if (last.scheme == "https" && next.scheme == "http") {
        return {};
    }
    net::GoUrl r = last;
    r.has_user = false;
    r.user.clear();
    r.has_fragment = false;
    r.fragment.clear();
    return r.string();
}

// The next hop of a redirect as Go's http.Client makes it; false to stop (no Location).
bool follow(net::HttpRequest& w, const net::HttpResponse& r, const net::HttpRequest& first,
            std::string& next_url) {
    auto location = net::header_value(r.headers, "Location");
    if (location.empty()) {
        return false;
    }
    auto ref = net::parse_go_url(location);
    if (!ref) {
        return false;
    }
    net::GoUrl next = net::resolve_reference(w.url, *ref);
    bool drop_body = r.status == 301 || r.status == 302 || r.status == 303;
    if (drop_body && w.method != "GET" && w.method != "HEAD") {
        w.method = "GET";
    }
    if (drop_body) {
        w.body.reset();
    }
    bool same_host = next.hostname == w.url.hostname;
    if (!same_host) { // Go drops credentials on a redirect to another host
        net::remove_header(w.headers, "Authorization");
        net::remove_header(w.headers, "Www-Authenticate");
        net::remove_header(w.headers, "Cookie2");
    }
    net::remove_header(w.headers, "Cookie"); // k6's CheckRedirect sets them again from the jar
    std::string ref_text = referer(w.url, next);
    if (!ref_text.empty() && net::header_value(first.headers, "Referer").empty()) {
        net::set_header(w.headers, "Referer", ref_text);
    }
    w.host = (first.host != first.url.host && next.host == first.url.host) ? first.host : next.host;
    w.url = std::move(next);
    next_url = w.url.string();
    return true;
}

// One hop's round trip, or the failure of its precheck; logged for --http-debug.
net::HttpResponse round_trip_hop(VuApi& vu, const ParsedRequest& req, const net::HttpOptions& opts,
                                 Yield yield) {
    HttpDebugLog debug(vu, req);
    const net::HttpRequest wire = wire_for_hop(req.wire);
    debug.request(wire, opts.keep_alive);
    net::HttpResponse r;
    if (auto e = precheck(req.wire.url)) {
        r.error = *e;
        r.end_unix_ns = now_unix_ns();
    } else {
        r = vu.http_client().round_trip(wire, opts, yield);
    }
    debug.response(r);
    return r;
}

// Suspends until `at`, or until the VU's requests are cancelled.
void wait_until(VuApi& vu, HttpState& state, SteadyClock::time_point at, Yield yield) {
    if (at <= SteadyClock::now()) {
        return;
    }
    boost::asio::steady_timer timer(vu.io(), at);
    int hook = state.add_cancel_hook([&timer] { timer.cancel(); });
    boost::system::error_code ec;
    timer.async_wait(yield[ec]);
    state.remove_cancel_hook(hook);
}

// k6's rps: waits for this request's turn of the instance-wide limit; false when the VU's
// requests were cancelled (an interrupt, or an iteration of asyncRequests that ended) since
// `cancellations` was read.
bool wait_rps_turn(VuApi& vu, std::uint64_t cancellations, Yield yield) {
    RpsLimit* limit = vu.settings().rps_limit;
    HttpState& state = vu.http_state();
    if (limit != nullptr && !vu.interrupted()) {
        wait_until(vu, state, limit->reserve(), yield);
    }
    return !vu.interrupted() && state.cancellations() == cancellations;
}

} // namespace

Exchange run_exchange(VuApi& vu, ParsedRequest& req, Yield yield) {
    Exchange ex;
    ex.url = req.url;
    ex.request_url = req.wire.url.string();
    ex.request_body = req.wire.body.value_or("");
    prepare_body(req);
    set_request_cookies(req);
    ex.request_headers = req.wire.headers;
    ex.request_cookies = std::string(net::header_value(req.wire.headers, "Cookie"));
    const std::uint64_t cancellations = vu.http_state().cancellations();
    if (!wait_rps_turn(vu, cancellations, yield)) {
        return ex; // the caller sees the interrupt
    }
    const ModuleSettings& s = vu.settings();
    net::HttpOptions opts;
    opts.tls = s.tls;
    opts.policy = s.dial_policy;
    opts.local_ip = vu.local_ip();
    opts.dns = s.dns;
    opts.keep_alive = !s.no_connection_reuse;
    opts.read_body = req.response_type != ResponseType::kNone;
    opts.deadline = SteadyClock::now() + req.timeout;
    const net::HttpRequest first = req.wire;
    std::string hop_url = req.wire.url.string();
    for (std::int64_t hops = 1;; ++hops) {
        net::HttpResponse r = round_trip_hop(vu, req, opts, yield);
        if (vu.interrupted() || vu.http_state().cancellations() != cancellations) {
            ex.response = std::move(r); // stopped, as k6's cancelled context: no samples
            return ex;
        }
        emit_hop(vu, req, hop_url, r);
        if (r.error) {
            ex.error_detail = r.error.in_body
                                  ? r.error.detail
                                  : url_error(first.method, req.wire.url, r.error.detail);
            ex.response = std::move(r);
            return ex;
        }
        if (r.status == 101) {
            ex.unsupported_101 = true;
        }
        if (req.jar != nullptr && !r.set_cookies.empty()) {
            std::vector<net::SetCookie> cookies;
            for (const auto& line : r.set_cookies) {
                if (auto c = net::parse_set_cookie(line)) {
                    cookies.push_back(std::move(*c));
                }
            }
            req.jar->set_cookies(jar_url(req.wire.url), cookies, now_unix_ns());
        }
        ex.url = hops == 1 ? req.url : hop_url;
        if (!is_redirect(r.status) || ex.unsupported_101) {
            ex.response = std::move(r);
            return ex;
        }
        net::HttpRequest next = req.wire;
        std::string next_url;
        if (!follow(next, r, first, next_url)) {
            ex.response = std::move(r);
            return ex;
        }
        if (hops > req.redirects) {
            if (!req.redirects_set) {
                log::write(log::Level::kWarn,
                           fmt::format("Stopped after {} redirects and returned the redirection; "
                                       "pass {{ redirects: n }} in request params or set global "
                                       "maxRedirects to silence this",
                                       hops),
                           {{"url", first.url.string()}});
            }
            ex.response = std::move(r);
            return ex;
        }
        req.wire = std::move(next);
        set_request_cookies(req);
        hop_url = next_url;
    }
}

} // namespace volley::modules::http
