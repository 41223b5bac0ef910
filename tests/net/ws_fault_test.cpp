// Every failure point of a session, one at a time (Beast's fail_count loop): a whole session
// (handshake, TLS records, a message each way with compression, a ping, the close) runs with
// the Nth read (or write) counted from the start of one step made to fail, for each step and
// N = 1, 2, ... until a run sees no failure. Each run must end in a clean error text or event,
// never a crash, a hang or a success that did not happen, and each step must be reached.

#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "net/tls.hpp"
#include "net/ws_client.hpp"
#include "net_test_support.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::net {
namespace {

using testing::run_coroutine;
using testing::str;

// Where a session stopped: the step that reported the failure ("" if it ran to the end).
struct Outcome {
    std::string step;
    std::string error;
};

// Waits up to 10 s for an event of `type`; a terminal event or a local close is a failure.
std::string expect_event(WsClient& c, EventType type, Yield yield) {
    c.start_reading();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    Event ev;
    for (;;) {
        if (c.next_event(ev)) {
            if (ev.type == type) {
                return "";
            }
            if (ev.terminal()) {
                return ev.error.empty() ? "terminal event without a text" : str(ev.error);
            }
            continue;
        }
        WaitResult r = c.wait(deadline, yield);
        if (r == WaitResult::kTimeout) {
            return "timeout"; // counted as a hang by the test
        }
        if (r == WaitResult::kClosed) {
            return "closed locally";
        }
    }
}

const char* const kSteps[] = {"connect", "send", "receive", "ping", "close"};

// Runs the session; `at_step(name)` is called as each step starts.
Outcome run_session(WsClient& c, const std::string& url, const HandshakeOptions& o,
                    const std::function<void(const std::string&)>& at_step, Yield yield) {
    at_step("connect");
    auto hs = c.connect(url, o, yield);
    if (!hs.ok) {
        return {"connect", hs.error};
    }
    EXPECT_TRUE(hs.compression);
    at_step("send");
    if (auto e = c.send_text(std::string(3000, 'a'), yield); !e.empty()) {
        return {"send", e};
    }
    at_step("receive");
    if (auto e = expect_event(c, EventType::kText, yield); !e.empty()) {
        return {"receive", e};
    }
    at_step("ping");
    if (auto e = c.ping("p", yield); !e.empty()) {
        return {"ping", e};
    }
    at_step("close");
    if (auto e = c.close(1000, "", yield); !e.empty()) {
        return {"close", e};
    }
    return {};
}

class FaultEveryOperation : public ::testing::TestWithParam<bool> {};

TEST_P(FaultEveryOperation, FailsCleanlyAtEachStep) {
    bool tls = GetParam();
    wsecho::EchoOptions eo;
    eo.tls = tls;
    eo.compression = true;
    wsecho::EchoServer server(eo);
    server.start();
    TlsOptions to;
    to.extra_ca_pem = server.certificate_pem();
    auto cfg = TlsConfig::make(to);
    ASSERT_TRUE(cfg) << cfg.error();
    HandshakeOptions o;
    o.compression = true;
    o.tls = cfg->get();
    o.timeout = std::chrono::seconds(10);

    std::set<std::string> steps_failed;
    for (const std::string step : kSteps) {
        for (auto op : {FaultPlan::Op::kRead, FaultPlan::Op::kWrite}) {
            std::uint64_t n = 1;
            for (; n < 100; ++n) {
                FaultPlan plan;
                Outcome out;
                run_coroutine([&](auto& ioc, Yield yield) {
                    WsClient c(ioc);
                    c.set_fault_plan(&plan);
                    auto arm = [&](const std::string& s) {
                        if (s == step) {
                            plan.arm(op, n);
                        }
                    };
                    out = run_session(c, server.url() + "/", o, arm, yield);
                });
                SCOPED_TRACE(std::string(op == FaultPlan::Op::kRead ? "read " : "write ") +
                             std::to_string(n) + " from " + step + ", failed at " + out.step);
                if (!plan.failed) {
                    EXPECT_EQ(out.step, "") << out.error; // nothing failed: it ran to its end
                    break;
                }
                EXPECT_NE(out.step, "") << "an operation failed but the session succeeded";
                EXPECT_NE(out.error, "");
                EXPECT_NE(out.error, "timeout") << "a failed operation left the session waiting";
                steps_failed.insert(out.step);
            }
            EXPECT_LT(n, 100u) << "the session never ran out of operations to fail";
        }
    }
    // Every step that does I/O failed cleanly at least once: the handshake, both directions of
    // a message, and the control frames.
    for (const char* step : kSteps) {
        EXPECT_EQ(steps_failed.count(step), 1u) << "no failure injected at " << step;
    }
}

INSTANTIATE_TEST_SUITE_P(PlainAndTls, FaultEveryOperation, ::testing::Values(false, true),
                         [](const auto& p) { return std::string(p.param ? "Tls" : "Plain"); });

} // namespace
} // namespace volley::net
