#pragma once

// k6's cookie jars: every k6 jar (the per-VU jar, `new http.CookieJar()`) is Go's
// `net/http/cookiejar.New(nil)`, a jar with no public suffix list. It is fed with cookies parsed by
// net/set_cookie.hpp, and what it returns goes out as net::cookie_header builds it. The behaviour
// copied is Go 1.25's (the toolchain k6 v1.6.1 is released with); each function below names the
// Go function it mirrors.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/set_cookie.hpp"

namespace volley::net {

// The URL a jar is asked about: Go's u.Scheme == "https", u.Host (host[:port], IPv6 in brackets,
// not yet lower-cased) and u.Path. Go's jar does nothing for schemes other than http and https:
// callers drop those before calling.
struct JarUrl {
    bool https = false;
    std::string host;
    std::string path;
};

// A stored cookie as Go's Jar.Cookies returns it (Name, Value, Quoted).
struct JarCookie {
    std::string name;
    std::string value;
    bool quoted = false;
};

// Go's cookiejar.Jar with a nil PublicSuffixList, as k6 uses it. Without the list a server may set
// a cookie for any parent domain of its host (www.example.co.uk for co.uk, or for uk), as in k6.
//
// Owned by one VU and used on its thread only (no locks). Times are the caller's clock in
// nanoseconds since the Unix epoch, so tests need no sleeping. An empty jar holds no heap memory,
// and clear() gives it all back: k6 starts every iteration with a new jar.
class CookieJar {
public:
    // Jar.SetCookies: stores, updates (keeping the first creation time) or deletes each cookie as
    // received from `url`, applying Go's newEntry rules: host-only cookies without Domain; a
    // Domain must domain-match the host (a leading dot is dropped, a trailing one rejected); on an
    // IP host only Domain equal to the host is accepted and gives a host-only cookie; a Path not
    // starting with '/' takes the URL's default path; Max-Age beats Expires; an expired cookie
    // deletes the stored one. Secure cookies are stored from http too, as Go does. Cookies with a
    // bad Domain, and all cookies of a host Go cannot canonicalize, are ignored.
    void set_cookies(const JarUrl& url, const std::vector<SetCookie>& cookies,
                     std::int64_t now_unix_ns);

    // Jar.Cookies: the (name, value) pairs to send to `url`, expired cookies dropped from the jar
    // first; domain and path must match and Secure ones go only to https. Sorted as Go sorts:
    // longer path first, then earlier creation, then order of first storing.
    std::vector<std::pair<std::string, std::string>> cookies(const JarUrl& url,
                                                             std::int64_t now_unix_ns);

    // k6's `jar.delete(url, name)` (CookieJar.Delete): SetCookies(url, {Name: name, MaxAge: -1}),
    // which removes only the host-only cookie of that name stored under the URL's default path
    // (a cookie stored with another Path or with a Domain stays, as in k6). k6 rejects an empty
    // name before this.
    void remove(const JarUrl& url, std::string_view name);

    // k6's `jar.clear(url)` (CookieJar.Clear): every cookie Cookies(url) returns is set again with
    // MaxAge -1, which, like remove(), deletes only the host-only ones under the default path.
    void clear_url(const JarUrl& url, std::int64_t now_unix_ns);

    // Forgets every cookie and the sequence counter (Go's Jar.Clear) and frees the memory.
    void clear();

    bool empty() const { return groups_.empty(); }

    // Every stored cookie not expired at `now_unix_ns` (session cookies included), in no
    // particular order; the jar is not changed. For tests and diagnostics.
    std::vector<JarCookie> stored(std::int64_t now_unix_ns) const;

private:
    // Go's time.Time reduced to what the jar compares: seconds and nanoseconds since the epoch.
    struct Instant {
        std::int64_t sec = 0;
        std::int32_t nsec = 0;
    };
    // Go's cookiejar entry, without the fields Cookies never reads (SameSite, HttpOnly,
    // LastAccess).
    struct Entry {
        std::string name;
        std::string value;
        std::string domain;
        std::string path;
        bool quoted = false;
        bool secure = false;
        bool host_only = false;
        bool persistent = false; // expires is meaningful (session cookies never expire here)
        Instant expires;
        std::int64_t creation_ns = 0;
        std::uint64_t seq = 0; // Go's seqNum: ties on path length and creation time
    };
    // Go's entries[jarKey]: the cookies set by hosts with the same jar key.
    struct Group {
        std::string key;
        std::vector<Entry> entries;
    };

    static bool after(const Instant& a, const Instant& b);
    // Go's Jar.newEntry: nullopt for a bad Domain; `remove` when the cookie deletes its id.
    static std::optional<Entry> new_entry(const SetCookie& c, const Instant& now,
                                          const std::string& def_path, const std::string& host,
                                          bool& remove);
    static Instant instant_of(std::int64_t unix_ns);
    Group* find_group(std::string_view key);
    void drop_group_if_empty(std::string_view key);

    std::vector<Group> groups_;
    std::uint64_t next_seq_ = 0;
};

// Go's cookiejar helpers, exposed for their unit tests (tests/unit/net/cookie_jar_test.cpp).
namespace cookie_detail {

// canonicalHost: port stripped, one trailing dot dropped, IDNA labels to punycode, ASCII
// lower-cased; nullopt where Go errs (a port that SplitHostPort rejects, an invalid label).
std::optional<std::string> canonical_host(std::string_view host);
// jarKey with a nil PublicSuffixList: the host for an IP, else its last two labels.
std::string jar_key(std::string_view host);
// isIP: has ':' or '%', or is a dotted-decimal IPv4 address net.ParseIP accepts.
bool is_ip(std::string_view host);
// defaultPath (RFC 6265 section 5.1.4).
std::string default_path(std::string_view path);
// toASCII from cookiejar/punycode.go; nullopt on Go's "invalid label".
std::optional<std::string> to_ascii(std::string_view host);

} // namespace cookie_detail

} // namespace volley::net
