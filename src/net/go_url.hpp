#pragma once

// URLs as Go's net/url parses and prints them, because k6 does (ws.connect and k6/http URLs,
// redirect Locations, the `url` tag): url.Parse with its errors, URL.String(), RequestURI() and
// ResolveReference(). Pure functions, any thread.

#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace volley::net {

struct GoUrl {
    std::string scheme;       // lower-cased; "" for a relative reference
    bool opaque = false;      // `scheme:opaque` (no "//"); `path` then holds the opaque part
    bool has_user = false;    // user info present (even empty)
    std::string user;         // user info as written, before '@' ("user:password")
    std::string host;         // Go's u.Host: host[:port] as written, IPv6 brackets kept
    std::string hostname;     // the host without port and brackets
    std::string port;         // the port as written, "" when absent
    std::string path;         // Go's EscapedPath(): the path as sent on the wire
    std::string raw_query;    // after '?', as written
    bool force_query = false; // a '?' with nothing after it
    bool has_fragment = false;
    std::string fragment; // after '#', as written

    // Go's RequestURI(): the escaped path ("/" when empty) and the query.
    std::string request_uri() const;
    // Go's URL.String().
    std::string string() const;
};

// The URL or Go's error text: `parse "<url>": <reason>` (`missing protocol scheme`,
// `invalid URL escape "%zz"`, `invalid character " " in host name`, `invalid port ":x" after
// host`, `net/url: invalid control character in URL`, ...).
using GoUrlResult = boost::system::result<GoUrl, std::string>;

// Go's url.Parse(raw).
GoUrlResult parse_go_url(std::string_view raw);

// Go's base.ResolveReference(ref) (RFC 3986 §5.2, with Go's dot-segment removal): how Go's
// HTTP client turns a Location header into the next request's URL.
GoUrl resolve_reference(const GoUrl& base, const GoUrl& ref);

} // namespace volley::net
