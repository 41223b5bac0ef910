#pragma once

// What k6/ws and k6/websockets do alike around a WebSocket handshake: the script's headers, and
// the cookie jar (cookies out on the request, Set-Cookie of the response stored), as gorilla's
// Dialer does for both modules.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "quickjs.h"

#include "metrics/tags.hpp"
#include "net/cookie_jar.hpp"
#include "net/headers.hpp"
#include "net/ws_client.hpp"

namespace volley::modules {
class VuApi;
} // namespace volley::modules

namespace volley::modules::ws {

// `s` without leading and trailing ASCII white space (Go's strings.TrimSpace on ASCII).
std::string trim_space(const std::string& s);

// params.headers: each own key with String(value), in order (nullish or non-objects add none).
void parse_headers(JSContext* ctx, JSValueConst obj, net::Headers& out);

// The jar's cookies for the handshake to `url` (Go's Request.AddCookie after the script's
// headers).
void add_jar_cookies(net::CookieJar& jar, const std::string& url, net::Headers& headers);

// The handshake response's Set-Cookie lines into the jar (gorilla does it before it checks the
// status, so a refused upgrade's cookies count too).
void store_jar_cookies(net::CookieJar& jar, const std::string& url,
                       const std::vector<std::string>& lines);

// The system tags a handshake's result gives a session, when enabled: status and subproto once
// a response arrived, ip once connected (k6/ws and k6/websockets alike).
void add_handshake_tags(const net::HandshakeResult& hs, const std::set<std::string>& system_tags,
                        metrics::TagMap& tags);

// --insight: a connect's phases as Trends with the session's tags, at the dial's start (nothing
// when insight is off). The phases add up to ws_connecting.
void emit_connect_phases(VuApi& vu, const net::HandshakeResult& hs, metrics::TagSetId tags,
                         std::int64_t at_ns);

// --insight: one failure of a session, with ws_error_code.hpp's `code` (0 = none: nothing).
// Counts it in ws_errors with the session's `tags` and error_code, and returns the tags for
// the session's later samples: `tags` with the first failure's error_code when that system tag
// is enabled, else `tags` unchanged. Without --insight, or once the VU is being stopped, it
// returns `tags` and does nothing.
metrics::TagSetId note_ws_error(VuApi& vu, int code, metrics::TagSetId tags);

// --insight: an error event's object gets `error_code` (the failure's code), and `code` too
// when `with_code` (k6's own close errors already have a `code`, the close code, and keep it).
// Nothing without --insight or for code 0.
void add_error_code(VuApi& vu, JSValueConst error, int code, bool with_code);

// The ping id a pong payload names: the decimal text a ping sent (std::to_string of the
// socket's counter), exactly; anything else (leading zeros, signs, other bytes) names no ping.
std::optional<std::size_t> ping_id(std::string_view payload);

} // namespace volley::modules::ws
