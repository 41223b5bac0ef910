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
