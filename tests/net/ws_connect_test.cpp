// WsClient's handshake paths, TLS, compression, counters and the event wait.

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include "net/ws_client.hpp"
#include "net_test_support.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::net {
namespace {

using testing::next;
using testing::run_coroutine;
using testing::str;

std::unique_ptr<wsecho::EchoServer> start_server(bool tls, bool compression) {
    wsecho::EchoOptions o;
    o.tls = tls;
    o.compression = compression;
    auto s = std::make_unique<wsecho::EchoServer>(o);
    s->start();
    return s;
}

// A port on 127.0.0.1 that nothing listens on.
std::uint16_t closed_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

TEST(WsConnect, RefusedPortHasGoText) {
    run_coroutine([](auto& ioc, Yield yield) {
        auto port = closed_port();
        WsClient c(ioc);
        auto hs = c.connect("ws://127.0.0.1:" + std::to_string(port) + "/x", {}, yield);
        EXPECT_FALSE(hs.ok);
        EXPECT_EQ(hs.status, 0);
        EXPECT_EQ(hs.error,
                  "dial tcp 127.0.0.1:" + std::to_string(port) + ": connect: connection refused");
        EXPECT_EQ(hs.remote_ip, "127.0.0.1");
    });
}

TEST(WsConnect, UrlAndHeaderErrorsComeBeforeTheNetwork) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        EXPECT_EQ(c.connect("http://127.0.0.1:1/", {}, yield).error, "malformed ws or wss URL");
        WsClient d(ioc);
        HandshakeOptions o;
        o.headers = {{"sec-websocket-key", "x"}};
        auto hs = d.connect("ws://127.0.0.1:1/", o, yield);
        EXPECT_EQ(hs.error, "websocket: duplicate header not allowed: Sec-Websocket-Key");
        EXPECT_EQ(d.counters().sent, 0u);
    });
}

TEST(WsConnect, UnknownHostIsALookupError) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        auto hs = c.connect("ws://volley-no-such-host.invalid/", {}, yield);
        EXPECT_FALSE(hs.ok);
        EXPECT_EQ(hs.error.rfind("lookup volley-no-such-host.invalid: ", 0), 0u) << hs.error;
    });
}

TEST(WsConnect, HandshakeTimeoutIsAnIoTimeout) {
    auto server = start_server(false, false);
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        HandshakeOptions o;
        o.timeout = std::chrono::milliseconds(100);
        auto hs = c.connect(server->url() + "/hang", o, yield);
        EXPECT_FALSE(hs.ok);
        EXPECT_EQ(hs.error.rfind("read tcp 127.0.0.1:", 0), 0u) << hs.error;
        EXPECT_NE(hs.error.find(": i/o timeout"), std::string::npos) << hs.error;
    });
}

TEST(WsConnect, CancelEndsAPendingHandshake) {
    auto server = start_server(false, false);
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        boost::asio::steady_timer t(ioc, std::chrono::milliseconds(50));
        t.async_wait([&](auto) { c.cancel(); });
        auto hs = c.connect(server->url() + "/hang", {}, yield);
        EXPECT_FALSE(hs.ok);
        EXPECT_NE(hs.error.find("i/o timeout"), std::string::npos) << hs.error;
    });
}

TEST(WsConnect, SlowHandshakeSucceedsAndSubprotocolIsReported) {
    auto server = start_server(false, false);
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        HandshakeOptions o;
        o.headers = {{"Sec-WebSocket-Protocol", "chat, other"}};
        auto hs = c.connect(server->url() + "/slow?ms=30", o, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        EXPECT_EQ(hs.subprotocol, "chat");
        EXPECT_EQ(str(header_value(hs.headers, "Sec-Websocket-Protocol")), "chat");
        EXPECT_FALSE(str(header_value(hs.headers, "Sec-Websocket-Accept")).empty());
    });
}

TEST(WsConnect, CountsEveryByteAndResets) {
    auto server = start_server(false, false);
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(c.connect(server->url() + "/", {}, yield).ok);
        auto after_handshake = c.take_counters();
        EXPECT_GT(after_handshake.sent, 150u);     // the GET request
        EXPECT_GT(after_handshake.received, 120u); // the 101 response
        EXPECT_EQ(c.counters().sent, 0u);
        ASSERT_EQ(c.send_text(std::string(100, 'a'), yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(c.counters().sent, 100u + 2 + 4); // header + mask + payload
        EXPECT_EQ(c.counters().received, 100u + 2);
        ASSERT_EQ(c.close(1000, "", yield), "");
        EXPECT_EQ(c.counters().sent, 106u + 2 + 4 + 2);
    });
}

TEST(WsConnect, WaitTimesOutAndWakes) {
    auto server = start_server(false, false);
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(c.connect(server->url() + "/", {}, yield).ok);
        c.start_reading();
        auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
        EXPECT_EQ(c.wait(soon, yield), WaitResult::kTimeout);
        boost::asio::steady_timer t(ioc, std::chrono::milliseconds(10));
        t.async_wait([&](auto) { c.wake(); });
        EXPECT_EQ(c.wait(std::chrono::steady_clock::time_point::max(), yield), WaitResult::kWoken);
        c.wake();
        EXPECT_EQ(c.wait(std::chrono::steady_clock::time_point::max(), yield), WaitResult::kWoken);
        ASSERT_EQ(c.send_text("x", yield), "");
        EXPECT_EQ(c.wait(std::chrono::steady_clock::time_point::max(), yield), WaitResult::kEvent);
        boost::asio::steady_timer t2(ioc, std::chrono::milliseconds(10));
        t2.async_wait([&](auto) { c.cancel(); });
        Event ev;
        ASSERT_TRUE(c.next_event(ev));
        EXPECT_EQ(c.wait(std::chrono::steady_clock::time_point::max(), yield), WaitResult::kWoken);
        EXPECT_EQ(c.wait(std::chrono::steady_clock::time_point::max(), yield), WaitResult::kClosed);
    });
}

TEST(WsConnect, CompressionNegotiatedAndTransparent) {
    auto server = start_server(false, true);
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        HandshakeOptions o;
        o.compression = true;
        auto hs = c.connect(server->url() + "/", o, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        EXPECT_TRUE(hs.compression);
        EXPECT_NE(
            str(header_value(hs.headers, "Sec-Websocket-Extensions")).find("permessage-deflate"),
            std::string::npos);
        c.take_counters();
        std::string text(10000, 'z');
        for (int i = 0; i < 3; ++i) {
            ASSERT_EQ(c.send_text(text, yield), "");
            Event ev;
            ASSERT_TRUE(next(c, ev, yield));
            EXPECT_EQ(str(ev.data), text);
        }
        EXPECT_LT(c.counters().sent, 1000u);
        EXPECT_LT(c.counters().received, 1000u);
    });
}

TEST(WsConnect, CompressionIgnoredByServerMeansPlainFrames) {
    auto server = start_server(false, false);
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        HandshakeOptions o;
        o.compression = true;
        auto hs = c.connect(server->url() + "/", o, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        EXPECT_FALSE(hs.compression);
        ASSERT_EQ(c.send_text("plain", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(str(ev.data), "plain");
    });
}

class WsTlsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = start_server(true, false); }
    static void TearDownTestSuite() { server_.reset(); }
    static inline std::unique_ptr<wsecho::EchoServer> server_;
};

TEST_F(WsTlsTest, VerifiedWithTheServersCertificate) {
    TlsOptions to;
    to.extra_ca_pem = server_->certificate_pem();
    auto cfg = TlsConfig::make(to);
    ASSERT_TRUE(cfg) << cfg.error();
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        HandshakeOptions o;
        o.tls = cfg->get();
        auto hs = c.connect(server_->url() + "/", o, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        ASSERT_EQ(c.send_text("secure", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(str(ev.data), "secure");
        EXPECT_GT(c.counters().received, 500u); // the TLS handshake is counted
        EXPECT_EQ(c.close(1000, "", yield), "");
    });
}

TEST_F(WsTlsTest, UnknownAuthorityFailsByDefault) {
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        auto hs = c.connect(server_->url() + "/", {}, yield);
        EXPECT_FALSE(hs.ok);
        EXPECT_EQ(hs.error,
                  "tls: failed to verify certificate: x509: certificate signed by unknown "
                  "authority");
    });
}

TEST_F(WsTlsTest, InsecureSkipVerify) {
    TlsOptions to;
    to.insecure_skip_verify = true;
    to.min_version = TlsVersion::kTls12;
    to.max_version = TlsVersion::kTls12;
    to.cipher_suites = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
    auto cfg = TlsConfig::make(to);
    ASSERT_TRUE(cfg) << cfg.error();
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        HandshakeOptions o;
        o.tls = cfg->get();
        auto hs = c.connect(server_->url() + "/close/4001", o, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.code, 4001);
    });
}

TEST_F(WsTlsTest, EofAndProtocolErrorsOverTls) {
    TlsOptions to;
    to.insecure_skip_verify = true;
    auto cfg = TlsConfig::make(to);
    ASSERT_TRUE(cfg);
    run_coroutine([&](auto& ioc, Yield yield) {
        HandshakeOptions o;
        o.tls = cfg->get();
        WsClient c(ioc);
        ASSERT_TRUE(c.connect(server_->url() + "/drop", o, yield).ok);
        ASSERT_EQ(c.send_text("a", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.code, kCloseAbnormal);
        WsClient d(ioc);
        ASSERT_TRUE(d.connect(server_->url() + "/garbage", o, yield).ok);
        ASSERT_TRUE(next(d, ev, yield));
        EXPECT_EQ(str(ev.error), "websocket: bad opcode 3");
    });
}

TEST(TlsConfigTest, RejectsUnknownCipherSuite) {
    TlsOptions to;
    to.cipher_suites = {"TLS_NOPE"};
    auto cfg = TlsConfig::make(to);
    ASSERT_FALSE(cfg);
    EXPECT_EQ(cfg.error(), "unknown TLS cipher suite TLS_NOPE");
}

} // namespace
} // namespace volley::net
