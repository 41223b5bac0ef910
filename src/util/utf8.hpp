#pragma once

// UTF-8 decoding as Go does it (utf8.DecodeRuneInString): overlong forms, surrogates and code
// points above U+10FFFF are invalid. Pure; any thread.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace volley {

// Decodes the sequence at s[i] (i < s.size()) into `cp`; returns its length in bytes, or 0 when
// the bytes there are not valid UTF-8.
inline std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xe  ? 3
                      : (c >> 3) == 0x1e ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) {
        return 0;
    }
    cp = len == 1 ? c : c & (0x7fu >> len);
    for (std::size_t k = 1; k < len; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

// True if all of `s` is valid UTF-8.
inline bool is_valid_utf8(std::string_view s) {
    std::uint32_t cp = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = decode_utf8(s, i, cp);
        if (len == 0) {
            return false;
        }
        i += len;
    }
    return true;
}

} // namespace volley
