#include "net/frame.hpp"

#include <cstring>
#include <random>

#include <fmt/format.h>

namespace volley::net {

bool parse_frame_header(const std::uint8_t* data, std::size_t n, FrameHeader& out) {
    if (n < 2) {
        return false;
    }
    out.fin = (data[0] & 0x80) != 0;
    out.rsv1 = (data[0] & 0x40) != 0;
    out.rsv2 = (data[0] & 0x20) != 0;
    out.rsv3 = (data[0] & 0x10) != 0;
    out.opcode = data[0] & 0x0f;
    out.masked = (data[1] & 0x80) != 0;
    out.length7 = data[1] & 0x7f;
    out.length = out.length7;
    out.header_size = 0;
    std::uint64_t len = out.length7;
    std::size_t size = 2;
    std::size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
    if (n < size + ext + (out.masked ? 4 : 0)) {
        return false;
    }
    if (ext != 0) {
        len = 0;
        for (std::size_t i = 0; i < ext; ++i) {
            len = (len << 8) | data[size + i];
        }
        size += ext;
    }
    out.mask = 0;
    if (out.masked) {
        std::memcpy(&out.mask, data + size, 4);
        size += 4;
    }
    out.length = len;
    out.header_size = size;
    return true;
}

std::size_t write_frame_header(std::uint8_t* out, Opcode op, bool fin, bool rsv1,
                               std::uint64_t length, std::uint32_t mask) {
    out[0] = static_cast<std::uint8_t>((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) |
                                       static_cast<std::uint8_t>(op));
    std::size_t size = 2;
    if (length < 126) {
        out[1] = static_cast<std::uint8_t>(0x80 | length);
    } else if (length <= 0xffff) {
        out[1] = 0x80 | 126;
        out[2] = static_cast<std::uint8_t>(length >> 8);
        out[3] = static_cast<std::uint8_t>(length);
        size = 4;
    } else {
        out[1] = 0x80 | 127;
        for (int i = 0; i < 8; ++i) {
            out[2 + i] = static_cast<std::uint8_t>(length >> (56 - 8 * i));
        }
        size = 10;
    }
    std::memcpy(out + size, &mask, 4);
    return size + 4;
}

void copy_masked(std::uint8_t* dst, const std::uint8_t* src, std::size_t n, std::uint32_t mask) {
    // Eight bytes at a time: the key repeats every 4 bytes, so a doubled key lines up.
    std::uint64_t key8 = (static_cast<std::uint64_t>(mask) << 32) | mask;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t v;
        std::memcpy(&v, src + i, 8);
        v ^= key8;
        std::memcpy(dst + i, &v, 8);
    }
    std::uint8_t key[4];
    std::memcpy(key, &mask, 4);
    for (; i < n; ++i) {
        dst[i] = src[i] ^ key[i & 3];
    }
}

void apply_mask(std::uint8_t* data, std::size_t n, std::uint32_t mask) {
    copy_masked(data, data, n, mask);
}

std::uint64_t random_u64() {
    // xorshift64*: a few ns, seeded once per thread from the OS.
    thread_local std::uint64_t state = [] {
        std::random_device rd;
        std::uint64_t s = (static_cast<std::uint64_t>(rd()) << 32) | rd();
        return s == 0 ? 0x9E3779B97F4A7C15ULL : s;
    }();
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

std::uint32_t random_mask() {
    return static_cast<std::uint32_t>(random_u64() >> 32);
}

bool is_valid_received_close_code(std::uint16_t code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1013) ||
           (code >= 3000 && code <= 4999);
}

namespace {

const char* close_description(std::uint16_t code) {
    switch (code) {
    case 1000:
        return "normal";
    case 1001:
        return "going away";
    case 1002:
        return "protocol error";
    case 1003:
        return "unsupported data";
    case 1005:
        return "no status";
    case 1006:
        return "abnormal closure";
    case 1007:
        return "invalid payload data";
    case 1008:
        return "policy violation";
    case 1009:
        return "message too big";
    case 1010:
        return "mandatory extension missing";
    case 1011:
        return "internal server error";
    case 1015:
        return "TLS handshake error";
    default:
        return nullptr;
    }
}

} // namespace

std::string close_error_text(std::uint16_t code, std::string_view reason) {
    std::string out = fmt::format("websocket: close {}", code);
    if (const char* d = close_description(code)) {
        out += fmt::format(" ({})", d);
    }
    if (!reason.empty()) {
        out += ": ";
        out += reason;
    }
    return out;
}

} // namespace volley::net
