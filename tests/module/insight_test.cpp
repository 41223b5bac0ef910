// --insight's connect phases (docs/insight.md) in a real VU: ws_dns_lookup, ws_tcp_connecting,
// ws_tls_handshaking (wss only) and ws_upgrading, with the session's tags, adding up to
// ws_connecting; none of them without --insight.

#include <memory>

#include <gtest/gtest.h>

#include "net/tls.hpp"
#include "process.hpp"
#include "run_js.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::test {
namespace {

constexpr const char* kPhases[] = {"ws_dns_lookup", "ws_tcp_connecting", "ws_tls_handshaking",
                                   "ws_upgrading"};

class Insight : public ::testing::Test {
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

    static JsRun connect(const std::string& url, bool insight, const std::string& module = "ws") {
        JsOptions opts;
        opts.insight = insight;
        opts.env["URL"] = url;
        static std::unique_ptr<net::TlsConfig> trust = [] {
            net::TlsOptions to;
            to.extra_ca_pem = tls_->certificate_pem();
            return std::move(*net::TlsConfig::make(to));
        }();
        opts.settings.tls = trust.get();
        std::string body =
            module == "ws"
                ? "import ws from 'k6/ws';\n"
                  "export default function () {\n"
                  "  ws.connect(__ENV.URL, {}, (s) => s.on('open', () => s.close()));\n}\n"
                : "import { WebSocket } from 'k6/websockets';\n"
                  "export default function () {\n"
                  "  const s = new WebSocket(__ENV.URL);\n"
                  "  s.onopen = () => s.close();\n}\n";
        return run_js(body, opts);
    }

    // The phases each appear `count` times (TLS: `tls` times) and add up to ws_connecting.
    static void expect_phases(const JsRun& r, std::size_t tls) {
        auto connecting = only(r.samples, "ws_connecting");
        ASSERT_EQ(connecting.size(), 1U);
        double sum = 0;
        for (const char* name : kPhases) {
            auto s = only(r.samples, name);
            bool is_tls = std::string(name) == "ws_tls_handshaking";
            ASSERT_EQ(s.size(), is_tls ? tls : 1U) << name;
            for (const auto& one : s) {
                EXPECT_GE(one.value, 0) << name;
                EXPECT_EQ(one.tags, connecting[0].tags) << name;
                sum += one.value;
            }
        }
        EXPECT_NEAR(sum, connecting[0].value, 1e-6);
    }

    static std::unique_ptr<wsecho::EchoServer> plain_;
    static std::unique_ptr<wsecho::EchoServer> tls_;
};

std::unique_ptr<wsecho::EchoServer> Insight::plain_;
std::unique_ptr<wsecho::EchoServer> Insight::tls_;

TEST_F(Insight, PlainSessionPhasesAddUpToWsConnecting) {
    auto r = connect(plain_->url() + "/", true);
    ASSERT_EQ(r.error, "");
    expect_phases(r, 0);
}

TEST_F(Insight, TlsSessionHasATlsPhase) {
    auto r = connect(tls_->url() + "/", true);
    ASSERT_EQ(r.error, "");
    expect_phases(r, 1);
    EXPECT_GT(only(r.samples, "ws_tls_handshaking")[0].value, 0);
}

TEST_F(Insight, FailedDialStopsAtTheTcpPhase) {
    auto r = connect("ws://127.0.0.1:" + std::to_string(free_loopback_port()) + "/", true);
    ASSERT_EQ(r.error, "");
    expect_phases(r, 0);
    EXPECT_EQ(only(r.samples, "ws_upgrading")[0].value, 0);
}

TEST_F(Insight, WebSocketsModuleToo) {
    auto r = connect(plain_->url() + "/", true, "websockets");
    ASSERT_EQ(r.error, "");
    expect_phases(r, 0);
}

TEST_F(Insight, NothingWithoutInsight) {
    auto r = connect(plain_->url() + "/", false);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(only(r.samples, "ws_connecting").size(), 1U);
    for (const char* name : kPhases) {
        EXPECT_TRUE(only(r.samples, name).empty()) << name;
    }
}

} // namespace
} // namespace volley::test
