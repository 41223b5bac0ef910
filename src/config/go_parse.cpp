#include "config/go_parse.hpp"

#include <array>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

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

namespace {

char lower(char c) {
    return static_cast<char>(c | ('x' - 'X'));
}

// strconv's underscoreOK: in base 0, underscores only between digits (or after the prefix).
bool underscores_ok(std::string_view s) {
    char saw = '^';
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        s.remove_prefix(1);
    }
    std::size_t i = 0;
    bool hex = false;
    if (s.size() >= 2 && s[0] == '0' &&
        (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
        i = 2;
        saw = '0';
        hex = lower(s[1]) == 'x';
    }
    for (; i < s.size(); ++i) {
        if (is_digit(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
            saw = '0';
        } else if (s[i] == '_') {
            if (saw != '0') {
                return false;
            }
            saw = '_';
        } else {
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
    }
    return saw != '_';
}

// strconv.ParseUint's loop over `s` (no sign) in `base` (0: from the prefix).
enum class Parsed { kOk, kSyntax, kRange };
Parsed parse_uint(std::string_view s, int base, std::uint64_t& n) {
    bool base0 = base == 0;
    if (s.empty()) {
        return Parsed::kSyntax;
    }
    if (base0) {
        base = 10;
        if (s[0] == '0') {
            char p = s.size() >= 3 ? lower(s[1]) : '\0';
            base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
            s.remove_prefix(p == 'b' || p == 'o' || p == 'x' ? 2 : 1);
        }
    }
    const std::uint64_t cutoff = std::numeric_limits<std::uint64_t>::max() / base + 1;
    n = 0;
    for (char c : s) {
        int d = 0;
        if (c == '_' && base0) {
            continue; // checked as a whole by underscores_ok()
        }
        if (is_digit(c)) {
            d = c - '0';
        } else if (lower(c) >= 'a' && lower(c) <= 'z') {
            d = lower(c) - 'a' + 10;
        } else {
            return Parsed::kSyntax;
        }
        if (d >= base) {
            return Parsed::kSyntax;
        }
        if (n >= cutoff) {
            return Parsed::kRange;
        }
        std::uint64_t next = n * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
        if (next < n * static_cast<std::uint64_t>(base)) {
            return Parsed::kRange;
        }
        n = next;
    }
    return Parsed::kOk;
}

} // namespace

std::string go_parse_int(std::string_view text, int base, std::int64_t* value) {
    std::string_view s = text;
    std::string head = "strconv.ParseInt: parsing " + go_quote(text) + ": ";
    bool neg = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        neg = s.front() == '-';
        s.remove_prefix(1);
    }
    std::uint64_t n = 0;
    Parsed p = parse_uint(s, base, n);
    if (p == Parsed::kOk && base == 0 && s.find('_') != std::string_view::npos &&
        !underscores_ok(text)) {
        p = Parsed::kSyntax;
    }
    if (p == Parsed::kOk && n > (neg ? kLimit : kLimit - 1)) {
        p = Parsed::kRange;
    }
    if (p != Parsed::kOk) {
        return head + (p == Parsed::kSyntax ? "invalid syntax" : "value out of range");
    }
    if (value != nullptr) {
        *value = neg ? static_cast<std::int64_t>(0 - n) : static_cast<std::int64_t>(n);
    }
    return "";
}

NullBool parse_null_bool(std::string_view text) {
    if (text.empty() || text == "null") {
        return NullBool::kUnset;
    }
    if (text == "true" || text == "false") {
        return text == "true" ? NullBool::kTrue : NullBool::kFalse;
    }
    return NullBool::kInvalid;
}

std::string null_bool_env_error(std::string_view var, std::string_view field,
                                std::string_view value) {
    return fmt::format("envconfig.Process: assigning {} to {}: converting '{}' to type null.Bool. "
                       "details: invalid input:{}",
                       var, field, value, value);
}

std::optional<bool> go_parse_bool(std::string_view text) {
    for (std::string_view yes : {"1", "t", "T", "TRUE", "true", "True"}) {
        if (text == yes) {
            return true;
        }
    }
    for (std::string_view no : {"0", "f", "F", "FALSE", "false", "False"}) {
        if (text == no) {
            return false;
        }
    }
    return std::nullopt;
}

} // namespace volley::config
