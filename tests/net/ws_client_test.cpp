// WsClient against the in-repo echo server on 127.0.0.1, port 0: every event and error path.

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
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

class WsClientTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<wsecho::EchoServer>(wsecho::EchoOptions{});
        server_->start();
    }
    static void TearDownTestSuite() { server_.reset(); }

    static std::string url(const std::string& path) { return server_->url() + path; }

    // Connects to `path`, asserting success.
    static bool open(WsClient& c, const std::string& path, Yield yield,
                     const HandshakeOptions& o = {}) {
        auto hs = c.connect(url(path), o, yield);
        EXPECT_TRUE(hs.ok) << hs.error;
        EXPECT_EQ(hs.status, 101);
        return hs.ok;
    }

    static inline std::unique_ptr<wsecho::EchoServer> server_;
};

TEST_F(WsClientTest, EchoesTextAndClosesLikeK6) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/", yield));
        EXPECT_TRUE(c.is_open());
        EXPECT_EQ(c.send_text("hello", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kText);
        EXPECT_EQ(str(ev.data), "hello");
        EXPECT_EQ(c.close(1000, "", yield), "");
        EXPECT_FALSE(c.is_open());
        EXPECT_EQ(c.close(1000, "", yield), "websocket: close sent");
        EXPECT_EQ(c.send_text("late", yield), "websocket: close sent");
        EXPECT_EQ(c.ping("0", yield), "websocket: close sent");
        EXPECT_EQ(c.wait(std::chrono::steady_clock::time_point::max(), yield), WaitResult::kClosed);
    });
}

TEST_F(WsClientTest, EchoesBinaryWithZeros) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/", yield));
        std::string bytes("\0\1\2\xff", 4);
        EXPECT_EQ(c.send_binary(bytes, yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kBinary);
        EXPECT_EQ(str(ev.data), bytes);
    });
}

TEST_F(WsClientTest, EchoesLargeMessagesAndManyInARow) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/", yield));
        std::string big(3 * 1024 * 1024 + 7, 'x');
        for (std::size_t i = 0; i < big.size(); i += 4096) {
            big[i] = static_cast<char>('a' + (i / 4096) % 26);
        }
        EXPECT_EQ(c.send_text(big, yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.data.size(), big.size());
        EXPECT_TRUE(ev.data == big);
        for (int i = 0; i < 200; ++i) {
            ASSERT_EQ(c.send_text(std::to_string(i), yield), "");
        }
        for (int i = 0; i < 200; ++i) {
            ASSERT_TRUE(next(c, ev, yield));
            ASSERT_EQ(str(ev.data), std::to_string(i));
        }
    });
}

// Buffers above 64 KiB stay while large messages keep coming, go after 16 small ones in a row,
// and go at once above 1 MiB (net/ws_session.hpp, kShrinkAbove).
TEST_F(WsClientTest, LargeBuffersAreReleasedAfterARunOfSmallMessages) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/", yield));
        Event ev;
        auto echo = [&](const std::string& m) {
            ASSERT_EQ(c.send_text(m, yield), "");
            ASSERT_TRUE(next(c, ev, yield));
            ASSERT_EQ(ev.data.size(), m.size());
        };
        const std::string large(200 * 1024, 'L');
        for (int i = 0; i < 3; ++i) {
            echo(large);
            EXPECT_GT(c.buffer_bytes(), 2 * large.size()) << "message " << i;
        }
        for (int i = 0; i < 15; ++i) {
            echo("small");
        }
        EXPECT_GT(c.buffer_bytes(), 2 * large.size()) << "released before 16 small messages";
        echo("small");
        echo("small"); // releases the read side's hold on the 16th
        EXPECT_LT(c.buffer_bytes(), 64 * 1024);

        echo(std::string(2 * 1024 * 1024, 'H')); // above 1 MiB: never kept
        echo("small");
        EXPECT_LT(c.buffer_bytes(), 64 * 1024);
    });
}

TEST_F(WsClientTest, PingGetsPong) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/", yield));
        EXPECT_EQ(c.ping("0", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kPong);
        EXPECT_EQ(str(ev.data), "0");
        EXPECT_EQ(c.ping(std::string(126, 'p'), yield), "websocket: invalid control frame");
    });
}

TEST_F(WsClientTest, ServerPingIsAnEventAndTheOwnerAnswers) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/ping", yield));
        EXPECT_EQ(c.send_text("x", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kText);
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kPing);
        EXPECT_EQ(str(ev.data), "server-ping");
        EXPECT_EQ(c.pong(ev.data, yield), "");
        EXPECT_EQ(c.send_text("y", yield), ""); // the server still talks to us
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(str(ev.data), "y");
    });
}

struct CloseCase {
    std::string path;
    std::uint16_t code;
    std::string error;
    std::string reason;
};

// Readable test names in ctest (gtest would print the bytes of the struct).
void PrintTo(const CloseCase& c, std::ostream* os) {
    *os << c.path;
}

class ServerCloseTest : public WsClientTest, public ::testing::WithParamInterface<CloseCase> {};

TEST_P(ServerCloseTest, ReportsCodeAndGorillaText) {
    run_coroutine([](auto& ioc, Yield yield) {
        const CloseCase& tc = GetParam();
        WsClient c(ioc);
        ASSERT_TRUE(open(c, tc.path, yield));
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kClose);
        EXPECT_EQ(ev.code, tc.code);
        EXPECT_EQ(str(ev.error), tc.error);
        EXPECT_EQ(str(ev.data), tc.reason);
        EXPECT_TRUE(ev.terminal());
        EXPECT_EQ(c.close(ev.code, "", yield), ""); // k6 echoes the code
        EXPECT_FALSE(c.next_event(ev));
    });
}

INSTANTIATE_TEST_SUITE_P(
    Codes, ServerCloseTest,
    ::testing::Values(CloseCase{"/close/1000", 1000, "", ""},
                      CloseCase{"/close/1001?reason=bye", 1001, "", "bye"},
                      CloseCase{"/close/1002", 1002, "websocket: close 1002 (protocol error)", ""},
                      CloseCase{"/close/1011?reason=oops", 1011,
                                "websocket: close 1011 (internal server error): oops", "oops"},
                      CloseCase{"/close/4000?reason=bye", 4000, "websocket: close 4000: bye",
                                "bye"},
                      CloseCase{"/close/empty", 1005, "websocket: close 1005 (no status)", ""}));

struct ViolationCase {
    std::string path;
    std::string error;
};

void PrintTo(const ViolationCase& c, std::ostream* os) {
    *os << c.path;
}

class ProtocolViolationTest : public WsClientTest,
                              public ::testing::WithParamInterface<ViolationCase> {};

TEST_P(ProtocolViolationTest, IsAnErrorEventWithTheReasonFor1002) {
    run_coroutine([](auto& ioc, Yield yield) {
        const ViolationCase& tc = GetParam();
        WsClient c(ioc);
        ASSERT_TRUE(open(c, tc.path, yield));
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kError);
        EXPECT_TRUE(ev.protocol_error);
        EXPECT_EQ(str(ev.error), tc.error);
        EXPECT_EQ("websocket: " + str(ev.data), tc.error);
        EXPECT_EQ(c.close(kCloseProtocolError, ev.data, yield), "");
        EXPECT_EQ(c.close(kCloseGoingAway, "", yield), "websocket: close sent");
    });
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ProtocolViolationTest,
    ::testing::Values(ViolationCase{"/garbage?kind=opcode", "websocket: bad opcode 3"},
                      ViolationCase{"/garbage?kind=rsv", "websocket: RSV2 set"},
                      ViolationCase{"/garbage?kind=rsv1", "websocket: RSV1 set"},
                      ViolationCase{"/garbage?kind=masked", "websocket: bad MASK"},
                      ViolationCase{"/garbage?kind=bigping", "websocket: len > 125 for control"},
                      ViolationCase{"/garbage?kind=fragping", "websocket: FIN not set on control"},
                      ViolationCase{"/garbage?kind=cont", "websocket: continuation after FIN"},
                      ViolationCase{"/garbage?kind=stub", "websocket: bad opcode 3"},
                      ViolationCase{"/garbage?kind=neglen", "websocket: bad opcode 3"},
                      ViolationCase{"/close/999", "websocket: bad close code 999"},
                      ViolationCase{"/close/1006", "websocket: bad close code 1006"}));

// gorilla's setReadRemaining: a negative 64-bit length is ErrReadLimit, not a protocol error
// (no close frame of its own).
TEST_F(WsClientTest, NegativeLengthIsAReadLimitError) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/garbage?kind=textneglen", yield));
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kError);
        EXPECT_FALSE(ev.protocol_error);
        EXPECT_EQ(str(ev.error), "websocket: read limit exceeded");
        EXPECT_EQ(c.close(kCloseGoingAway, "", yield), "");
    });
}

TEST_F(WsClientTest, EofWithoutCloseFrameIs1006) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/drop", yield));
        EXPECT_EQ(c.send_text("a", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(str(ev.data), "a");
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kClose);
        EXPECT_EQ(ev.code, kCloseAbnormal);
        EXPECT_EQ(str(ev.error), "websocket: close 1006 (abnormal closure): unexpected EOF");
    });
}

TEST_F(WsClientTest, ResetIsAReadError) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/reset", yield));
        EXPECT_EQ(c.send_text("a", yield), "");
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(str(ev.data), "a");
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kError);
        EXPECT_FALSE(ev.protocol_error);
        EXPECT_EQ(str(ev.error).rfind("read tcp 127.0.0.1:", 0), 0u) << ev.error;
        EXPECT_NE(str(ev.error).find(": read: connection reset by peer"), std::string::npos)
            << ev.error;
    });
}

TEST_F(WsClientTest, InvalidUtf8TextIsDeliveredAsIs) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/invalid-utf8", yield));
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kText);
        EXPECT_EQ(str(ev.data), "a\xff"
                                "b");
    });
}

TEST_F(WsClientTest, FragmentsAreReassembledAroundAPing) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/fragmented", yield));
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kPing);
        EXPECT_EQ(str(ev.data), "frag");
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kText);
        EXPECT_EQ(str(ev.data), "hello world");
    });
}

TEST_F(WsClientTest, BinaryFromServer) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        ASSERT_TRUE(open(c, "/binary", yield));
        Event ev;
        ASSERT_TRUE(next(c, ev, yield));
        EXPECT_EQ(ev.type, EventType::kBinary);
        ASSERT_EQ(ev.data.size(), 256u);
        for (int i = 0; i < 256; ++i) {
            ASSERT_EQ(static_cast<unsigned char>(ev.data[static_cast<std::size_t>(i)]), i);
        }
    });
}

TEST_F(WsClientTest, RejectedUpgradeKeepsStatusHeadersAndBody) {
    run_coroutine([](auto& ioc, Yield yield) {
        WsClient c(ioc);
        auto hs = c.connect(url("/reject/403"), {}, yield);
        EXPECT_FALSE(hs.ok);
        EXPECT_EQ(hs.error, "websocket: bad handshake");
        EXPECT_EQ(hs.status, 403);
        EXPECT_EQ(str(header_value(hs.headers, "X-Echo-Reject")), "403");
        EXPECT_EQ(str(header_value(hs.headers, "Server")), "volley-echo");
        EXPECT_EQ(hs.body, "rejected with 403\n");
        EXPECT_GE(hs.connect_ms, 0.0);
        EXPECT_FALSE(c.is_open());
        EXPECT_NE(c.send_text("x", yield), "");
    });
}

} // namespace
} // namespace volley::net
