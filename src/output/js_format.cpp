#include "output/js_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace volley::output {
namespace {

// Shortest round-trip digits and decimal exponent n such that x = 0.d1d2... × 10^n.
void shortest_digits(double x, std::string& digits, int& n) {
    std::array<char, 64> buf{};
    auto res = std::to_chars(buf.data(), buf.data() + buf.size(), x, std::chars_format::scientific);
    std::string_view s(buf.data(), static_cast<std::size_t>(res.ptr - buf.data()));
    auto e = s.find('e');
    digits.clear();
    for (char c : s.substr(0, e)) {
        if (c != '.') {
            digits += c;
        }
    }
    n = std::atoi(std::string(s.substr(e + 1)).c_str()) + 1;
}

std::string exponent_form(const std::string& digits, int n) {
    std::string out(1, digits[0]);
    if (digits.size() > 1) {
        out += '.' + digits.substr(1);
    }
    int e = n - 1;
    return out + 'e' + (e >= 0 ? "+" : "-") + std::to_string(std::abs(e));
}

} // namespace

std::string js_number_to_string(double x) {
    if (std::isnan(x)) {
        return "NaN";
    }
    if (x == 0) {
        return "0";
    }
    if (std::isinf(x)) {
        return x > 0 ? "Infinity" : "-Infinity";
    }
    if (x < 0) {
        return "-" + js_number_to_string(-x);
    }
    std::string digits;
    int n = 0;
    shortest_digits(x, digits, n);
    int k = static_cast<int>(digits.size());
    if (k <= n && n <= 21) {
        return digits + std::string(static_cast<std::size_t>(n - k), '0');
    }
    if (0 < n && n <= 21) {
        return digits.substr(0, static_cast<std::size_t>(n)) + '.' +
               digits.substr(static_cast<std::size_t>(n));
    }
    if (-6 < n && n <= 0) {
        return "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
    }
    return exponent_form(digits, n);
}

std::string js_to_fixed(double x, int digits) {
    if (std::isnan(x)) {
        return "NaN";
    }
    if (x < 0) {
        std::string s = js_to_fixed(-x, digits);
        // JS keeps the sign even when the rounded value is zero ("-0.00").
        return "-" + s;
    }
    // printf rounds exact ties to even; toFixed picks the larger candidate. A tie has a
    // terminating expansion, so 25 extra digits are enough to see it.
    std::string wide = fmt::format("{:.{}f}", x, digits + 25);
    auto dot = wide.find('.');
    std::string tail = wide.substr(dot + 1 + static_cast<std::size_t>(digits));
    bool tie = tail[0] == '5' && tail.find_first_not_of('0', 1) == std::string::npos;
    double v = tie ? std::nextafter(x, HUGE_VAL) : x;
    return fmt::format("{:.{}f}", v, digits);
}

std::string to_fixed_no_trailing_zeros(double x, int digits) {
    // parseFloat(x.toFixed(digits)).toString()
    return js_number_to_string(std::strtod(js_to_fixed(x, digits).c_str(), nullptr));
}

std::string humanize_rate(double fraction) {
    return js_to_fixed(std::trunc(fraction * 100 * 100) / 100, 2) + "%";
}

std::string humanize_bytes(double bytes) {
    static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    if (bytes < 10) {
        return js_number_to_string(bytes) + " B";
    }
    double e = std::floor(std::log(bytes) / std::log(1000.0));
    double val = std::floor((bytes / std::pow(1000.0, e)) * 10 + 0.5) / 10;
    auto index = static_cast<std::size_t>(std::min(e, 8.0));
    return js_to_fixed(val, val < 10 ? 1 : 0) + " " + kUnits[index];
}

namespace {

std::string trunc_no_trailing_zeros(double val, int prec) {
    double mult = std::pow(10.0, prec);
    return to_fixed_no_trailing_zeros(std::trunc(mult * val) / mult, prec);
}

std::string humanize_generic_duration(double d) {
    if (d == 0) {
        return "0s";
    }
    if (d < 0.001) {
        return js_number_to_string(std::trunc(d * 1000000)) + "ns";
    }
    if (d < 1) {
        return trunc_no_trailing_zeros(d * 1000, 2) + "µs";
    }
    if (d < 1000) {
        return trunc_no_trailing_zeros(d, 2) + "ms";
    }
    std::string fixed =
        trunc_no_trailing_zeros(std::fmod(d, 60000) / 1000, d > 60000 ? 0 : 2) + "s";
    double rem = std::trunc(d / 60000);
    if (rem < 1) {
        return fixed;
    }
    fixed = js_number_to_string(std::fmod(rem, 60)) + "m" + fixed;
    rem = std::trunc(rem / 60);
    if (rem < 1) {
        return fixed;
    }
    return js_number_to_string(rem) + "h" + fixed;
}

} // namespace

std::string humanize_duration(double ms, std::string_view time_unit) {
    if (time_unit == "s") {
        return js_to_fixed(ms * 0.001, 2) + "s";
    }
    if (time_unit == "ms") {
        return js_to_fixed(ms * 1, 2) + "ms";
    }
    if (time_unit == "us") {
        return js_to_fixed(ms * 1000, 2) + "µs";
    }
    return humanize_generic_duration(ms);
}

std::string humanize_value(double v, bool is_rate, std::string_view contains,
                           std::string_view time_unit) {
    if (is_rate) {
        return humanize_rate(v);
    }
    if (contains == "data") {
        return humanize_bytes(v);
    }
    if (contains == "time") {
        return humanize_duration(v, time_unit);
    }
    return to_fixed_no_trailing_zeros(v, 6);
}

std::size_t str_width(std::string_view s) {
    std::size_t width = 0;
    bool esc = false;
    bool long_esc = false;
    for (unsigned char c : s) {
        if ((c & 0xC0) == 0x80) {
            continue; // UTF-8 continuation byte: not a new code point
        }
        if (c == 0x1b) {
            esc = true;
        } else if (esc && !long_esc && c == '[') {
            long_esc = true;
        } else if (esc && long_esc && c >= 0x40 && c <= 0x7e) {
            esc = long_esc = false;
        } else if (esc && !long_esc && c >= 0x40 && c <= 0x5f) {
            esc = false;
        } else if (!esc) {
            ++width;
        }
    }
    return width;
}

namespace {

// Primary weight in the root collation (CLDR): punctuation, symbols, digits, letters.
int primary_weight(unsigned char c) {
    static const std::string_view kPunct = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
    if (c >= '0' && c <= '9') {
        return 200 + (c - '0');
    }
    if (c >= 'a' && c <= 'z') {
        return 300 + (c - 'a');
    }
    if (c >= 'A' && c <= 'Z') {
        return 300 + (c - 'A');
    }
    auto pos = kPunct.find(static_cast<char>(c));
    if (c == ' ') {
        return 1;
    }
    return pos != std::string_view::npos ? 10 + static_cast<int>(pos) : 1000 + c;
}

} // namespace

int locale_compare(std::string_view a, std::string_view b) {
    std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        int wa = primary_weight(static_cast<unsigned char>(a[i]));
        int wb = primary_weight(static_cast<unsigned char>(b[i]));
        if (wa != wb) {
            return wa < wb ? -1 : 1;
        }
    }
    if (a.size() != b.size()) {
        return a.size() < b.size() ? -1 : 1;
    }
    for (std::size_t i = 0; i < n; ++i) { // tertiary: lower case first
        bool la = a[i] >= 'a' && a[i] <= 'z';
        bool lb = b[i] >= 'a' && b[i] <= 'z';
        if (a[i] != b[i] && la != lb) {
            return la ? -1 : 1;
        }
    }
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

} // namespace volley::output
