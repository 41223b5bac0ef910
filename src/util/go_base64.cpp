#include "util/go_base64.hpp"

#include <array>
#include <cstdint>

namespace volley {
namespace {

constexpr std::string_view kStdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t kInvalid = 0xff;

bool is_url(Base64 e) {
    return e == Base64::kUrl || e == Base64::kRawUrl;
}

bool is_padded(Base64 e) {
    return e == Base64::kStd || e == Base64::kUrl;
}

using DecodeMap = std::array<std::uint8_t, 256>;

constexpr DecodeMap make_map(std::string_view alphabet) {
    DecodeMap m{};
    for (auto& v : m) {
        v = kInvalid;
    }
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        m[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    }
    return m;
}

constexpr DecodeMap kStdMap = make_map(kStdAlphabet);
constexpr DecodeMap kUrlMap = make_map(kUrlAlphabet);

bool is_newline(char c) {
    return c == '\n' || c == '\r';
}

// Go's decodeQuantum: reads one group of up to four symbols from src[si], appends its bytes to
// `out`. Returns false with `error_offset` set on corrupt input.
class QuantumDecoder {
public:
    QuantumDecoder(std::string_view src, Base64 e)
        : src_(src), map_(is_url(e) ? kUrlMap : kStdMap), padded_(is_padded(e)) {}

    bool done() const { return si_ >= src_.size(); }

    bool next(std::string& out, std::size_t& error_offset) {
        std::array<std::uint8_t, 4> dbuf{};
        std::size_t dlen = 4;
        for (std::size_t j = 0; j < 4; ++j) {
            if (si_ == src_.size()) {
                if (j == 0) {
                    return true;
                }
                if (j == 1 || padded_) {
                    error_offset = si_ - j;
                    return false;
                }
                dlen = j;
                break;
            }
            char in = src_[si_++];
            std::uint8_t v = map_[static_cast<unsigned char>(in)];
            if (v != kInvalid) {
                dbuf[j] = v;
                continue;
            }
            if (is_newline(in)) {
                --j;
                continue;
            }
            if (!padded_ || in != '=') {
                error_offset = si_ - 1;
                return false;
            }
            if (!end_with_padding(j, error_offset)) {
                return false;
            }
            dlen = j;
            break;
        }
        emit(dbuf, dlen, out);
        return !trailing_garbage_;
    }

private:
    // The '=' at src[si-1] was read as the symbol number j of a group.
    bool end_with_padding(std::size_t j, std::size_t& error_offset) {
        if (j < 2) {
            error_offset = si_ - 1;
            return false;
        }
        if (j == 2) {
            skip_newlines();
            if (si_ == src_.size()) {
                error_offset = src_.size();
                return false;
            }
            if (src_[si_] != '=') {
                error_offset = si_ - 1;
                return false;
            }
            ++si_;
        }
        skip_newlines();
        if (si_ < src_.size()) {
            // Go still returns the group's bytes along with the error.
            trailing_garbage_ = true;
            error_offset = si_;
        }
        return true;
    }

    void skip_newlines() {
        while (si_ < src_.size() && is_newline(src_[si_])) {
            ++si_;
        }
    }

    static void emit(const std::array<std::uint8_t, 4>& d, std::size_t dlen, std::string& out) {
        std::uint32_t val = (std::uint32_t{d[0]} << 18) | (std::uint32_t{d[1]} << 12) |
                            (std::uint32_t{d[2]} << 6) | d[3];
        const char bytes[3] = {static_cast<char>(val >> 16), static_cast<char>(val >> 8),
                               static_cast<char>(val)};
        out.append(bytes, dlen - 1);
    }

    std::string_view src_;
    const DecodeMap& map_;
    bool padded_;
    std::size_t si_ = 0;
    bool trailing_garbage_ = false;
};

} // namespace

std::string base64_encode(std::string_view bytes, Base64 encoding) {
    std::string_view alphabet = is_url(encoding) ? kUrlAlphabet : kStdAlphabet;
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                          (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                          static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        if (rest == 2) {
            v |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
        }
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (rest == 2) {
            out += alphabet[(v >> 6) & 63];
        }
        if (is_padded(encoding)) {
            out.append(rest == 2 ? 1 : 2, '=');
        }
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64 encoding,
                                         std::size_t& error_offset) {
    QuantumDecoder decoder(text, encoding);
    std::string out;
    out.reserve(text.size() / 4 * 3 + 3);
    while (!decoder.done()) {
        if (!decoder.next(out, error_offset)) {
            return std::nullopt;
        }
    }
    return out;
}

std::string hex_encode(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        auto b = static_cast<unsigned char>(c);
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

} // namespace volley
