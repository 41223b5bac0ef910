#include <gtest/gtest.h>

#include "net/url.hpp"

namespace volley::net {
namespace {

WsUrl ok(std::string_view raw) {
    auto r = parse_ws_url(raw);
    EXPECT_TRUE(r.has_value()) << raw << ": " << (r ? "" : r.error());
    return r ? *r : WsUrl{};
}

std::string err(std::string_view raw) {
    auto r = parse_ws_url(raw);
    EXPECT_FALSE(r.has_value()) << raw;
    return r ? "" : r.error();
}

TEST(WsUrl, PlainWithDefaultPort) {
    auto u = ok("ws://example.com/echo");
    EXPECT_FALSE(u.tls);
    EXPECT_EQ(u.host, "example.com");
    EXPECT_EQ(u.port, 80);
    EXPECT_EQ(u.host_header, "example.com");
    EXPECT_EQ(u.target, "/echo");
    EXPECT_FALSE(u.host_is_ip);
}

TEST(WsUrl, TlsWithDefaultPort) {
    auto u = ok("wss://example.com");
    EXPECT_TRUE(u.tls);
    EXPECT_EQ(u.port, 443);
    EXPECT_EQ(u.target, "/");
}

TEST(WsUrl, ExplicitPortQueryAndFragment) {
    auto u = ok("ws://127.0.0.1:8765/a/b?x=1&y=2#frag");
    EXPECT_EQ(u.host, "127.0.0.1");
    EXPECT_EQ(u.port, 8765);
    EXPECT_EQ(u.host_header, "127.0.0.1:8765");
    EXPECT_EQ(u.target, "/a/b?x=1&y=2");
    EXPECT_TRUE(u.host_is_ip);
}

TEST(WsUrl, SchemeIsCaseInsensitive) {
    EXPECT_TRUE(ok("WSS://h:1/").tls);
}

TEST(WsUrl, ForceQueryKeepsQuestionMark) {
    EXPECT_EQ(ok("ws://h/p?").target, "/p?");
}

TEST(WsUrl, Ipv6Literal) {
    auto u = ok("ws://[::1]:9000/x");
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.port, 9000);
    EXPECT_EQ(u.host_header, "[::1]:9000");
    EXPECT_TRUE(u.host_is_ip);
    EXPECT_EQ(ok("ws://[::1]/").port, 80);
}

TEST(WsUrl, EmptyPortMeansDefault) {
    EXPECT_EQ(ok("ws://h:/").port, 80);
}

TEST(WsUrl, PathIsEscapedLikeGo) {
    EXPECT_EQ(ok("ws://h/a b").target, "/a%20b");
    EXPECT_EQ(ok("ws://h/a%20b").target, "/a%20b");
    EXPECT_EQ(ok("ws://h/a:b@c!").target, "/a:b@c!");
}

TEST(WsUrl, OtherSchemesAreMalformed) {
    EXPECT_EQ(err("http://h/"), kMalformedWsUrl);
    EXPECT_EQ(err("https://h/"), kMalformedWsUrl);
    EXPECT_EQ(err("INVALID"), kMalformedWsUrl);
    EXPECT_EQ(err(""), kMalformedWsUrl);
    EXPECT_EQ(err("//h/x"), kMalformedWsUrl);
}

TEST(WsUrl, UserInfoIsMalformed) {
    EXPECT_EQ(err("ws://u:p@h/"), kMalformedWsUrl);
    EXPECT_EQ(err("ws://u@h/"), kMalformedWsUrl);
}

TEST(WsUrl, GoParseErrors) {
    EXPECT_EQ(err("ws://h:abc/"), "parse \"ws://h:abc/\": invalid port \":abc\" after host");
    EXPECT_EQ(err("ws://[::1/"), "parse \"ws://[::1/\": missing ']' in host");
    EXPECT_EQ(err("ws://h/%zz"), "parse \"ws://h/%zz\": invalid URL escape \"%zz\"");
    EXPECT_EQ(err("ws://h/\x01"),
              "parse \"ws://h/\\x01\": net/url: invalid control character in URL");
    EXPECT_EQ(err(":foo"), "parse \":foo\": missing protocol scheme");
    EXPECT_EQ(err("ws://a b/"), "parse \"ws://a b/\": invalid character \" \" in host name");
}

TEST(WsUrl, FragmentErrorQuotesWholeUrl) {
    EXPECT_EQ(err("ws://h/#%zz"), "parse \"ws://h/#%zz\": invalid URL escape \"%zz\"");
}

TEST(WsUrl, PortOutOfRange) {
    EXPECT_EQ(err("ws://h:70000/"), "dial tcp: address 70000: invalid port");
}

} // namespace
} // namespace volley::net
