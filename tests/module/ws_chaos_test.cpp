// Each misbehaviour of `volley echo --chaos` (chaos.hpp) against a k6/ws session in a real VU:
// the session sends every 50 ms and closes after 2 s. Whatever the server does, the session
// must end by the server's 10 s lifetime (plus slack) with the outcome listed here (a failed
// handshake returns a response without throwing, k6-ws.md §1.6; the events are those the
// path-based behaviour of the same kind gives, ws_module_test.cpp), and the VU must go on to a
// next iteration.

#include <string>

#include <gtest/gtest.h>

#include "run_js.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::test {
namespace {

struct ChaosCase {
    const char* name;   // the misbehaviour (the whole mix)
    const char* expect; // a JS expression over `out` that must be true
};

void PrintTo(const ChaosCase& c, std::ostream* os) {
    *os << c.name;
}

class WsChaos : public ::testing::TestWithParam<ChaosCase> {};

constexpr const char* kSession = R"(
    import ws from 'k6/ws';
    import { check } from 'k6';
    export default function () {
        const t0 = Date.now();
        const out = { open: false, messages: 0, errors: [], close: null, threw: null };
        try {
            const res = ws.connect(__ENV.BASE + '/', function (socket) {
                socket.on('open', () => {
                    out.open = true;
                    socket.setInterval(() => socket.send('x'), 50);
                    socket.setTimeout(() => socket.close(), 2000);
                });
                socket.on('message', () => out.messages++);
                socket.on('error', (e) => out.errors.push(String(e.error())));
                socket.on('close', (c) => { out.close = c; });
            });
            out.status = res.status;
            out.error = res.error;
        } catch (e) {
            out.threw = String(e);
        }
        out.ms = Date.now() - t0;
        const ok = out.ms < 12000 && (EXPECT);
        check(out, { [JSON.stringify(out)]: () => ok });
    }
)";

TEST_P(WsChaos, SessionEndsWithTheExpectedOutcome) {
    const ChaosCase& c = GetParam();
    wsecho::EchoOptions o;
    o.chaos = wsecho::parse_chaos(std::string("1:") + c.name);
    wsecho::EchoServer server(o);
    server.start();
    std::string source = kSession;
    source.replace(source.find("EXPECT"), 6, c.expect);
    JsOptions opts;
    opts.env["BASE"] = server.url();
    opts.iterations = 2; // the VU goes on after whatever happened
    opts.timeout = std::chrono::seconds(30);
    JsRun r = run_js(source, opts);
    ASSERT_EQ(r.error, "");
    ASSERT_EQ(r.results.size(), 2U);
    auto checks = only(r.samples, "checks");
    ASSERT_EQ(checks.size(), 2U);
    for (const auto& s : checks) {
        EXPECT_EQ(s.value, 1.0) << c.name << " gave " << s.tags.at("check");
    }
}

const ChaosCase kCases[] = {
    {"echo", "out.open && out.messages >= 20 && out.errors.length === 0"},
    {"reset", "out.open && out.messages >= 1 && out.messages <= 5 && out.close >= 1001"},
    {"hang", "!out.open && out.status === 0 && out.error !== '' && out.ms >= 9000"},
    {"status", "!out.open && [200, 400, 403, 500, 503].includes(out.status)"},
    {"garbage-handshake", "!out.open && out.status === 0 && out.error !== ''"},
    {"drop", "out.open && out.messages >= 1 && out.messages <= 5 && out.close === 1006"},
    {"garbage", "out.open && out.close === 1001"}, // k6: close 1001 after a violation
    {"huge-frame", "out.open && out.messages === 0 && out.close === 1001"},
    {"invalid-utf8", "out.open && out.messages >= 20"}, // delivered: k6 does not validate
    {"noread", "out.open && out.messages === 0"},
    {"flood", "out.open && out.messages > 100"},
    {"ping-flood", "out.open"},
    {"bad-close", "out.open && out.close === 1001 && out.errors[0] === 'websocket: close sent'"},
    {"half-close", "out.open && out.close === 1006"},
};

std::string case_name(const ::testing::TestParamInfo<ChaosCase>& p) {
    std::string n = p.param.name;
    for (auto& ch : n) {
        ch = ch == '-' ? '_' : ch;
    }
    return n;
}

INSTANTIATE_TEST_SUITE_P(EveryMisbehaviour, WsChaos, ::testing::ValuesIn(kCases), case_name);

} // namespace
} // namespace volley::test
