#include "net/cookie_jar.hpp"

#include <algorithm>

#include "util/ascii.hpp"

namespace volley::net {
namespace {

// ---- cookiejar helpers (jar.go, punycode.go, net.SplitHostPort, net.ParseIP) ----

constexpr std::int64_t kNsPerSec = 1'000'000'000;
// time.Time{}.Unix(): Go's zero time, which Time.IsZero reports.
constexpr std::int64_t kGoZeroTimeUnix = -62135596800;

// hasDotSuffix.
bool has_dot_suffix(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s[s.size() - suffix.size() - 1] == '.' &&
           s.substr(s.size() - suffix.size()) == suffix;
}

// hasPort.
bool has_port(std::string_view host) {
    auto colons = std::count(host.begin(), host.end(), ':');
    if (colons == 0) {
        return false;
    }
    if (colons == 1) {
        return true;
    }
    return host[0] == '[' && host.find("]:") != std::string_view::npos;
}

// net.SplitHostPort, host part only.
std::optional<std::string_view> split_host_port(std::string_view hostport) {
    auto i = hostport.rfind(':');
    if (i == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view host;
    std::size_t j = 0;
    std::size_t k = 0;
    if (!hostport.empty() && hostport[0] == '[') {
        auto end = hostport.find(']');
        if (end == std::string_view::npos || end + 1 != i) {
            return std::nullopt; // missing ']', missing port, or too many colons
        }
        host = hostport.substr(1, end - 1);
        j = 1;
        k = end + 1;
    } else {
        host = hostport.substr(0, i);
        if (host.find(':') != std::string_view::npos) {
            return std::nullopt;
        }
    }
    if (hostport.find('[', j) != std::string_view::npos ||
        hostport.find(']', k) != std::string_view::npos) {
        return std::nullopt;
    }
    return host;
}

// net.ParseIP for an IPv4 literal (netip.ParseAddr's parseIPv4Fields): four decimal fields up to
// 255, no leading zeros.
bool parse_ipv4(std::string_view s) {
    int fields = 0;
    int val = 0;
    int digits = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (digits == 1 && val == 0) {
                return false;
            }
            val = val * 10 + (c - '0');
            ++digits;
            if (val > 255) {
                return false;
            }
        } else if (c == '.') {
            if (i == 0 || i == s.size() - 1 || s[i - 1] == '.' || fields == 3) {
                return false;
            }
            ++fields;
            val = 0;
            digits = 0;
        } else {
            return false;
        }
    }
    return fields == 3;
}

// utf8.DecodeRuneInString: the rune at s[i] and its width; an invalid sequence is U+FFFD, width 1.
std::pair<std::int32_t, std::size_t> decode_rune(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
    unsigned char c0 = b(0);
    if (c0 < 0x80) {
        return {c0, 1};
    }
    constexpr std::pair<std::int32_t, std::size_t> kBad = {0xFFFD, 1};
    if (c0 >= 0xC2 && c0 <= 0xDF && cont(1)) {
        return {((c0 & 0x1F) << 6) | (b(1) & 0x3F), 2};
    }
    if (c0 >= 0xE0 && c0 <= 0xEF && cont(1) && cont(2)) {
        std::int32_t r = ((c0 & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        if (r < 0x800 || (r >= 0xD800 && r <= 0xDFFF)) {
            return kBad;
        }
        return {r, 3};
    }
    if (c0 >= 0xF0 && c0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
        std::int32_t r =
            ((c0 & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
        if (r < 0x10000 || r > 0x10FFFF) {
            return kBad;
        }
        return {r, 4};
    }
    return kBad;
}

std::vector<std::int32_t> runes_of(std::string_view s) {
    std::vector<std::int32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        auto [r, w] = decode_rune(s, i);
        out.push_back(r);
        i += w;
    }
    return out;
}

// Punycode (RFC 3492) parameters, punycode.go.
constexpr std::int32_t kBase = 36;
constexpr std::int32_t kDamp = 700;
constexpr std::int32_t kInitialBias = 72;
constexpr std::int32_t kInitialN = 128;
constexpr std::int32_t kSkew = 38;
constexpr std::int32_t kTmax = 26;
constexpr std::int32_t kTmin = 1;

// Go's int32 arithmetic wraps; the encoder checks the sign afterwards.
std::int32_t wrap32(std::int64_t x) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(x));
}

char encode_digit(std::int32_t d) {
    return d < 26 ? static_cast<char>('a' + d) : static_cast<char>('0' + (d - 26));
}

// adapt.
std::int32_t adapt(std::int32_t delta, std::int32_t num_points, bool first_time) {
    delta = first_time ? delta / kDamp : delta / 2;
    delta += delta / num_points;
    std::int32_t k = 0;
    while (delta > ((kBase - kTmin) * kTmax) / 2) {
        delta /= kBase - kTmin;
        k += kBase;
    }
    return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
}

// The variable-length integer q of one code point (the inner loop of encode).
void append_vli(std::string& out, std::int32_t q, std::int32_t bias) {
    for (std::int32_t k = kBase;; k += kBase) {
        std::int32_t t = std::clamp(k - bias, kTmin, kTmax);
        if (q < t) {
            break;
        }
        out.push_back(encode_digit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
    }
    out.push_back(encode_digit(q));
}

// encode("xn--", label); nullopt on Go's "invalid label" (delta overflow).
std::optional<std::string> punycode_label(std::string_view label) {
    std::vector<std::int32_t> runes = runes_of(label);
    std::string out = "xn--";
    std::int32_t b = 0;
    std::int32_t remaining = 0;
    for (std::int32_t r : runes) {
        if (r < 0x80) {
            ++b;
            out.push_back(static_cast<char>(r));
        } else {
            ++remaining;
        }
    }
    std::int32_t h = b;
    if (b > 0) {
        out.push_back('-');
    }
    std::int32_t delta = 0;
    std::int32_t n = kInitialN;
    std::int32_t bias = kInitialBias;
    while (remaining != 0) {
        std::int32_t m = 0x7fffffff;
        for (std::int32_t r : runes) {
            if (m > r && r >= n) {
                m = r;
            }
        }
        delta = wrap32(std::int64_t{delta} + std::int64_t{m - n} * (std::int64_t{h} + 1));
        if (delta < 0) {
            return std::nullopt;
        }
        n = m;
        for (std::int32_t r : runes) {
            if (r < n) {
                delta = wrap32(std::int64_t{delta} + 1);
                if (delta < 0) {
                    return std::nullopt;
                }
                continue;
            }
            if (r > n) {
                continue;
            }
            append_vli(out, delta, bias);
            bias = adapt(delta, h + 1, h == b);
            delta = 0;
            ++h;
            --remaining;
        }
        delta = wrap32(std::int64_t{delta} + 1);
        ++n;
    }
    return out;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// domainAndType with a nil PublicSuffixList: the cookie's domain and whether it is host-only, or
// nullopt for errIllegalDomain / errMalformedDomain.
std::optional<std::pair<std::string, bool>> domain_and_type(const std::string& host,
                                                            std::string_view domain) {
    if (domain.empty()) {
        return std::make_pair(host, true);
    }
    if (cookie_detail::is_ip(host)) {
        // An IP host accepts only its own address, and the cookie stays host-only.
        if (host != domain) {
            return std::nullopt;
        }
        return std::make_pair(host, true);
    }
    if (domain.front() == '.') {
        domain.remove_prefix(1);
    }
    if (domain.empty() || domain.front() == '.') {
        return std::nullopt;
    }
    auto lower = ascii_to_lower(domain);
    if (!lower || lower->back() == '.') {
        return std::nullopt;
    }
    if (host != *lower && !has_dot_suffix(host, *lower)) {
        return std::nullopt;
    }
    return std::make_pair(std::move(*lower), false);
}

// entry.pathMatch (RFC 6265 section 5.1.4).
bool path_match(std::string_view cookie_path, std::string_view request_path) {
    if (request_path == cookie_path) {
        return true;
    }
    if (request_path.substr(0, cookie_path.size()) == cookie_path && !cookie_path.empty()) {
        return cookie_path.back() == '/' || request_path[cookie_path.size()] == '/';
    }
    return false;
}

} // namespace

namespace cookie_detail {

std::optional<std::string> canonical_host(std::string_view host) {
    if (has_port(host)) {
        auto h = split_host_port(host);
        if (!h) {
            return std::nullopt;
        }
        host = *h;
    }
    if (!host.empty() && host.back() == '.') {
        host.remove_suffix(1);
    }
    auto encoded = to_ascii(host);
    if (!encoded) {
        return std::nullopt;
    }
    // Go drops ascii.ToLower's ok flag here: a host with a non-printable byte becomes "".
    return ascii_to_lower(*encoded).value_or(std::string());
}

std::string jar_key(std::string_view host) {
    if (is_ip(host)) {
        return std::string(host);
    }
    auto i = host.rfind('.');
    if (i == std::string_view::npos || i == 0) {
        return std::string(host);
    }
    auto prev_dot = host.substr(0, i - 1).rfind('.');
    return std::string(prev_dot == std::string_view::npos ? host : host.substr(prev_dot + 1));
}

bool is_ip(std::string_view host) {
    if (host.find_first_of(":%") != std::string_view::npos) {
        return true; // probable IPv6; treating it as an IP is the conservative choice
    }
    return parse_ipv4(host);
}

std::string default_path(std::string_view path) {
    if (path.empty() || path.front() != '/') {
        return "/";
    }
    auto i = path.rfind('/');
    if (i == 0) {
        return "/";
    }
    return std::string(path.substr(0, i));
}

std::optional<std::string> to_ascii(std::string_view host) {
    if (is_ascii(host)) {
        return std::string(host);
    }
    std::string out;
    std::size_t start = 0;
    while (true) {
        auto dot = host.find('.', start);
        std::string_view label =
            host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
        if (is_ascii(label)) {
            out += label;
        } else {
            auto encoded = punycode_label(label);
            if (!encoded) {
                return std::nullopt;
            }
            out += *encoded;
        }
        if (dot == std::string_view::npos) {
            return out;
        }
        out.push_back('.');
        start = dot + 1;
    }
}

} // namespace cookie_detail

// ---- CookieJar ----

bool CookieJar::after(const Instant& a, const Instant& b) {
    return a.sec > b.sec || (a.sec == b.sec && a.nsec > b.nsec);
}

CookieJar::Instant CookieJar::instant_of(std::int64_t unix_ns) {
    std::int64_t sec = unix_ns / kNsPerSec;
    std::int64_t nsec = unix_ns % kNsPerSec;
    if (nsec < 0) {
        --sec;
        nsec += kNsPerSec;
    }
    return {sec, static_cast<std::int32_t>(nsec)};
}

CookieJar::Group* CookieJar::find_group(std::string_view key) {
    auto it =
        std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.key == key; });
    return it == groups_.end() ? nullptr : &*it;
}

void CookieJar::drop_group_if_empty(std::string_view key) {
    auto it =
        std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.key == key; });
    if (it != groups_.end() && it->entries.empty()) {
        groups_.erase(it);
    }
    if (groups_.empty()) {
        std::vector<Group>().swap(groups_); // an empty jar holds no memory
    }
}

std::optional<CookieJar::Entry> CookieJar::new_entry(const SetCookie& c, const Instant& now,
                                                     const std::string& def_path,
                                                     const std::string& host, bool& remove) {
    auto domain = domain_and_type(host, c.domain);
    if (!domain) {
        return std::nullopt;
    }
    Entry e;
    e.name = c.name;
    e.path = (c.path.empty() || c.path.front() != '/') ? def_path : c.path;
    e.domain = std::move(domain->first);
    e.host_only = domain->second;
    remove = false;
    if (c.max_age < 0) {
        remove = true;
        return e;
    }
    if (c.max_age > 0) {
        // now.Add(time.Duration(MaxAge) * time.Second): the int64 product wraps as in Go.
        auto d = static_cast<std::int64_t>(static_cast<std::uint64_t>(c.max_age) *
                                           static_cast<std::uint64_t>(kNsPerSec));
        std::int64_t sec = now.sec + d / kNsPerSec;
        std::int64_t nsec = now.nsec + d % kNsPerSec;
        if (nsec >= kNsPerSec) {
            ++sec;
            nsec -= kNsPerSec;
        } else if (nsec < 0) {
            --sec;
            nsec += kNsPerSec;
        }
        e.expires = {sec, static_cast<std::int32_t>(nsec)};
        e.persistent = true;
    } else if (c.expires_unix_s && *c.expires_unix_s != kGoZeroTimeUnix) {
        e.expires = {*c.expires_unix_s, 0};
        e.persistent = true;
        if (!after(e.expires, now)) {
            remove = true;
            return e;
        }
    }
    e.value = c.value;
    e.quoted = c.quoted;
    e.secure = c.secure;
    return e;
}

void CookieJar::set_cookies(const JarUrl& url, const std::vector<SetCookie>& cookies,
                            std::int64_t now_unix_ns) {
    if (cookies.empty()) {
        return;
    }
    auto host = cookie_detail::canonical_host(url.host);
    if (!host) {
        return;
    }
    std::string key = cookie_detail::jar_key(*host);
    std::string def_path = cookie_detail::default_path(url.path);
    Instant now = instant_of(now_unix_ns);
    for (const SetCookie& c : cookies) {
        bool remove = false;
        auto e = new_entry(c, now, def_path, *host, remove);
        if (!e) {
            continue;
        }
        auto same_id = [&](const Entry& o) {
            return o.domain == e->domain && o.path == e->path && o.name == e->name;
        };
        Group* group = find_group(key);
        if (remove) {
            if (group != nullptr) {
                auto& es = group->entries;
                es.erase(std::remove_if(es.begin(), es.end(), same_id), es.end());
                drop_group_if_empty(key);
            }
            continue;
        }
        if (group == nullptr) {
            group = &groups_.emplace_back(Group{key, {}});
        }
        auto old = std::find_if(group->entries.begin(), group->entries.end(), same_id);
        if (old != group->entries.end()) {
            // An update keeps the creation time and the sequence number.
            e->creation_ns = old->creation_ns;
            e->seq = old->seq;
            *old = std::move(*e);
        } else {
            e->creation_ns = now_unix_ns;
            e->seq = next_seq_++;
            group->entries.push_back(std::move(*e));
        }
    }
}

std::vector<std::pair<std::string, std::string>> CookieJar::cookies(const JarUrl& url,
                                                                    std::int64_t now_unix_ns) {
    std::vector<std::pair<std::string, std::string>> out;
    auto host = cookie_detail::canonical_host(url.host);
    if (!host) {
        return out;
    }
    std::string key = cookie_detail::jar_key(*host);
    Group* group = find_group(key);
    if (group == nullptr) {
        return out;
    }
    std::string_view path = url.path.empty() ? std::string_view("/") : url.path;
    Instant now = instant_of(now_unix_ns);
    auto& es = group->entries;
    es.erase(std::remove_if(es.begin(), es.end(),
                            [&](const Entry& e) { return e.persistent && !after(e.expires, now); }),
             es.end());
    std::vector<const Entry*> selected;
    for (const Entry& e : es) {
        // shouldSend: domainMatch, pathMatch, and Secure only over https.
        bool domain_ok = e.domain == *host || (!e.host_only && has_dot_suffix(*host, e.domain));
        if (domain_ok && path_match(e.path, path) && (url.https || !e.secure)) {
            selected.push_back(&e);
        }
    }
    // Go orders by path (cmp.Compare(b.Path, a.Path)), then Creation, then seqNum. Every selected
    // path is a prefix of the request path, so the longer path sorts first, as RFC 6265 5.4 asks.
    std::sort(selected.begin(), selected.end(), [](const Entry* a, const Entry* b) {
        if (a->path != b->path) {
            return b->path < a->path;
        }
        if (a->creation_ns != b->creation_ns) {
            return a->creation_ns < b->creation_ns;
        }
        return a->seq < b->seq;
    });
    out.reserve(selected.size());
    for (const Entry* e : selected) {
        out.emplace_back(e->name, e->value);
    }
    drop_group_if_empty(key);
    return out;
}

void CookieJar::remove(const JarUrl& url, std::string_view name) {
    SetCookie c;
    c.name = std::string(name);
    c.max_age = -1;
    set_cookies(url, {c}, 0); // a negative MaxAge deletes without looking at the time
}

void CookieJar::clear_url(const JarUrl& url, std::int64_t now_unix_ns) {
    std::vector<SetCookie> expired;
    for (auto& [name, value] : cookies(url, now_unix_ns)) {
        SetCookie c;
        c.name = std::move(name);
        c.value = std::move(value);
        c.max_age = -1;
        expired.push_back(std::move(c));
    }
    set_cookies(url, expired, now_unix_ns);
}

void CookieJar::clear() {
    std::vector<Group>().swap(groups_);
    next_seq_ = 0;
}

std::vector<JarCookie> CookieJar::stored(std::int64_t now_unix_ns) const {
    std::vector<JarCookie> out;
    Instant now = instant_of(now_unix_ns);
    for (const Group& g : groups_) {
        for (const Entry& e : g.entries) {
            if (!e.persistent || after(e.expires, now)) {
                out.push_back({e.name, e.value, e.quoted});
            }
        }
    }
    return out;
}

} // namespace volley::net
