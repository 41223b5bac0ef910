#include "wsecho/request_view.hpp"

#include <algorithm>
#include <cstdint>

#include <boost/json.hpp>

#include "util/ascii.hpp"
#include "util/utf8.hpp"
#include "wsecho/query.hpp"

namespace volley::wsecho {

namespace json = boost::json;
namespace http = boost::beast::http;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

json::string jstr(std::string_view s) {
    return json::string(valid_utf8(s));
}

json::object query_object(std::string_view query) {
    json::object out;
    for (const auto& [k, v] : query_params(query)) {
        auto key = valid_utf8(k);
        if (!out.contains(key)) {
            out[key] = jstr(v);
        }
    }
    return out;
}

// Go's http.Header and the reference server join repeated fields with ", ".
json::object header_object(const HttpRequest& req) {
    json::object out;
    for (const auto& f : req) {
        auto key = valid_utf8(lower(f.name_string()));
        if (auto* v = out.if_contains(key)) {
            v->as_string().append(", ");
            v->as_string().append(valid_utf8(f.value()));
        } else {
            out[key] = jstr(f.value());
        }
    }
    return out;
}

json::array raw_header_array(const HttpRequest& req) {
    json::array out;
    for (const auto& f : req) {
        out.push_back(json::array{jstr(f.name_string()), jstr(f.value())});
    }
    return out;
}

} // namespace

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::uint32_t cp = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = decode_utf8(s, i, cp);
        if (len == 0) {
            out += "\xef\xbf\xbd"; // U+FFFD, one per invalid byte (as Go's json.Marshal)
            ++i;
        } else {
            out.append(s.substr(i, len));
            i += len;
        }
    }
    return out;
}

std::string to_hex(std::string_view s) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size() * 2);
    for (char c : s) {
        auto b = static_cast<unsigned char>(c);
        out += kDigits[b >> 4];
        out += kDigits[b & 0xf];
    }
    return out;
}

std::string base64(std::string_view s) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < s.size(); i += 3) {
        std::uint32_t n = static_cast<unsigned char>(s[i]) << 16;
        std::size_t have = std::min<std::size_t>(3, s.size() - i);
        if (have > 1) {
            n |= static_cast<unsigned char>(s[i + 1]) << 8;
        }
        if (have > 2) {
            n |= static_cast<unsigned char>(s[i + 2]);
        }
        for (std::size_t k = 0; k < 4; ++k) {
            out += k <= have ? kAlphabet[(n >> (18 - 6 * k)) & 0x3f] : '=';
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> request_cookies(const HttpRequest& req) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : req) {
        if (f.name() != http::field::cookie) {
            continue;
        }
        std::string_view rest = f.value();
        while (!rest.empty()) {
            auto semi = rest.find(';');
            auto part = trim_ows(rest.substr(0, semi));
            auto eq = part.find('=');
            if (eq != std::string_view::npos && eq > 0) {
                out.emplace_back(trim_ows(part.substr(0, eq)), trim_ows(part.substr(eq + 1)));
            }
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        }
    }
    return out;
}

std::optional<std::string> cookie_header(const HttpRequest& req) {
    std::optional<std::string> out;
    for (const auto& f : req) {
        if (f.name() != http::field::cookie) {
            continue;
        }
        out = out ? *out + "; " + std::string(f.value()) : std::string(f.value());
    }
    return out;
}

std::string credential_user(const HttpRequest& req) {
    for (const auto& [name, value] : request_cookies(req)) {
        if (name == "session" && value.size() > 5 && value.starts_with("sess-")) {
            return value.substr(5);
        }
    }
    std::string_view auth = trim_ows(req[http::field::authorization]);
    if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ") {
        auto token = trim_ows(auth.substr(7));
        if (token.size() > 4 && token.starts_with("tok-")) {
            return std::string(token.substr(4));
        }
    }
    return {};
}

std::string echo_document(const HttpRequest& req) {
    auto [path, query] = split_target(req.target());
    const std::string& body = req.body();
    json::object doc;
    doc["method"] = jstr(req.method_string());
    doc["target"] = jstr(req.target());
    doc["path"] = jstr(path);
    doc["query"] = query_object(query);
    doc["headers"] = header_object(req);
    doc["raw_headers"] = raw_header_array(req);
    doc["body"] = jstr(body);
    doc["body_len"] = body.size();
    doc["body_hex"] = to_hex(body);
    return json::serialize(doc);
}

std::string cookies_document(const HttpRequest& req) {
    json::object doc;
    for (const auto& [name, value] : request_cookies(req)) {
        auto key = valid_utf8(name);
        if (key != "raw" && !doc.contains(key)) {
            doc[key] = jstr(value);
        }
    }
    auto raw = cookie_header(req);
    doc["raw"] = raw ? json::value(jstr(*raw)) : json::value(nullptr);
    return json::serialize(doc);
}

} // namespace volley::wsecho
