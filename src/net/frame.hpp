#pragma once

// RFC 6455 framing for a client: header encoding and decoding, masking, close payloads, and the
// gorilla/websocket texts k6 shows for close codes and protocol errors
// (k6-behaviour.md §2.1, §2.4). Pure functions, callable from any thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace volley::net {

enum class Opcode : std::uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xA,
};

// Close codes with a name in RFC 6455 / gorilla.
inline constexpr std::uint16_t kCloseNormal = 1000;
inline constexpr std::uint16_t kCloseGoingAway = 1001;
inline constexpr std::uint16_t kCloseProtocolError = 1002;
inline constexpr std::uint16_t kCloseNoStatus = 1005;
inline constexpr std::uint16_t kCloseAbnormal = 1006;

inline constexpr std::size_t kMaxFrameHeader = 14;     // bytes: 2 + 8 (length) + 4 (mask)
inline constexpr std::size_t kMaxControlPayload = 125; // bytes

// A decoded frame header (first bytes of a frame).
struct FrameHeader {
    bool fin = false;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    std::uint8_t opcode = 0;
    bool masked = false;
    std::uint8_t length7 = 0;    // the 7-bit length field (126 and 127 announce a longer one)
    std::uint32_t mask = 0;      // key bytes in wire order (as loaded by memcpy)
    std::uint64_t length = 0;    // payload length in bytes (length7 until the header is complete)
    std::size_t header_size = 0; // bytes taken by the header (0 until it is complete)
};

// Decodes a header from `data` (n bytes). Returns true when the whole header is there. With at
// least two bytes the fields of those bytes (flags, opcode, mask bit, length7) are filled in
// even when it returns false, so a reader can reject a bad frame as gorilla does: on its first
// two bytes, before the extended length and the mask arrive.
bool parse_frame_header(const std::uint8_t* data, std::size_t n, FrameHeader& out);

// True if a complete header's 64-bit length has its most significant bit set, which RFC 6455
// forbids (gorilla: "websocket: read limit exceeded").
inline bool has_negative_length(const FrameHeader& h) {
    return (h.length >> 63) != 0;
}

// Writes a masked client frame header into `out` (at least kMaxFrameHeader bytes); returns its
// size. `mask` is written in wire order.
std::size_t write_frame_header(std::uint8_t* out, Opcode op, bool fin, bool rsv1,
                               std::uint64_t length, std::uint32_t mask);

// XORs `n` bytes with the 4-byte key `mask` (wire order), starting at key offset 0.
void apply_mask(std::uint8_t* data, std::size_t n, std::uint32_t mask);

// Copies `n` bytes from `src` to `dst` while masking them (dst and src must not overlap).
void copy_masked(std::uint8_t* dst, const std::uint8_t* src, std::size_t n, std::uint32_t mask);

// A fresh masking key from a fast per-thread generator (RFC 6455 asks only for unpredictability
// towards intermediaries; not used for anything secret).
std::uint32_t random_mask();

// 64 bits from the same per-thread generator (xorshift64*, seeded once per thread from
// std::random_device): masking keys and Sec-WebSocket-Key nonces, never secrets.
std::uint64_t random_u64();

// gorilla's isValidReceivedCloseCode: 1000-1003, 1007-1013, 3000-4999.
bool is_valid_received_close_code(std::uint16_t code);

// gorilla's (*CloseError).Error(): `websocket: close 1002 (protocol error): reason`; codes
// without a description have no parenthesised part (`websocket: close 4000: bye`).
std::string close_error_text(std::uint16_t code, std::string_view reason);

} // namespace volley::net
