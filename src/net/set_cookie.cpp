#include "net/set_cookie.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "util/ascii.hpp"

namespace volley::net {
namespace {

// ---- net/textproto, net/http/internal/ascii, httpguts ----

// textproto.isASCIISpace.
bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// textproto.TrimString.
std::string_view trim_string(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_ascii_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// httpguts.IsTokenRune for a byte (RFC 7230 tchar); bytes >= 0x80 are never token characters.
bool is_token_byte(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// isCookieNameValid (isToken in later Go): non-empty and all token characters.
bool is_cookie_name_valid(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), is_token_byte);
}

// validCookieValueByte.
bool valid_cookie_value_byte(char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != ';' && c != '\\';
}

struct CookieValue {
    std::string_view value;
    bool quoted = false;
};

// parseCookieValue: strips one pair of surrounding double quotes when allowed, then requires every
// byte to be a valid cookie-value byte.
std::optional<CookieValue> parse_cookie_value(std::string_view raw, bool allow_double_quote) {
    CookieValue out;
    if (allow_double_quote && raw.size() > 1 && raw.front() == '"' && raw.back() == '"') {
        raw = raw.substr(1, raw.size() - 2);
        out.quoted = true;
    }
    if (!std::all_of(raw.begin(), raw.end(), valid_cookie_value_byte)) {
        return std::nullopt;
    }
    out.value = raw;
    return out;
}

// strings.Cut.
std::pair<std::string_view, std::optional<std::string_view>> cut(std::string_view s, char sep) {
    auto i = s.find(sep);
    if (i == std::string_view::npos) {
        return {s, std::nullopt};
    }
    return {s.substr(0, i), s.substr(i + 1)};
}

// strconv.Atoi on a 64-bit platform: optional sign, decimal digits, no overflow.
std::optional<std::int64_t> go_atoi(std::string_view s) {
    bool neg = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        neg = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return std::nullopt;
    }
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        return std::nullopt;
    }
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (neg) {
        if (n > kMax + 1) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(0 - n); // two's complement, defined since C++20
    }
    if (n > kMax) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(n);
}

// ---- time.Parse for the two layouts Go's cookie code uses ----

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Go's calendar).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    std::int64_t yoe = y - era * 400;
    std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int days_in(int month, std::int64_t year) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return (month == 2 && leap) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// A cursor over the value being parsed, with Go's parse helpers (format.go).
struct TimeReader {
    std::string_view v;
    bool ok = true;

    bool digit(std::size_t i) const { return i < v.size() && v[i] >= '0' && v[i] <= '9'; }

    // getnum: one or two digits; exactly two when fixed.
    int num(bool fixed) {
        if (!ok || !digit(0)) {
            ok = false;
            return 0;
        }
        if (!digit(1)) {
            if (fixed) {
                ok = false;
                return 0;
            }
            int n = v[0] - '0';
            v.remove_prefix(1);
            return n;
        }
        int n = (v[0] - '0') * 10 + (v[1] - '0');
        v.remove_prefix(2);
        return n;
    }

    // skip: a layout space matches one or more spaces (or the end); other bytes match exactly.
    void literal(std::string_view prefix) {
        for (char p : prefix) {
            if (!ok) {
                return;
            }
            if (p == ' ') {
                if (!v.empty() && v[0] != ' ') {
                    ok = false;
                    return;
                }
                while (!v.empty() && v[0] == ' ') {
                    v.remove_prefix(1);
                }
            } else if (v.empty() || v[0] != p) {
                ok = false;
            } else {
                v.remove_prefix(1);
            }
        }
    }

    // lookup: the index of the table entry that prefixes v, ASCII case-insensitively.
    int lookup(const std::array<std::string_view, 12>& tab, std::size_t count) {
        for (std::size_t i = 0; ok && i < count; ++i) {
            std::string_view name = tab[i];
            if (v.size() >= name.size() &&
                std::equal(name.begin(), name.end(), v.begin(),
                           [](char a, char b) { return ascii_lower(a) == ascii_lower(b); })) {
                v.remove_prefix(name.size());
                return static_cast<int>(i);
            }
        }
        ok = false;
        return -1;
    }
};

constexpr std::array<std::string_view, 12> kDayNames = {"Sun", "Mon", "Tue", "Wed",
                                                        "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// parseSignedOffset: the length of "+hh" / "-hh" (hours up to 23) at the start of v, or 0.
std::size_t signed_offset_length(std::string_view v) {
    if (v.empty() || (v[0] != '+' && v[0] != '-')) {
        return 0;
    }
    std::size_t n = 1;
    std::uint64_t x = 0;
    while (n < v.size() && v[n] >= '0' && v[n] <= '9') {
        x = x * 10 + static_cast<std::uint64_t>(v[n] - '0');
        if (x > (std::uint64_t{1} << 62)) {
            return 0; // leadingInt overflow
        }
        ++n;
    }
    return (n == 1 || x > 23) ? 0 : n;
}

// parseTimeZone (plus the "UTC" shortcut of stdTZ): the length of the zone name at the start of
// v, or 0 when Go rejects it.
std::size_t zone_length(std::string_view v) {
    if (v.substr(0, 3) == "UTC") {
        return 3;
    }
    if (v.size() < 3) {
        return 0;
    }
    if (v.substr(0, 4) == "ChST" || v.substr(0, 4) == "MeST") {
        return 4;
    }
    if (v.substr(0, 3) == "GMT") {
        return 3 + signed_offset_length(v.substr(3));
    }
    if (v[0] == '+' || v[0] == '-') {
        return signed_offset_length(v);
    }
    std::size_t upper = 0;
    while (upper < 6 && upper < v.size() && v[upper] >= 'A' && v[upper] <= 'Z') {
        ++upper;
    }
    switch (upper) {
    case 3:
        return 3;
    case 4:
        return (v[3] == 'T' || v.substr(0, 4) == "WITA") ? 4 : 0;
    case 5:
        return v[4] == 'T' ? 5 : 0;
    default:
        return 0;
    }
}

// time.Parse with "Mon, 02 Jan 2006 15:04:05 MST" (sep ' ', time.RFC1123) or
// "Mon, 02-Jan-2006 15:04:05 MST" (sep '-'), as seconds since the epoch. The weekday is read and
// not checked; fractional seconds after the seconds are accepted and dropped.
std::optional<std::int64_t> parse_go_time(std::string_view value, char sep) {
    TimeReader r{value};
    r.lookup(kDayNames, 7);
    r.literal(", ");
    int day = r.num(true);
    r.literal(std::string_view(&sep, 1));
    int month = r.lookup(kMonthNames, 12) + 1;
    r.literal(std::string_view(&sep, 1));
    if (!r.ok || !r.digit(0) || !r.digit(1) || !r.digit(2) || !r.digit(3)) {
        return std::nullopt;
    }
    std::int64_t year =
        (r.v[0] - '0') * 1000 + (r.v[1] - '0') * 100 + (r.v[2] - '0') * 10 + (r.v[3] - '0');
    r.v.remove_prefix(4);
    r.literal(" ");
    int hour = r.num(false);
    r.literal(":");
    int min = r.num(true);
    r.literal(":");
    int sec = r.num(true);
    if (!r.ok || hour >= 24 || min >= 60 || sec >= 60) {
        return std::nullopt;
    }
    if (r.v.size() >= 2 && (r.v[0] == '.' || r.v[0] == ',') && r.digit(1)) {
        std::size_t n = 2;
        while (r.digit(n)) {
            ++n;
        }
        r.v.remove_prefix(n);
    }
    r.literal(" ");
    std::size_t zone = r.ok ? zone_length(r.v) : 0;
    if (zone == 0 || zone != r.v.size() || day < 1 || day > days_in(month, year)) {
        return std::nullopt;
    }
    std::int64_t seconds_of_day = (hour * 3600) + (min * 60) + sec;
    return days_from_civil(year, month, day) * 86400 + seconds_of_day;
}

// The Expires attribute as ParseSetCookie reads it: time.RFC1123, else the dashed variant.
std::optional<std::int64_t> parse_expires(std::string_view value) {
    if (auto t = parse_go_time(value, ' ')) {
        return t;
    }
    return parse_go_time(value, '-');
}

// ---- ParseSetCookie attributes ----

std::string same_site_of(std::string_view val) {
    auto lower = ascii_to_lower(val);
    if (lower == "lax") {
        return "Lax";
    }
    if (lower == "strict") {
        return "Strict";
    }
    if (lower == "none") {
        return "None";
    }
    return "Default";
}

// One attribute of ParseSetCookie's loop. Where Go breaks out of the switch (a malformed Max-Age,
// an unparsable Expires, an unknown name) the attribute lands in Unparsed, which is not kept here.
void apply_attribute(SetCookie& c, std::string_view attr, std::string_view val) {
    if (attr == "samesite") {
        c.same_site = same_site_of(val);
    } else if (attr == "secure") {
        c.secure = true;
    } else if (attr == "httponly") {
        c.http_only = true;
    } else if (attr == "domain") {
        c.domain = std::string(val);
    } else if (attr == "max-age") {
        auto secs = go_atoi(val);
        if (secs && (*secs == 0 || val[0] != '0')) {
            c.max_age = *secs <= 0 ? -1 : *secs;
        }
    } else if (attr == "expires") {
        c.raw_expires = std::string(val);
        c.expires_unix_s = parse_expires(val); // a failed parse resets Expires, as in Go
    } else if (attr == "path") {
        c.path = std::string(val);
    } else if (attr == "partitioned") {
        c.partitioned = true;
    }
}

// sanitizeOrWarn(validCookieValueByte) then the quoting of sanitizeCookieValue(v, false).
std::string sanitize_cookie_value(std::string_view v) {
    std::string out;
    out.reserve(v.size() + 2);
    for (char c : v) {
        if (valid_cookie_value_byte(c)) {
            out.push_back(c);
        }
    }
    if (out.find_first_of(" ,") != std::string::npos) {
        out.insert(out.begin(), '"');
        out.push_back('"');
    }
    return out;
}

} // namespace

std::optional<SetCookie> parse_set_cookie(std::string_view header_value) {
    std::string_view line = trim_string(header_value);
    auto semi = line.find(';');
    std::string_view first = trim_string(line.substr(0, semi));
    if (semi == std::string_view::npos && first.empty()) {
        return std::nullopt; // errBlankCookie
    }
    auto [raw_name, raw_value] = cut(first, '=');
    std::string_view name = trim_string(raw_name);
    if (!raw_value || !is_cookie_name_valid(name)) {
        return std::nullopt;
    }
    auto value = parse_cookie_value(*raw_value, true);
    if (!value) {
        return std::nullopt;
    }
    SetCookie c;
    c.name = std::string(name);
    c.value = std::string(value->value);
    c.quoted = value->quoted;
    std::string_view rest = semi == std::string_view::npos ? "" : line.substr(semi + 1);
    while (semi != std::string_view::npos) {
        semi = rest.find(';');
        std::string_view part = trim_string(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? "" : rest.substr(semi + 1);
        if (part.empty()) {
            continue;
        }
        auto [attr, val] = cut(part, '=');
        auto lower_attr = ascii_to_lower(attr);
        if (!lower_attr) {
            continue; // a name that is not printable ASCII is dropped, not even Unparsed
        }
        auto parsed = parse_cookie_value(val.value_or(""), false);
        if (parsed) {
            apply_attribute(c, *lower_attr, parsed->value);
        }
    }
    return c;
}

std::optional<std::int64_t> parse_rfc1123_time(std::string_view s) {
    return parse_go_time(s, ' ');
}

std::string cookie_header(const std::vector<std::pair<std::string, std::string>>& cookies) {
    std::string out;
    for (const auto& [name, value] : cookies) {
        if (!out.empty()) {
            out += "; ";
        }
        for (char c : name) {
            out.push_back((c == '\n' || c == '\r') ? '-' : c);
        }
        out.push_back('=');
        out += sanitize_cookie_value(value);
    }
    return out;
}

} // namespace volley::net
