// The Sec-WebSocket-Key from the per-thread generator and the accept value from Beast's SHA-1
// (net/handshake.hpp): RFC 6455 §1.3's example, 16 random bytes per key, no repeats.

#include <set>
#include <string>

#include <boost/beast/core/detail/base64.hpp>
#include <gtest/gtest.h>

#include "net/handshake.hpp"

namespace volley::net {
namespace {

TEST(HandshakeKey, AcceptMatchesRfc6455Example) {
    EXPECT_EQ(accept_for_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(accept_for_key(""), "Kfh9QIsMVZcl6xEPYxPHzW8SZ8w=");
}

TEST(HandshakeKey, KeysAreBase64Of16BytesAndDoNotRepeat) {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) {
        std::string key = make_key();
        ASSERT_EQ(key.size(), 24u);
        ASSERT_EQ(key.substr(22), "==");
        std::string raw(16, '\0');
        auto decoded = boost::beast::detail::base64::decode(raw.data(), key.data(), key.size());
        ASSERT_EQ(decoded.first, 16u); // bytes written; decoding stops at the "==" padding
        ASSERT_TRUE(seen.insert(key).second) << key;
    }
}

} // namespace
} // namespace volley::net
