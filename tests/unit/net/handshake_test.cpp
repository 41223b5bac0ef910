#include <gtest/gtest.h>

#include "net/handshake.hpp"

namespace volley::net {
namespace {

WsUrl url() {
    return *parse_ws_url("ws://example.com:8080/chat?room=1");
}

TEST(CanonicalHeaderKey, LikeGo) {
    EXPECT_EQ(canonical_header_key("x-my-header"), "X-My-Header");
    EXPECT_EQ(canonical_header_key("sec-websocket-key"), "Sec-Websocket-Key");
    EXPECT_EQ(canonical_header_key("USER-AGENT"), "User-Agent");
    EXPECT_EQ(canonical_header_key("bad header"), "bad header");
}

TEST(BuildRequest, GoOrderWithGorillaHeaders) {
    Headers headers = {{"x-b", "2"}, {"X-A", "1"}, {"x-b", "3"}, {"user-agent", "custom"}};
    auto req = build_request(url(), RequestSpec{&headers, "Grafana k6/1.6.1", true, "KEY"});
    ASSERT_TRUE(req);
    EXPECT_EQ(*req, "GET /chat?room=1 HTTP/1.1\r\n"
                    "Host: example.com:8080\r\n"
                    "User-Agent: custom\r\n"
                    "Connection: Upgrade\r\n"
                    "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                    "client_no_context_takeover\r\n"
                    "Sec-WebSocket-Key: KEY\r\n"
                    "Sec-WebSocket-Version: 13\r\n"
                    "Upgrade: websocket\r\n"
                    "X-A: 1\r\n"
                    "X-B: 3\r\n"
                    "\r\n");
}

TEST(BuildRequest, HostOverrideAndSubprotocol) {
    Headers headers = {{"host", "other"}, {"sec-websocket-protocol", "chat"}};
    auto req = build_request(url(), RequestSpec{&headers, "", false, "K"});
    ASSERT_TRUE(req);
    EXPECT_NE(req->find("Host: other\r\n"), std::string::npos);
    EXPECT_NE(req->find("Sec-WebSocket-Protocol: chat\r\n"), std::string::npos);
    EXPECT_EQ(req->find("User-Agent"), std::string::npos);
}

TEST(BuildRequest, NoHeaderInjection) {
    Headers headers = {{"X-Evil", "a\r\nInjected: yes"}};
    auto req = build_request(url(), RequestSpec{&headers, "", false, "K"});
    ASSERT_TRUE(req);
    EXPECT_EQ(req->find("\r\nInjected"), std::string::npos);
}

TEST(BuildRequest, DuplicateHeadersRejected) {
    for (const char* name : {"upgrade", "Connection", "sec-websocket-key", "Sec-WebSocket-Version",
                             "sec-websocket-extensions"}) {
        Headers headers = {{name, "x"}};
        auto req = build_request(url(), RequestSpec{&headers, "", false, "K"});
        ASSERT_FALSE(req) << name;
        EXPECT_EQ(req.error(),
                  "websocket: duplicate header not allowed: " + canonical_header_key(name));
    }
}

TEST(AcceptKey, Rfc6455Example) {
    EXPECT_EQ(accept_for_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(make_key().size(), 24u);
}

Headers good_response(std::string extensions = "") {
    Headers h = {{"Upgrade", "WebSocket"},
                 {"Connection", "keep-alive, Upgrade"},
                 {"Sec-Websocket-Accept", accept_for_key("KEY")}};
    if (!extensions.empty()) {
        h.emplace_back("Sec-Websocket-Extensions", extensions);
    }
    return h;
}

TEST(CheckResponse, AcceptsAndReadsSubprotocol) {
    auto h = good_response();
    h.emplace_back("Sec-Websocket-Protocol", "chat");
    auto c = check_response(101, h, "KEY", false);
    EXPECT_TRUE(c.ok) << c.error;
    EXPECT_EQ(c.subprotocol, "chat");
}

TEST(CheckResponse, BadHandshakes) {
    EXPECT_EQ(check_response(200, good_response(), "KEY", false).error, "websocket: bad handshake");
    EXPECT_EQ(check_response(101, good_response(), "OTHER", false).error,
              "websocket: bad handshake");
    Headers no_upgrade = {{"Connection", "Upgrade"}, {"Sec-Websocket-Accept", accept_for_key("K")}};
    EXPECT_EQ(check_response(101, no_upgrade, "K", false).error, "websocket: bad handshake");
}

TEST(CheckResponse, CompressionNegotiation) {
    auto both = check_response(
        101,
        good_response("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
        "KEY", true);
    EXPECT_TRUE(both.ok);
    EXPECT_TRUE(both.compression);
    auto bare = check_response(101, good_response("permessage-deflate"), "KEY", true);
    EXPECT_FALSE(bare.ok);
    EXPECT_EQ(bare.error, "websocket: invalid compression negotiation");
    auto none = check_response(101, good_response(), "KEY", true);
    EXPECT_TRUE(none.ok);
    EXPECT_FALSE(none.compression);
}

TEST(ResponseHeaders, CanonicalAndJoined) {
    Headers raw = {{"set-cookie", "a=1"}, {"X-Thing", "x"}, {"Set-Cookie", "b=2"}};
    Headers h = canonical_response_headers(raw);
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].first, "Set-Cookie");
    EXPECT_EQ(h[0].second, "a=1, b=2");
    EXPECT_EQ(header_value(h, "X-Thing"), "x");
}

} // namespace
} // namespace volley::net
