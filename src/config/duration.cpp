#include "config/duration.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace volley::config {
namespace {

constexpr std::uint64_t kMaxMagnitude = std::uint64_t{1} << 63;

const char* const kHint = R"(use a number with a unit, e.g. "500ms", "30s", "1m30s", "2h" or "1d")";

DurationError invalid(std::string_view text, std::string_view why) {
    return DurationError{fmt::format("invalid duration \"{}\": {}", text, why), kHint};
}

std::optional<std::uint64_t> unit_ns(std::string_view unit) {
    if (unit == "ns") {
        return 1;
    }
    if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") { // us, µs (U+00B5), μs
        return 1'000;
    }
    if (unit == "ms") {
        return 1'000'000;
    }
    if (unit == "s") {
        return 1'000'000'000;
    }
    if (unit == "m") {
        return 60'000'000'000;
    }
    if (unit == "h") {
        return 3'600'000'000'000;
    }
    if (unit == "d") {
        return 86'400'000'000'000;
    }
    return std::nullopt;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// One `<number>[.<fraction>]<unit>` part, as Go's time.ParseDuration reads it. Advances `s`.
boost::system::result<std::uint64_t, DurationError> parse_part(std::string_view text,
                                                               std::string_view& s) {
    if (!(s.front() == '.' || is_digit(s.front()))) {
        return invalid(text, "expected a number");
    }
    std::uint64_t whole = 0;
    std::size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
        if (whole > (kMaxMagnitude - 1) / 10) {
            return invalid(text, "value out of range");
        }
        whole = whole * 10 + static_cast<std::uint64_t>(s[i] - '0');
    }
    bool has_whole = i > 0;
    std::uint64_t frac = 0;
    double scale = 1;
    bool has_frac = false;
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && is_digit(s[i]); ++i) {
            has_frac = true;
            if (frac <= (kMaxMagnitude - 1) / 10) { // extra digits beyond precision are dropped
                frac = frac * 10 + static_cast<std::uint64_t>(s[i] - '0');
                scale *= 10;
            }
        }
    }
    if (!has_whole && !has_frac) {
        return invalid(text, "expected a number");
    }
    std::size_t unit_start = i;
    while (i < s.size() && s[i] != '.' && !is_digit(s[i])) {
        ++i;
    }
    std::string_view unit = s.substr(unit_start, i - unit_start);
    s.remove_prefix(i);
    if (unit.empty()) {
        return invalid(text, "missing unit");
    }
    auto ns = unit_ns(unit);
    if (!ns) {
        return invalid(text, fmt::format("unknown unit \"{}\"", unit));
    }
    if (whole > kMaxMagnitude / *ns) {
        return invalid(text, "value out of range");
    }
    std::uint64_t v = whole * *ns;
    if (frac > 0) {
        v += static_cast<std::uint64_t>(static_cast<double>(frac) *
                                        (static_cast<double>(*ns) / scale));
        if (v > kMaxMagnitude) {
            return invalid(text, "value out of range");
        }
    }
    return v;
}

// A plain decimal number ("10", "1.5", ".5"): what strconv.ParseFloat reads in k6's
// ParseExtendedDuration, short of exponents and the special values.
bool plain_number(std::string_view s) {
    bool digits = false;
    bool dot = false;
    for (char c : s) {
        if (c == '.' && !dot) {
            dot = true;
        } else if (is_digit(c)) {
            digits = true;
        } else {
            return false;
        }
    }
    return digits;
}

// Go's fmtFrac: `v` has `prec` decimal digits of fraction; prints them without trailing zeros.
std::string fraction(std::uint64_t& v, int prec) {
    std::string digits;
    bool printing = false;
    for (int i = 0; i < prec; ++i) {
        auto digit = static_cast<char>('0' + v % 10);
        printing = printing || digit != '0';
        if (printing) {
            digits.insert(digits.begin(), digit);
        }
        v /= 10;
    }
    return printing ? "." + digits : std::string();
}

} // namespace

boost::system::result<Duration, DurationError> parse_duration(std::string_view text) {
    std::string_view s = text;
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s == "0") {
        return Duration{0};
    }
    if (s.empty()) {
        return invalid(text, "empty value");
    }
    if (plain_number(s)) { // k6's ParseExtendedDuration: a plain number means milliseconds
        auto parsed = parse_duration(fmt::format("{}ms", text));
        if (!parsed) {
            return invalid(text, "value out of range");
        }
        return parsed;
    }
    std::uint64_t total = 0;
    while (!s.empty()) {
        auto part = parse_part(text, s);
        if (!part) {
            return part.error();
        }
        total += *part;
        if (total > kMaxMagnitude) {
            return invalid(text, "value out of range");
        }
    }
    if (negative) {
        return Duration{static_cast<std::int64_t>(0 - total)};
    }
    if (total > kMaxMagnitude - 1) {
        return invalid(text, "value out of range");
    }
    return Duration{static_cast<std::int64_t>(total)};
}

boost::system::result<Duration, DurationError> duration_from_json(const boost::json::value& value) {
    if (value.is_string()) {
        const auto& s = value.get_string();
        return parse_duration(std::string_view(s.data(), s.size()));
    }
    if (value.is_number()) {
        double ms = value.to_number<double>();
        double ns = std::round(ms * 1e6);
        if (!std::isfinite(ns) || std::fabs(ns) >= 9.2e18) {
            return invalid(boost::json::serialize(value), "value out of range");
        }
        return Duration{static_cast<std::int64_t>(ns)};
    }
    return DurationError{
        fmt::format("invalid duration {}: expected a string or a number of milliseconds",
                    boost::json::serialize(value)),
        kHint};
}

std::string format_duration(Duration d) {
    std::int64_t n = d.count();
    if (n == 0) {
        return "0s";
    }
    std::string sign = n < 0 ? "-" : "";
    std::uint64_t u = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
    if (u < 1'000'000'000) {
        if (u < 1'000) {
            return fmt::format("{}{}ns", sign, u);
        }
        int prec = u < 1'000'000 ? 3 : 6;
        const char* unit = u < 1'000'000 ? "\xC2\xB5s" : "ms";
        std::string frac = fraction(u, prec);
        return fmt::format("{}{}{}{}", sign, u, frac, unit);
    }
    std::string frac = fraction(u, 9); // u is now whole seconds
    std::string out = fmt::format("{}{}s", u % 60, frac);
    u /= 60;
    if (u > 0) {
        out = fmt::format("{}m{}", u % 60, out);
        u /= 60;
        if (u > 0) {
            out = fmt::format("{}h{}", u, out);
        }
    }
    return sign + out;
}

} // namespace volley::config
