// --insight (docs/insight.md) in a real VU. The connect phases: ws_dns_lookup,
// ws_tcp_connecting, ws_tls_handshaking (wss only) and ws_upgrading, with the session's tags,
// adding up to ws_connecting. The error codes: ws_errors by error_code, the tag on the failing
// session's later samples, and the codes on error events (net's ws_error_code_test.cpp provokes
// each code). None of it without --insight.

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

// A script that records its error events' `code` and `error_code` in a check's name.
JsRun run_errors(const std::string& body, const std::string& url, bool insight) {
    JsOptions opts;
    opts.insight = insight;
    opts.env["URL"] = url;
    return run_js(body + "\nfunction report(e) {\n"
                         "  check(1, { ['code=' + e.code + ' error_code=' + e.error_code]: "
                         "() => true });\n}\n",
                  opts);
}

// The names of the checks a run made.
std::vector<std::string> check_names(const JsRun& r) {
    std::vector<std::string> out;
    for (const auto& s : only(r.samples, "checks")) {
        out.push_back(s.tags.at("check"));
    }
    return out;
}

constexpr const char* kWsRefused = R"(
    import ws from 'k6/ws';
    import { check } from 'k6';
    export default function () {
        ws.connect(__ENV.URL, {}, () => {});
    })";

TEST_F(Insight, FailedHandshakeIsCountedAndTagged) {
    std::string url = "ws://127.0.0.1:" + std::to_string(free_loopback_port()) + "/";
    auto r = run_errors(kWsRefused, url, true);
    ASSERT_EQ(r.error, "");
    auto errors = only(r.samples, "ws_errors");
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].value, 1);
    EXPECT_EQ(errors[0].tags.at("error_code"), "1212");
    EXPECT_EQ(errors[0].tags.at("url"), url);
    for (const char* name : {"ws_connecting", "ws_sessions", "ws_session_duration"}) {
        auto s = only(r.samples, name);
        ASSERT_EQ(s.size(), 1U) << name;
        EXPECT_EQ(s[0].tags, errors[0].tags) << name;
    }
}

TEST_F(Insight, NoErrorCodesWithoutInsight) {
    std::string url = "ws://127.0.0.1:" + std::to_string(free_loopback_port()) + "/";
    auto r = run_errors(kWsRefused, url, false);
    ASSERT_EQ(r.error, "");
    EXPECT_TRUE(only(r.samples, "ws_errors").empty());
    EXPECT_EQ(only(r.samples, "ws_connecting")[0].tags.count("error_code"), 0U);
}

TEST_F(Insight, ErrorCodeTagFollowsTheSystemTags) {
    JsOptions opts;
    opts.insight = true;
    opts.settings.system_tags.erase("error_code");
    opts.env["URL"] = "ws://127.0.0.1:" + std::to_string(free_loopback_port()) + "/";
    auto r = run_js(kWsRefused, opts);
    ASSERT_EQ(r.error, "");
    // ws_errors is by code whatever the system tags; the session's samples are not tagged.
    EXPECT_EQ(only(r.samples, "ws_errors").at(0).tags.at("error_code"), "1212");
    EXPECT_EQ(only(r.samples, "ws_connecting").at(0).tags.count("error_code"), 0U);
}

constexpr const char* kWsSession = R"(
    import ws from 'k6/ws';
    import { check } from 'k6';
    export default function () {
        ws.connect(__ENV.URL, {}, (s) => {
            s.on('open', () => s.send('x'));
            s.on('error', report);
        });
    })";

TEST_F(Insight, CloseErrorsKeepK6sCodeAndGetErrorCode) {
    auto r = run_errors(kWsSession, plain_->url() + "/close/4000", true);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(check_names(r), std::vector<std::string>{"code=4000 error_code=1856"});
    EXPECT_EQ(only(r.samples, "ws_errors").at(0).tags.at("error_code"), "1856");
    EXPECT_EQ(only(r.samples, "ws_session_duration").at(0).tags.at("error_code"), "1856");
    // The message counted before the close carries no code.
    EXPECT_EQ(only(r.samples, "ws_msgs_sent").at(0).tags.count("error_code"), 0U);

    auto plain = run_errors(kWsSession, plain_->url() + "/close/4000", false);
    EXPECT_EQ(check_names(plain), std::vector<std::string>{"code=4000 error_code=undefined"});
}

// A reset: the read error has no event in k6/ws; k6's close (1001) that follows fails to
// write, and that error has one. Both are counted; the session's samples carry the first.
TEST_F(Insight, EveryErrorIsCountedTheFirstTagsTheSession) {
    auto r = run_errors(kWsSession, plain_->url() + "/reset", true);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(check_names(r), std::vector<std::string>{"code=1201 error_code=1201"});
    auto errors = only(r.samples, "ws_errors");
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0].tags.at("error_code"), "1220");
    EXPECT_EQ(errors[1].tags.at("error_code"), "1201");
    EXPECT_EQ(only(r.samples, "ws_session_duration").at(0).tags.at("error_code"), "1220");
}

TEST_F(Insight, WriteErrorsGetBothCodes) {
    auto r = run_errors(R"(
        import ws from 'k6/ws';
        import { check } from 'k6';
        export default function () {
            ws.connect(__ENV.URL, {}, (s) => {
                s.on('error', report);
                s.on('open', () => { s.close(); s.send('late'); });
            });
        })",
                        plain_->url() + "/", true);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(check_names(r), std::vector<std::string>{"code=1860 error_code=1860"});
}

TEST_F(Insight, WebSocketsErrorEventsGetCodes) {
    std::string url = "ws://127.0.0.1:" + std::to_string(free_loopback_port()) + "/";
    auto r = run_errors(R"(
        import { WebSocket } from 'k6/websockets';
        import { check } from 'k6';
        export default function () {
            const s = new WebSocket(__ENV.URL);
            s.onerror = report;
        })",
                        url, true);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(check_names(r), std::vector<std::string>{"code=1212 error_code=1212"});
    auto errors = only(r.samples, "ws_errors");
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(only(r.samples, "ws_connecting").at(0).tags, errors[0].tags);

    auto closed = run_errors(R"(
        import { WebSocket } from 'k6/websockets';
        import { check } from 'k6';
        export default function () {
            const s = new WebSocket(__ENV.URL);
            s.onerror = report;
        })",
                             plain_->url() + "/close/1011", true);
    ASSERT_EQ(closed.error, "");
    EXPECT_EQ(check_names(closed), std::vector<std::string>{"code=1854 error_code=1854"});
}

} // namespace
} // namespace volley::test
