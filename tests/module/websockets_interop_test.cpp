// k6/websockets against independent WebSocket servers: python3-websockets and node's `ws`
// (tests/net/peers/echo.py, echo.js), with several sockets in one VU, text and binary
// messages, permessage-deflate and the close handshake. Skipped only when a peer is missing.

#include <cstdlib>
#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "../net/peer_process.hpp"
#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

const std::string kPeers = std::string(VOLLEY_SOURCE_DIR) + "/tests/net/peers/";

std::unique_ptr<net::testing::PeerProcess> start_peer(bool node) {
    if (!node) {
        if (std::system("/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1") != 0) {
            return nullptr;
        }
        return std::make_unique<net::testing::PeerProcess>(
            std::vector<std::string>{"/usr/bin/python3", kPeers + "echo.py"},
            std::vector<std::string>{});
    }
    if (!std::filesystem::exists("/usr/bin/node") ||
        !std::filesystem::exists("/usr/share/nodejs/ws")) {
        return nullptr;
    }
    return std::make_unique<net::testing::PeerProcess>(
        std::vector<std::string>{"/usr/bin/node", kPeers + "echo.js"},
        std::vector<std::string>{"NODE_PATH=/usr/share/nodejs"});
}

class WebSocketsInterop : public ::testing::TestWithParam<bool> {};

TEST_P(WebSocketsInterop, SeveralSocketsTextBinaryDeflateAndClose) {
    auto peer = start_peer(GetParam());
    if (!peer) {
        GTEST_SKIP() << "peer not installed";
    }
    ASSERT_GT(peer->port(), 0) << "the peer did not print its port";
    JsOptions opts;
    opts.env["URL"] = "ws://127.0.0.1:" + std::to_string(peer->port()) + "/";
    auto r = run_js(R"(
        import { WebSocket } from 'k6/websockets';
        function expect(name, got, want) {
            if (JSON.stringify(got) !== JSON.stringify(want))
                throw new Error(name + ': got ' + JSON.stringify(got));
        }
        function session(i, compression) {
            return new Promise((resolve, reject) => {
                const params = compression ? { compression: 'deflate' } : {};
                const ws = new WebSocket(__ENV.URL, null, params);
                ws.binaryType = 'arraybuffer';
                const got = [];
                ws.onopen = () => {
                    ws.send('text ' + i + ' ' + 'x'.repeat(2000));
                    ws.send(new Uint8Array([i, 0, 255]));
                };
                ws.onmessage = (e) => {
                    got.push(typeof e.data === 'string' ? e.data.slice(0, 7)
                                                        : Array.from(new Uint8Array(e.data)));
                    if (got.length === 2) ws.close(1000, 'done');
                };
                ws.onerror = (e) => reject(new Error(e.error));
                ws.onclose = (e) => resolve({ got, code: e.code, ext: ws.extensions.length > 0 });
            });
        }
        export default async function () {
            const all = await Promise.all([0, 1, 2, 3].map((i) => session(i, i % 2 === 1)));
            all.forEach((s, i) => {
                expect('session ' + i, s, { got: ['text ' + i + ' ', [i, 0, 255]], code: 1000,
                                            ext: i % 2 === 1 });
            });
        }
    )",
                    opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
    EXPECT_EQ(only(r.samples, "ws_sessions").size(), 4u);
    EXPECT_EQ(only(r.samples, "ws_msgs_received").size(), 8u);
}

INSTANTIATE_TEST_SUITE_P(Peers, WebSocketsInterop, ::testing::Values(false, true),
                         [](const auto& p) { return std::string(p.param ? "Node" : "Python"); });

} // namespace
} // namespace volley::test
