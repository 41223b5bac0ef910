#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "net/deflate.hpp"
#include "net/frame.hpp"
#include "util/utf8.hpp"

namespace volley::net {
namespace {

FrameHeader round_trip(std::uint64_t length) {
    std::uint8_t buf[kMaxFrameHeader];
    std::size_t n = write_frame_header(buf, Opcode::kBinary, true, false, length, 0x04030201);
    FrameHeader h;
    EXPECT_FALSE(parse_frame_header(buf, n - 1, h));
    EXPECT_TRUE(parse_frame_header(buf, n, h));
    EXPECT_EQ(h.header_size, n);
    return h;
}

TEST(Frame, HeaderLengthForms) {
    EXPECT_EQ(round_trip(0).header_size, 6u);
    EXPECT_EQ(round_trip(125).length, 125u);
    EXPECT_EQ(round_trip(126).header_size, 8u);
    EXPECT_EQ(round_trip(65535).length, 65535u);
    auto h = round_trip(65536);
    EXPECT_EQ(h.header_size, 14u);
    EXPECT_EQ(h.length, 65536u);
    EXPECT_TRUE(h.fin);
    EXPECT_TRUE(h.masked);
    EXPECT_EQ(h.opcode, 0x2);
    EXPECT_EQ(h.mask, 0x04030201u);
}

// The first two bytes are decoded even when the rest of the header has not arrived, so a reader
// can judge them first, as gorilla does.
TEST(Frame, PartialHeaderHasItsFirstTwoBytes) {
    const std::uint8_t data[] = {0x83, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1};
    FrameHeader h;
    EXPECT_FALSE(parse_frame_header(data, 2, h));
    EXPECT_TRUE(h.fin);
    EXPECT_EQ(h.opcode, 0x3);
    EXPECT_EQ(h.length7, 127u);
    EXPECT_EQ(h.header_size, 0u);
    ASSERT_TRUE(parse_frame_header(data, sizeof data, h));
    EXPECT_TRUE(has_negative_length(h));
    EXPECT_EQ(h.length7, 127u);
    EXPECT_EQ(h.header_size, 10u);
}

TEST(Frame, ParsesServerBits) {
    const std::uint8_t data[] = {0x70 | 0x1, 0x03, 'a', 'b', 'c'};
    FrameHeader h;
    ASSERT_TRUE(parse_frame_header(data, sizeof data, h));
    EXPECT_FALSE(h.fin);
    EXPECT_TRUE(h.rsv1 && h.rsv2 && h.rsv3);
    EXPECT_FALSE(h.masked);
    EXPECT_EQ(h.length, 3u);
    EXPECT_EQ(h.header_size, 2u);
}

TEST(Frame, MaskingIsAnInvolution) {
    std::string text = "The quick brown fox jumps over the lazy dog";
    std::string masked(text.size(), '\0');
    std::uint32_t key = random_mask();
    copy_masked(reinterpret_cast<std::uint8_t*>(masked.data()),
                reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), key);
    std::uint8_t k[4];
    std::memcpy(k, &key, 4);
    for (std::size_t i = 0; i < text.size(); ++i) {
        ASSERT_EQ(static_cast<std::uint8_t>(masked[i]),
                  static_cast<std::uint8_t>(text[i]) ^ k[i % 4]);
    }
    apply_mask(reinterpret_cast<std::uint8_t*>(masked.data()), masked.size(), key);
    EXPECT_EQ(masked, text);
}

TEST(Frame, CloseTextsMatchGorilla) {
    EXPECT_EQ(close_error_text(1006, "unexpected EOF"),
              "websocket: close 1006 (abnormal closure): unexpected EOF");
    EXPECT_EQ(close_error_text(1005, ""), "websocket: close 1005 (no status)");
    EXPECT_EQ(close_error_text(4000, "bye"), "websocket: close 4000: bye");
    EXPECT_EQ(close_error_text(1015, ""), "websocket: close 1015 (TLS handshake error)");
    EXPECT_EQ(close_error_text(1014, ""), "websocket: close 1014");
}

TEST(Frame, ValidReceivedCloseCodes) {
    for (int c : {1000, 1001, 1002, 1003, 1007, 1011, 1013, 3000, 4999}) {
        EXPECT_TRUE(is_valid_received_close_code(static_cast<std::uint16_t>(c))) << c;
    }
    for (int c : {0, 999, 1004, 1005, 1006, 1014, 1015, 2000, 2999, 5000}) {
        EXPECT_FALSE(is_valid_received_close_code(static_cast<std::uint16_t>(c))) << c;
    }
}

TEST(Frame, Utf8Validation) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
    EXPECT_FALSE(is_valid_utf8("a\xff"));
    EXPECT_FALSE(is_valid_utf8("\xc0\x80"));         // overlong
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));     // surrogate
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));         // truncated
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // above U+10FFFF
}

TEST(Deflate, RoundTripsWithoutContextTakeover) {
    PerMessageDeflate codec;
    for (const std::string& msg : {std::string(5000, 'a'), std::string("short"), std::string()}) {
        std::vector<std::uint8_t> compressed;
        ASSERT_TRUE(codec.compress(msg, compressed));
        std::string out;
        ASSERT_TRUE(codec.decompress(
            std::string_view(reinterpret_cast<const char*>(compressed.data()), compressed.size()),
            out));
        EXPECT_EQ(out, msg);
    }
}

TEST(Deflate, CorruptInputFails) {
    PerMessageDeflate codec;
    std::string out;
    EXPECT_FALSE(codec.decompress("\xff\xff\xff\xff garbage", out));
}

} // namespace
} // namespace volley::net
