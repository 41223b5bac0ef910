// Go's encoding/base64 as k6 uses it: RFC 4648 vectors and Go's error offsets.

#include <gtest/gtest.h>

#include "util/go_base64.hpp"

namespace volley {
namespace {

TEST(GoBase64, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (auto [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(plain, Base64::kStd), encoded);
        std::size_t at = 0;
        EXPECT_EQ(base64_decode(encoded, Base64::kStd, at), std::optional<std::string>(plain));
    }
    EXPECT_EQ(base64_encode("\xfb\xff", Base64::kUrl), "-_8=");
    EXPECT_EQ(base64_encode("\xfb\xff", Base64::kRawStd), "+/8");
}

std::size_t error_at(std::string_view text, Base64 e) {
    std::size_t at = 12345;
    EXPECT_FALSE(base64_decode(text, e, at).has_value()) << text;
    return at;
}

TEST(GoBase64, ErrorOffsetsAreGos) {
    EXPECT_EQ(error_at("aGVsbG8/Pg", Base64::kStd), 8u);
    EXPECT_EQ(error_at("!!!!", Base64::kStd), 0u);
    EXPECT_EQ(error_at("aGVsbG8/Pg==", Base64::kUrl), 7u);
    EXPECT_EQ(error_at("YQ=", Base64::kStd), 3u);
    EXPECT_EQ(error_at("YQ==YQ==", Base64::kStd), 4u);
    EXPECT_EQ(error_at("YQ==", Base64::kRawStd), 2u);
    EXPECT_EQ(error_at("Y", Base64::kRawStd), 0u);
    EXPECT_EQ(error_at("YW Jj", Base64::kStd), 2u);
}

TEST(GoBase64, NewlinesAndTrailingBits) {
    std::size_t at = 0;
    EXPECT_EQ(base64_decode("YW\r\nJj\n", Base64::kStd, at), std::optional<std::string>("abc"));
    EXPECT_EQ(base64_decode("YR==", Base64::kStd, at), std::optional<std::string>("a"));
    EXPECT_EQ(base64_decode("YR", Base64::kRawUrl, at), std::optional<std::string>("a"));
    EXPECT_EQ(hex_encode("\x01\xff"), "01ff");
}

} // namespace
} // namespace volley
