#pragma once

// ASCII helpers of HTTP text (header names, cookie attributes), as Go's net/http/internal/ascii
// and strings.TrimSpace-like trimming do them. Pure; any thread.

#include <optional>
#include <string>
#include <string_view>

namespace volley {

inline char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

// ascii.ToLower: the lower-cased string, or nullopt unless every byte is printable ASCII.
inline std::optional<std::string> ascii_to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c < ' ' || c > '~') {
            return std::nullopt;
        }
        c = ascii_lower(c);
    }
    return out;
}

inline bool ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

inline bool ascii_alnum(char c) {
    return ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Non-empty and all decimal digits.
inline bool all_digits(std::string_view s) {
    for (char c : s) {
        if (!ascii_digit(c)) {
            return false;
        }
    }
    return !s.empty();
}

// A word whose first byte is a letter or one of `extra`, and the rest letters, digits or `extra`
// ("_" gives C's identifiers, "_$" JavaScript's ASCII ones). Used instead of std::regex, whose
// matcher recurses once per byte and overflows the stack on input of some thousands of bytes.
inline bool ascii_word(std::string_view s, std::string_view extra) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool ok = ascii_alnum(s[i]) || extra.find(s[i]) != std::string_view::npos;
        if (!ok || (i == 0 && ascii_digit(s[i]))) {
            return false;
        }
    }
    return !s.empty();
}

// `s` without leading and trailing spaces and tabs (HTTP's optional whitespace).
inline std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace volley
