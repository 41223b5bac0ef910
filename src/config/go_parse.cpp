#include "config/go_parse.hpp"

#include <array>
#include <cstdint>
#include <limits>

#include "util/go_quote.hpp"

namespace volley::config {
namespace {

constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;

struct Unit {
    std::string_view name;
    std::uint64_t ns;
};
constexpr std::array<Unit, 8> kUnits{{{"ns", 1},
                                      {"us", 1000},
                                      {"\u00b5s", 1000},
                                      {"\u03bcs", 1000},
                                      {"ms", 1000000},
                                      {"s", 1000000000},
                                      {"m", 60000000000},
                                      {"h", 3600000000000}}};

// The time package's own quote: every byte outside printable ASCII as \xNN, `"` and `\`
// escaped (not strconv.Quote).
std::string time_quote(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : s) {
        auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b >= 0x80) {
            out += "\\x";
            out += kHex[b >> 4];
            out += kHex[b & 0xf];
            continue;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Go's leadingInt: false on overflow.
bool leading_int(std::string_view& s, std::uint64_t& v) {
    v = 0;
    while (!s.empty() && is_digit(s.front())) {
        if (v > kLimit / 10) {
            return false;
        }
        v = v * 10 + static_cast<std::uint64_t>(s.front() - '0');
        if (v > kLimit) {
            return false;
        }
        s.remove_prefix(1);
    }
    return true;
}

// Go's leadingFraction: digits after the point, as f / scale (extra digits only scale).
void leading_fraction(std::string_view& s, std::uint64_t& f, double& scale) {
    bool overflow = false;
    f = 0;
    scale = 1;
    while (!s.empty() && is_digit(s.front())) {
        if (!overflow) {
            if (f > (kLimit - 1) / 10) {
                overflow = true;
            } else {
                f = f * 10 + static_cast<std::uint64_t>(s.front() - '0');
                scale *= 10;
            }
        }
        s.remove_prefix(1);
    }
}

// One `<number><unit>` part; "" or the error text.
std::string parse_part(std::string_view& s, std::uint64_t& total, const std::string& invalid,
                       std::string_view orig) {
    if (!(s.front() == '.' || is_digit(s.front()))) {
        return invalid;
    }
    std::uint64_t v = 0;
    std::size_t before = s.size();
    if (!leading_int(s, v)) {
        return invalid;
    }
    bool pre = before != s.size();
    bool post = false;
    std::uint64_t f = 0;
    double scale = 1;
    if (!s.empty() && s.front() == '.') {
        s.remove_prefix(1);
        std::size_t at = s.size();
        leading_fraction(s, f, scale);
        post = at != s.size();
    }
    if (!pre && !post) {
        return invalid;
    }
    std::size_t i = 0;
    while (i < s.size() && s[i] != '.' && !is_digit(s[i])) {
        ++i;
    }
    if (i == 0) {
        return "time: missing unit in duration " + time_quote(orig);
    }
    std::string_view unit = s.substr(0, i);
    s.remove_prefix(i);
    const Unit* u = nullptr;
    for (const auto& candidate : kUnits) {
        u = candidate.name == unit ? &candidate : u;
    }
    if (u == nullptr) {
        return "time: unknown unit " + time_quote(unit) + " in duration " + time_quote(orig);
    }
    if (v > kLimit / u->ns) {
        return invalid;
    }
    v *= u->ns;
    if (f > 0) {
        v += static_cast<std::uint64_t>(static_cast<double>(f) *
                                        (static_cast<double>(u->ns) / scale));
        if (v > kLimit) {
            return invalid;
        }
    }
    total += v;
    return total > kLimit ? invalid : "";
}

} // namespace

std::string go_parse_duration_error(std::string_view text) {
    std::string_view s = text;
    std::string invalid = "time: invalid duration " + time_quote(text);
    bool neg = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        neg = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s == "0") {
        return "";
    }
    if (s.empty()) {
        return invalid;
    }
    std::uint64_t total = 0;
    while (!s.empty()) {
        if (auto e = parse_part(s, total, invalid, text); !e.empty()) {
            return e;
        }
    }
    return !neg && total > kLimit - 1 ? invalid : "";
}

std::string go_parse_int_error(std::string_view text) {
    std::string_view s = text;
    std::string head = "strconv.ParseInt: parsing " + go_quote(text) + ": ";
    bool neg = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        neg = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return head + "invalid syntax";
    }
    // strconv.ParseUint's loop: a bad character is a syntax error, overflow a range error, each
    // at the first character that shows it.
    constexpr std::uint64_t kCutoff = std::numeric_limits<std::uint64_t>::max() / 10 + 1;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!is_digit(c)) {
            return head + "invalid syntax";
        }
        std::uint64_t next = v * 10 + static_cast<std::uint64_t>(c - '0');
        if (v >= kCutoff || next < v * 10) {
            return head + "value out of range";
        }
        v = next;
    }
    return v > (neg ? kLimit : kLimit - 1) ? head + "value out of range" : "";
}

} // namespace volley::config
