#include "util/go_quote.hpp"

#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "util/ascii.hpp"
#include "util/utf8.hpp"

namespace volley {
namespace {

// Go's strconv.IsPrint for the non-ASCII code points that matter in practice.
bool is_printable(std::uint32_t cp) {
    bool c1 = cp >= 0x80 && cp <= 0xa0; // C1 controls and NO-BREAK SPACE
    bool space = cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) || cp == 0x2028 || cp == 0x2029 ||
                 cp == 0x202f || cp == 0x205f || cp == 0x3000;
    return !(c1 || space || cp == 0xad || cp == 0xfeff);
}

void append_ascii(std::string& out, char c) {
    switch (c) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\a':
        out += "\\a";
        return;
    case '\b':
        out += "\\b";
        return;
    case '\f':
        out += "\\f";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    case '\v':
        out += "\\v";
        return;
    default:
        break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
        out += fmt::format("\\x{:02x}", u);
    } else {
        out += c;
    }
}

} // namespace

std::string go_quote(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            append_ascii(out, s[i++]);
            continue;
        }
        std::uint32_t cp = 0;
        std::size_t len = decode_utf8(s, i, cp);
        if (len == 0) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i++]));
        } else if (!is_printable(cp)) {
            out += fmt::format("\\u{:04x}", cp);
            i += len;
        } else {
            out.append(s.substr(i, len));
            i += len;
        }
    }
    return out + "\"";
}

std::string go_errno_text(int err) {
    std::string why = std::strerror(err);
    if (!why.empty()) {
        why[0] = ascii_lower(why[0]);
    }
    return why;
}

} // namespace volley
