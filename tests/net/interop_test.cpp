// WsClient against independent WebSocket implementations: python3-websockets and node's `ws`,
// started on 127.0.0.1 port 0 by the test. Skipped only when the interpreter or module is
// missing.

#include <cstdlib>
#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "net/ws_client.hpp"
#include "net_test_support.hpp"
#include "peer_process.hpp"

namespace volley::net {
namespace {

using testing::next;
using testing::PeerProcess;
using testing::run_coroutine;
using testing::str;

const std::string kPeers = std::string(VOLLEY_SOURCE_DIR) + "/tests/net/peers/";

// Debian's python3 has python3-websockets; a python3 earlier in PATH (pyenv) may not.
std::unique_ptr<PeerProcess> start_python() {
    const char* python = "/usr/bin/python3";
    if (!std::filesystem::exists(python) ||
        std::system("/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1") != 0) {
        return nullptr;
    }
    return std::make_unique<PeerProcess>(std::vector<std::string>{python, kPeers + "echo.py"},
                                         std::vector<std::string>{});
}

std::unique_ptr<PeerProcess> start_node() {
    std::string node;
    for (const char* candidate : {"/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"}) {
        if (std::filesystem::exists(candidate)) {
            node = candidate;
            break;
        }
    }
    if (node.empty() || !std::filesystem::exists("/usr/share/nodejs/ws")) {
        return nullptr;
    }
    return std::make_unique<PeerProcess>(std::vector<std::string>{node, kPeers + "echo.js"},
                                         std::vector<std::string>{"NODE_PATH=/usr/share/nodejs"});
}

enum class Peer { kPython, kNode };

class InteropTest : public ::testing::TestWithParam<Peer> {
protected:
    void SetUp() override {
        peer_ = GetParam() == Peer::kPython ? start_python() : start_node();
        if (!peer_) {
            GTEST_SKIP() << "peer not installed";
        }
        ASSERT_GT(peer_->port(), 0) << "the peer did not print its port";
        url_ = "ws://127.0.0.1:" + std::to_string(peer_->port()) + "/";
    }

    std::unique_ptr<PeerProcess> peer_;
    std::string url_;
};

void echo_round_trips(WsClient& c, Yield yield) {
    Event ev;
    ASSERT_EQ(c.send_text("hello \xc3\xa9", yield), "");
    ASSERT_TRUE(next(c, ev, yield));
    EXPECT_EQ(ev.type, EventType::kText);
    EXPECT_EQ(str(ev.data), "hello \xc3\xa9");
    std::string bytes("\0\x01\xfe\xff", 4);
    ASSERT_EQ(c.send_binary(bytes, yield), "");
    ASSERT_TRUE(next(c, ev, yield));
    EXPECT_EQ(ev.type, EventType::kBinary);
    EXPECT_EQ(str(ev.data), bytes);
    std::string big(1 << 20, 'q');
    big[12345] = 'r';
    ASSERT_EQ(c.send_text(big, yield), "");
    ASSERT_TRUE(next(c, ev, yield));
    EXPECT_TRUE(ev.data == big);
    ASSERT_EQ(c.ping("7", yield), "");
    ASSERT_TRUE(next(c, ev, yield));
    EXPECT_EQ(ev.type, EventType::kPong);
    EXPECT_EQ(str(ev.data), "7");
}

TEST_P(InteropTest, EchoPingAndClose) {
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        auto hs = c.connect(url_, {}, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        echo_round_trips(c, yield);
        EXPECT_EQ(c.close(kCloseNormal, "", yield), "");
    });
}

TEST_P(InteropTest, Compression) {
    run_coroutine([&](auto& ioc, Yield yield) {
        WsClient c(ioc);
        HandshakeOptions o;
        o.compression = true;
        auto hs = c.connect(url_, o, yield);
        ASSERT_TRUE(hs.ok) << hs.error;
        EXPECT_TRUE(hs.compression) << str(header_value(hs.headers, "Sec-Websocket-Extensions"));
        echo_round_trips(c, yield);
        EXPECT_EQ(c.close(kCloseNormal, "", yield), "");
    });
}

TEST_P(InteropTest, ManySessions) {
    run_coroutine([&](auto& ioc, Yield yield) {
        for (int i = 0; i < 20; ++i) {
            WsClient c(ioc);
            auto hs = c.connect(url_, {}, yield);
            ASSERT_TRUE(hs.ok) << hs.error;
            ASSERT_EQ(c.send_text(std::to_string(i), yield), "");
            Event ev;
            ASSERT_TRUE(next(c, ev, yield));
            EXPECT_EQ(str(ev.data), std::to_string(i));
            EXPECT_EQ(c.close(kCloseGoingAway, "", yield), "");
        }
    });
}

INSTANTIATE_TEST_SUITE_P(Peers, InteropTest, ::testing::Values(Peer::kPython, Peer::kNode),
                         [](const auto& param_info) {
                             return param_info.param == Peer::kPython ? "python_websockets"
                                                                      : "node_ws";
                         });

} // namespace
} // namespace volley::net
