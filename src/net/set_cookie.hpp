#pragma once

// Go's net/http cookie code as k6 meets it: a response's `Set-Cookie` lines become http.Cookie
// values (Response.Cookies -> readSetCookies -> ParseSetCookie), and the cookies of a request go
// out in one `Cookie` header built by Request.AddCookie. The behaviour copied is Go 1.25's (the
// toolchain k6 v1.6.1 is released with); each function below names the Go function it mirrors.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace volley::net {

// Go's http.Cookie as ParseSetCookie fills it (Raw and Unparsed, which nothing here reads, are
// left out). Also what k6's `jar.set(url, name, value, opts)` builds: name, value, path, domain,
// expires, max_age, secure, http_only.
struct SetCookie {
    std::string name;
    std::string value;
    bool quoted = false; // Go's Cookie.Quoted: the value came in double quotes (stripped)
    std::string path;
    std::string domain;
    // Expires, in seconds since the Unix epoch (UTC); nullopt when absent or unparsable. Go's zero
    // time (year 1, -62135596800) counts as absent in the jar, as Time.IsZero does.
    std::optional<std::int64_t> expires_unix_s;
    // Go's MaxAge (a Go int, 64-bit): 0 no Max-Age, < 0 delete now ("Max-Age=0" or negative),
    // > 0 lifetime in seconds.
    std::int64_t max_age = 0;
    bool secure = false;
    bool http_only = false;
    std::string same_site; // "" (absent), "Default", "Lax", "Strict" or "None"
    bool partitioned = false;
    std::string raw_expires; // the Expires attribute as written (Go's RawExpires)
};

// Go's readSetCookies keeps no cookie at all from a response with more Set-Cookie lines than this
// (GODEBUG httpcookiemaxnum, default since Go 1.25.2 / 1.24.8). Callers parsing a response's
// lines one by one with parse_set_cookie apply it.
inline constexpr std::size_t kMaxSetCookieLines = 3000;

// Go's http.ParseSetCookie for one Set-Cookie header value (what readSetCookies keeps): nullopt
// for a blank line, no '=', a name that is not an HTTP token, or a value with a byte a cookie
// cannot hold. Attribute names are matched case-insensitively; an attribute whose value has such a
// byte, a malformed Max-Age or an unparsable Expires is ignored, as Go puts it in Unparsed. Pure.
std::optional<SetCookie> parse_set_cookie(std::string_view header_value);

// Go's time.Parse(time.RFC1123, s) ("Mon, 02 Jan 2006 15:04:05 MST"), which k6's `jar.set` uses
// for its `expires` option. Seconds since the epoch; nullopt where Go returns an error (k6 then
// throws `unable to parse "expires" date string ...`). A zone abbreviation other than UTC is read
// as UTC, as Go does when the machine's local zone does not know it (GMT+N too: Go keeps the
// instant and only records the offset). Pure.
std::optional<std::int64_t> parse_rfc1123_time(std::string_view s);

// The Cookie header value Go's Request.AddCookie builds for these cookies, in order:
// "a=1; b=2", each name with CR/LF turned to '-' (sanitizeCookieName) and each value with the
// bytes a cookie cannot hold dropped, then double-quoted if it has a space or a comma
// (sanitizeCookieValue with Quoted false: k6 copies only Name and Value from the jar). Empty for
// no cookies. Pure.
std::string cookie_header(const std::vector<std::pair<std::string, std::string>>& cookies);

} // namespace volley::net
