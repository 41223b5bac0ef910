#pragma once

// ws:// and wss:// URLs parsed the way k6/ws does it (k6-behaviour.md §1.4): Go's net/url parser,
// then gorilla/websocket's rules (scheme ws or wss, no user info, default ports 80/443).

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace volley::net {

// The error text k6 gives for a scheme other than ws/wss, a missing scheme, or user info.
inline constexpr std::string_view kMalformedWsUrl = "malformed ws or wss URL";

struct WsUrl {
    bool tls = false;        // wss
    std::string host;        // host name or IP literal, without brackets or port: DNS, SNI, cert
    std::uint16_t port = 0;  // explicit port, else 80 (ws) / 443 (wss)
    std::string host_header; // the URL's host[:port] as written: the Host header (Go's u.Host)
    std::string target;      // request target: escaped path ("/" if empty) [+ "?" + query]
    bool host_is_ip = false; // host is an IPv4/IPv6 literal (no SNI is sent for those, as Go)
};

// A parse result: the URL or the error text k6 would show (`malformed ws or wss URL`, or Go's
// `parse "<url>": <reason>` for a URL net/url rejects).
using WsUrlResult = boost::system::result<WsUrl, std::string>;

// Parses `raw` like gorilla's Dialer.DialContext(url.Parse(raw)). Pure function, any thread.
WsUrlResult parse_ws_url(std::string_view raw);

// The port to dial: `port_text` (a URL's port, may be empty: then `default_port`), or Go's
// dialer error `dial tcp: address <port>: invalid port`.
boost::system::result<std::uint16_t, std::string> dial_port(std::string_view port_text,
                                                            std::uint16_t default_port);

// True if `host` is an IPv4 or IPv6 literal (no brackets).
bool is_ip_literal(const std::string& host);

} // namespace volley::net
