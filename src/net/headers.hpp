#pragma once

// HTTP header lists as Go's net/http keeps and writes them (textproto canonical names, Header.Set
// and Header.Write semantics), shared by the WebSocket handshake and the HTTP client. Pure
// functions, any thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace volley::net {

// HTTP headers as (name, value) pairs, in order.
using Headers = std::vector<std::pair<std::string, std::string>>;

// Go's textproto.CanonicalMIMEHeaderKey: `x-my-header` → `X-My-Header`,
// `sec-websocket-key` → `Sec-Websocket-Key`. Names with bytes outside the token set are
// returned unchanged.
std::string canonical_header_key(std::string_view name);

// True if `name` is a valid HTTP header name (Go's httpguts.ValidHeaderFieldName).
bool valid_header_name(std::string_view name);

// Appends the line `name: value\r\n` to `out`; CR and LF in the value become spaces, as Go's
// Header.Write does (no header injection).
void append_header(std::string& out, std::string_view name, std::string_view value);

// Go's Header.Set on a list: `name` (canonicalised) takes `value`, replacing an earlier value.
void set_header(Headers& headers, std::string_view name, std::string value);

// Go's Header.Del: removes every entry of canonical `name`.
void remove_header(Headers& headers, std::string_view name);

// Response headers with Go-canonical names, values of repeated names joined with ", ", in the
// order names first appear. `raw` is the response's header list as received.
Headers canonical_response_headers(const Headers& raw);

// Returns the value of canonical header `name` in `headers`, or "" (Go's Header.Get).
std::string_view header_value(const Headers& headers, std::string_view name);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

} // namespace volley::net
