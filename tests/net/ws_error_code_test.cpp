// The stable WebSocket error codes (net/ws_error_code.hpp, docs/insight.md "Error codes"): each
// code provoked for real where loopback can provoke it (the echo server's behaviours, a closed
// port, a dial policy, a raw peer that answers the upgrade with chosen bytes), and the
// classifiers for the rest (a dial timeout, an expired certificate, a TLS alert, a write
// deadline), which loopback cannot give on demand.

#include <memory>
#include <set>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "net/dial_policy.hpp"
#include "net/handshake.hpp"
#include "net/ws_client.hpp"
#include "net/ws_error_code.hpp"
#include "net_test_support.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::net {
namespace {

namespace asio = boost::asio;
using testing::next;
using testing::run_coroutine;
namespace code = ws_error;

using Answer = std::function<std::string(const std::string&)>;

// A peer that reads one upgrade request (unless told not to) and answers it with
// `answer(request)`'s bytes, then either hangs up or waits for the client to.
struct PeerOptions {
    bool read_request = true;
    bool hang_up = false;
};

class RawPeer {
public:
    explicit RawPeer(Answer answer, PeerOptions o = {})
        : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this, answer = std::move(answer), o] {
            boost::system::error_code ec;
            asio::ip::tcp::socket s(ioc_);
            acceptor_.accept(s, ec);
            asio::streambuf buf;
            std::size_t n = o.read_request ? asio::read_until(s, buf, "\r\n\r\n", ec) : 0;
            if (ec) {
                return;
            }
            std::string request(asio::buffers_begin(buf.data()),
                                asio::buffers_begin(buf.data()) + static_cast<std::ptrdiff_t>(n));
            asio::write(s, asio::buffer(answer(request)), ec);
            char sink[512];
            while (!ec && !o.hang_up) {
                s.read_some(asio::buffer(sink), ec);
            }
        });
    }
    ~RawPeer() { thread_.join(); }
    RawPeer(const RawPeer&) = delete;
    RawPeer& operator=(const RawPeer&) = delete;

    std::string url(const char* scheme = "ws") const {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_) + "/";
    }

private:
    asio::io_context ioc_;
    asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

// The Sec-WebSocket-Key of a request.
std::string request_key(const std::string& request) {
    auto at = request.find("Sec-WebSocket-Key: ");
    if (at == std::string::npos) {
        return {};
    }
    at += 19;
    return request.substr(at, request.find("\r\n", at) - at);
}

// A 101 answer with `extra` header lines; `accept` false sends a wrong Sec-WebSocket-Accept.
std::string upgrade_answer(const std::string& request, bool accept, const std::string& extra) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           (accept ? accept_for_key(request_key(request)) : std::string("wrong")) + "\r\n" + extra +
           "\r\n";
}

std::uint16_t closed_port() {
    asio::io_context ioc;
    asio::ip::tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

HandshakeResult handshake(const std::string& url, const HandshakeOptions& o = {}) {
    HandshakeResult out;
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        out = c.connect(url, o, yield);
    });
    return out;
}

// The code of the session's first close or error event after a successful handshake.
int session_code(const std::string& url, const HandshakeOptions& o = {}) {
    int out = -1;
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        auto hs = c.connect(url, o, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        Event ev;
        do {
            ASSERT_TRUE(next(c, ev, yield));
        } while (!ev.terminal());
        out = ev.error_code;
        c.close(kCloseGoingAway, "", yield);
    });
    return out;
}

class WsErrorCode : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        plain_ = std::make_unique<wsecho::EchoServer>(wsecho::EchoOptions{});
        plain_->start();
        wsecho::EchoOptions tls;
        tls.tls = true;
        tls_ = std::make_unique<wsecho::EchoServer>(tls);
        tls_->start();
    }
    static void TearDownTestSuite() {
        plain_.reset();
        tls_.reset();
    }
    static std::string url(const std::string& path) { return plain_->url() + path; }

    static inline std::unique_ptr<wsecho::EchoServer> plain_;
    static inline std::unique_ptr<wsecho::EchoServer> tls_;
};

TEST_F(WsErrorCode, HandshakeFailuresBeforeTheNetwork) {
    EXPECT_EQ(handshake("http://127.0.0.1:1/").error_code, code::kInvalidUrl);
    HandshakeOptions dup;
    dup.headers = {{"Sec-WebSocket-Key", "x"}};
    EXPECT_EQ(handshake(url("/"), dup).error_code, code::kBadRequestHeader);
}

TEST_F(WsErrorCode, DnsAndDialPolicy) {
    int lookup = handshake("ws://volley-no-such-host.invalid/").error_code;
    EXPECT_TRUE(lookup == code::kNoSuchHost || lookup == code::kDns) << lookup;
    auto blocked = DialPolicy::make({}, {}, {"*.blocked.test"});
    ASSERT_TRUE(blocked) << blocked.error();
    HandshakeOptions o;
    o.policy = &*blocked;
    EXPECT_EQ(handshake("ws://a.blocked.test/", o).error_code, code::kBlockedHostname);
    auto blacklist = DialPolicy::make({}, {"127.0.0.0/8"}, {});
    ASSERT_TRUE(blacklist) << blacklist.error();
    o.policy = &*blacklist;
    EXPECT_EQ(handshake(url("/"), o).error_code, code::kBlacklistedIp);
}

TEST_F(WsErrorCode, TcpDialAndTimeout) {
    auto refused = handshake("ws://127.0.0.1:" + std::to_string(closed_port()) + "/");
    EXPECT_EQ(refused.error_code, code::kDialRefused) << refused.error;
    HandshakeOptions o;
    o.timeout = std::chrono::milliseconds(100);
    EXPECT_EQ(handshake(url("/hang"), o).error_code, code::kTimeout);
    EXPECT_EQ(handshake(url("/"), {}).error_code, 0);
}

TEST_F(WsErrorCode, Tls) {
    std::string port = tls_->url().substr(tls_->url().rfind(':'));
    EXPECT_EQ(handshake(tls_->url() + "/").error_code, code::kUnknownAuthority);
    TlsOptions to;
    to.extra_ca_pem = tls_->certificate_pem();
    auto trusted = TlsConfig::make(to);
    ASSERT_TRUE(trusted) << trusted.error();
    HandshakeOptions o;
    o.tls = trusted->get();
    auto hosts = DialPolicy::make({{"other.test", "127.0.0.1"}}, {}, {});
    ASSERT_TRUE(hosts) << hosts.error();
    o.policy = &*hosts;
    auto mismatch = handshake("wss://other.test" + port + "/", o);
    EXPECT_EQ(mismatch.error_code, code::kHostnameMismatch) << mismatch.error;
    RawPeer http([](const std::string&) { return std::string("HTTP/1.1 400 Bad Request\r\n\r\n"); },
                 {.read_request = false, .hang_up = true});
    auto not_tls = handshake(http.url("wss"), o);
    EXPECT_EQ(not_tls.error_code, code::kTlsNotTls) << not_tls.error;
}

TEST_F(WsErrorCode, UpgradeResponses) {
    EXPECT_EQ(handshake(url("/reject/403")).error_code, 1403);
    EXPECT_EQ(handshake(url("/reject/503")).error_code, 1503);
    EXPECT_EQ(handshake(url("/reject/200")).error_code, code::kBadStatus);
    struct Case {
        Answer answer;
        int code;
        bool compression = false;
        bool hang_up = false;
    };
    const Case cases[] = {
        {[](const std::string& r) { return upgrade_answer(r, false, ""); }, code::kBadAccept},
        {[](const std::string& r) {
             return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: " +
                    accept_for_key(request_key(r)) + "\r\n\r\n";
         },
         code::kBadUpgradeHeaders},
        {[](const std::string& r) {
             return upgrade_answer(r, true, "Sec-WebSocket-Extensions: permessage-deflate\r\n");
         },
         code::kBadCompression, true},
        {[](const std::string&) { return std::string("\x00\xffHTTQ/9 nonsense\r\n\r\n", 21); },
         code::kMalformedResponse},
        {[](const std::string&) { return std::string("HTTP/1.1 101 Switching"); },
         code::kHandshakeEof, false, true},
    };
    for (const auto& c : cases) {
        RawPeer peer(c.answer, {.hang_up = c.hang_up});
        HandshakeOptions o;
        o.compression = c.compression;
        auto hs = handshake(peer.url(), o);
        EXPECT_EQ(hs.error_code, c.code) << hs.error;
    }
}

TEST_F(WsErrorCode, ProtocolViolations) {
    const std::pair<const char*, int> cases[] = {
        {"/garbage?kind=opcode", code::kBadOpcode},
        {"/garbage?kind=rsv", code::kReservedBits},
        {"/garbage?kind=rsv1", code::kReservedBits},
        {"/garbage?kind=masked", code::kMaskedFrame},
        {"/garbage?kind=bigping", code::kBadControlFrame},
        {"/garbage?kind=fragping", code::kBadControlFrame},
        {"/garbage?kind=cont", code::kBadFragmentation},
        {"/garbage?kind=textneglen", code::kReadLimit},
        {"/close/999", code::kBadCloseCode},
        {"/close/1000?reason=%FF", code::kBadCloseReason},
    };
    for (const auto& [path, want] : cases) {
        EXPECT_EQ(session_code(url(path)), want) << path;
    }
}

TEST_F(WsErrorCode, CorruptCompressedData) {
    RawPeer peer([](const std::string& r) {
        // A compressed (RSV1) text frame whose payload does not inflate.
        return upgrade_answer(r, true,
                              "Sec-WebSocket-Extensions: permessage-deflate; "
                              "server_no_context_takeover; client_no_context_takeover\r\n") +
               std::string("\xc1\x04\xff\xff\xff\xff", 6);
    });
    HandshakeOptions o;
    o.compression = true;
    EXPECT_EQ(session_code(peer.url(), o), code::kBadCompressedData);
}

TEST_F(WsErrorCode, ConnectionEnds) {
    const std::pair<const char*, int> cases[] = {
        {"/drop", code::kAbnormalClosure},
        {"/reset", code::kReset},
        {"/close/1000", 0},
        {"/close/1001", 0},
        {"/close/empty", code::kCloseNoStatus},
        {"/close/1003", code::kCloseProtocol},
        {"/close/1008", code::kClosePolicy},
        {"/close/1011", code::kCloseServerError},
        {"/close/3000", code::kCloseLibrary},
        {"/close/4000", code::kClosePrivate},
    };
    for (const auto& [path, want] : cases) {
        int got = -1;
        run_coroutine([&, path = path](auto& ioc, Yield yield) {
            WsClient c(ioc);
            ASSERT_TRUE(c.connect(url(path), {}, yield).ok);
            ASSERT_EQ(c.send_text("x", yield), ""); // /drop and /reset act after one echo
            Event ev;
            do {
                ASSERT_TRUE(next(c, ev, yield));
            } while (!ev.terminal());
            got = ev.error_code;
        });
        EXPECT_EQ(got, want) << path;
    }
}

TEST_F(WsErrorCode, TheScriptsOwnWrites) {
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(c.connect(url("/"), {}, yield).ok);
        EXPECT_NE(c.ping(std::string(126, 'p'), yield), "");
        EXPECT_EQ(c.last_write_error_code(), code::kControlPayloadSize);
        EXPECT_EQ(c.close(1000, "", yield), "");
        EXPECT_EQ(c.send_text("late", yield), "websocket: close sent");
        EXPECT_EQ(c.last_write_error_code(), code::kWriteAfterClose);
    });
}

TEST(WsErrorCodeClassifier, StatusesAndCloseCodes) {
    EXPECT_EQ(code::of_status(400), 1400);
    EXPECT_EQ(code::of_status(599), 1599);
    EXPECT_EQ(code::of_status(302), code::kBadStatus);
    EXPECT_EQ(code::of_status(600), code::kBadStatus);
    EXPECT_EQ(code::of_close(1000), 0);
    EXPECT_EQ(code::of_close(1006), code::kAbnormalClosure);
    EXPECT_EQ(code::of_close(1002), code::kCloseProtocol);
    EXPECT_EQ(code::of_close(1007), code::kCloseProtocol);
    EXPECT_EQ(code::of_close(1014), code::kCloseServerError);
    EXPECT_EQ(code::of_close(3999), code::kCloseLibrary);
    EXPECT_EQ(code::of_close(4999), code::kClosePrivate);
    EXPECT_EQ(code::of_close(2000), code::kBadCloseCode);
}

// What loopback cannot provoke on demand: classified from the error and its cause.
TEST(WsErrorCodeClassifier, IoAndTls) {
    using boost::system::error_code;
    using boost::system::system_category;
    EXPECT_EQ(code::of_io(error_code(ECONNRESET, system_category()), StopCause::kNone),
              code::kReset);
    EXPECT_EQ(code::of_io(error_code(EPIPE, system_category()), StopCause::kNone),
              code::kBrokenPipe);
    EXPECT_EQ(code::of_io(error_code(ETIMEDOUT, system_category()), StopCause::kTimeout),
              code::kWriteTimeout);
    EXPECT_EQ(code::of_io(error_code(EIO, system_category()), StopCause::kNone), code::kTcp);
    EXPECT_EQ(code::of_tls_text("tls: failed to verify certificate: x509: certificate has "
                                "expired or is not yet valid"),
              code::kCertExpired);
    EXPECT_EQ(code::of_tls_text("remote error: tls: handshake failure"), code::kTlsAlert);
    EXPECT_EQ(code::of_tls_text("tls: something else"), code::kTls);
}

TEST(WsErrorCodeClassifier, EveryCodeHasOneName) {
    const int codes[] = {code::kGeneric,
                         code::kInvalidUrl,
                         code::kTimeout,
                         code::kDns,
                         code::kNoSuchHost,
                         code::kBlacklistedIp,
                         code::kBlockedHostname,
                         code::kTcp,
                         code::kBrokenPipe,
                         code::kDialTimeout,
                         code::kDialRefused,
                         code::kDialErrno,
                         code::kReset,
                         code::kWriteTimeout,
                         code::kTls,
                         code::kTlsNotTls,
                         code::kTlsAlert,
                         code::kUnknownAuthority,
                         code::kHostnameMismatch,
                         code::kCertExpired,
                         code::kBadStatus,
                         code::kBadAccept,
                         code::kBadUpgradeHeaders,
                         code::kBadCompression,
                         code::kMalformedResponse,
                         code::kHandshakeEof,
                         code::kBadRequestHeader,

                         code::kReservedBits,
                         code::kBadOpcode,
                         code::kMaskedFrame,
                         code::kBadControlFrame,
                         code::kBadFragmentation,
                         code::kBadCloseCode,
                         code::kBadCloseReason,
                         code::kReadLimit,
                         code::kBadCompressedData,
                         code::kAbnormalClosure,
                         code::kCloseNoStatus,
                         code::kCloseProtocol,
                         code::kClosePolicy,
                         code::kCloseServerError,
                         code::kCloseLibrary,
                         code::kClosePrivate,

                         code::kWriteAfterClose,
                         code::kControlPayloadSize,
                         1404,
                         1502};
    std::set<std::string_view> names;
    for (int c : codes) {
        EXPECT_FALSE(code::name(c).empty()) << c;
        names.insert(code::name(c));
    }
    EXPECT_EQ(names.size(), std::size(codes));
    EXPECT_TRUE(code::name(1999).empty());
}

} // namespace
} // namespace volley::net
