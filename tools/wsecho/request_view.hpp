#pragma once

// What the echo server's HTTP routes read from a request: the /http/echo and /http/cookies
// documents, cookies, and the credentials of /http/basic-auth and /ws/auth. Pure; any thread.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace volley::wsecho {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

// Lower-case hex of the bytes of `s`.
std::string to_hex(std::string_view s);

// Standard base64 (RFC 4648, padded).
std::string base64(std::string_view s);

// The cookies of the request's Cookie headers (name, value), in order, repeats kept.
std::vector<std::pair<std::string, std::string>> request_cookies(const HttpRequest& req);

// The request's Cookie headers joined with "; ", or nullopt without one.
std::optional<std::string> cookie_header(const HttpRequest& req);

// The user a request authenticates as for /ws/auth: <user> from the cookie
// `session=sess-<user>`, else from `Authorization: Bearer tok-<user>`; empty when neither.
std::string credential_user(const HttpRequest& req);

// The /http/echo JSON document: method, target, path, query (first value of each parameter),
// headers (lower-case names, repeats joined with ", "), raw_headers ([name, value] as sent),
// body (invalid UTF-8 replaced), body_len, body_hex.
std::string echo_document(const HttpRequest& req);

// The /http/cookies JSON document: name -> value of each cookie (the first of a name) and `raw`
// (cookie_header, or null). A cookie named `raw` is left out.
std::string cookies_document(const HttpRequest& req);

} // namespace volley::wsecho
