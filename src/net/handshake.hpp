#pragma once

// The HTTP side of the WebSocket opening handshake as gorilla/websocket does it for k6
// (k6-behaviour.md §1.3, §1.5): request headers with Go's canonicalisation and duplicate-header
// rules, and the checks on the 101 response. Pure functions, any thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/system/result.hpp>

#include "net/headers.hpp"
#include "net/url.hpp"

namespace volley::net {

// What goes into the request besides the URL.
struct RequestSpec {
    const Headers* headers = nullptr; // the script's headers (Go Header.Set per pair), may be null
    std::string_view user_agent;      // User-Agent unless a header overrides it; empty: none
    bool compression = false;         // offer permessage-deflate with both no_context_takeover
    std::string_view key;             // Sec-WebSocket-Key (base64 of 16 random bytes)
};

// Builds the request text: request line, Host, User-Agent, then the other headers sorted by
// name (Go's Header.Write order). Fails with `websocket: duplicate header not allowed: <Name>`
// for Upgrade, Connection, Sec-Websocket-Key, Sec-Websocket-Version or
// Sec-Websocket-Extensions among the script's headers.
boost::system::result<std::string, std::string> build_request(const WsUrl& url,
                                                              const RequestSpec& spec);

// A fresh Sec-WebSocket-Key: base64 of 16 bytes from the per-thread generator of random_u64()
// (RFC 6455 §4.1 asks for a nonce a proxy cannot predict, not for a secret).
std::string make_key();

// base64(SHA-1(key + GUID)), the expected Sec-WebSocket-Accept (Beast's SHA-1: no per-call
// OpenSSL algorithm fetch or allocation).
std::string accept_for_key(std::string_view key);

// The verdict on a response (headers canonicalised).
struct ResponseCheck {
    bool ok = false;
    std::string error;  // `websocket: bad handshake` / `websocket: invalid compression negotiation`
    int error_code = 0; // ws_error_code.hpp's: which check failed
    bool compression = false; // permessage-deflate accepted by the server
    std::string subprotocol;  // Sec-Websocket-Protocol ("" if none)
};

// gorilla's checks: status 101, `Upgrade` has token `websocket`, `Connection` has token
// `upgrade` (case-insensitive), the right accept key; then, if compression was offered, a
// permessage-deflate answer must carry both no_context_takeover parameters.
ResponseCheck check_response(int status, const Headers& headers, std::string_view key,
                             bool compression_offered);

} // namespace volley::net
