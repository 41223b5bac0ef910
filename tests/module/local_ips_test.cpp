// --local-ips (net/ip_pool.hpp) in real VUs against the echo server, which tells each client
// its own address (/peer, /http/peer): k6/http, k6/ws and k6/websockets dial from the pool's
// address of their VU, and a source address the host does not have fails the dial with Go's
// `dial tcp <ip>:0-><ep>: bind: ...` text.

#include <gtest/gtest.h>

#include "echo_suite.hpp"
#include "net/ip_pool.hpp"
#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

class LocalIps : public EchoSuite {
protected:
    // Runs `body` in an async default() of `vus` VUs dialling from `pool`.
    static JsRun run(const std::string& body, const net::IpPool& pool, int vus = 1) {
        JsOptions opts;
        opts.vus = vus;
        opts.env["WS"] = ws_base();
        opts.env["HTTP"] = http_base();
        opts.settings.local_ips = &pool;
        std::string source = R"(
            import http from 'k6/http';
            import ws from 'k6/ws';
            import { WebSocket } from 'k6/websockets';
            function expect(name, got, want) {
                if (got !== want) throw new Error(`${name}: got ${got}, want ${want}`);
            }
            export default async function () {
        )" + body + "\n}\n";
        return run_js(source, opts);
    }

    static net::IpPool pool(const char* text) { return *net::IpPool::parse(text); }
};

TEST_F(LocalIps, EachVuDialsFromItsAddressOfThePool) {
    auto p = pool("127.0.0.2-127.0.0.3");
    auto r = run(R"(
        const want = `127.0.0.${__VU + 1}`;
        expect('http', http.get(`${__ENV.HTTP}/http/peer`).body, want);
        let first = '';
        ws.connect(`${__ENV.WS}/peer`, (s) => {
            s.on('message', (m) => { first = m; s.close(); });
        });
        expect('k6/ws', first, want);
        const got = await new Promise((resolve, reject) => {
            const w = new WebSocket(`${__ENV.WS}/peer`);
            w.onmessage = (e) => { w.close(); resolve(e.data); };
            w.onerror = (e) => reject(new Error(e.error));
        });
        expect('k6/websockets', got, want);
    )",
                 p, 2);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, (std::vector<IterationResult>{IterationResult::kCompleted,
                                                       IterationResult::kCompleted}));
}

TEST_F(LocalIps, AnAddressTheHostLacksFailsTheDialAsGoSaysIt) {
    auto p = pool("192.0.2.1"); // TEST-NET-1: on no interface here
    auto r = run(R"(
        const ep = __ENV.HTTP.substring('http://'.length);
        const bind = `dial tcp 192.0.2.1:0->${ep}: bind: cannot assign requested address`;
        const res = http.get(`${__ENV.HTTP}/http/peer`); // k6 logs `bind` as a warning
        expect('http error', res.error,
               'dial: unknown errno 99 error with msg `cannot assign requested address`');
        expect('http code', res.error_code, 1213);
        const w = ws.connect(`${__ENV.WS}/peer`, () => {});
        expect('k6/ws', w.error, bind);
        const err = await new Promise((resolve) => {
            const s = new WebSocket(`${__ENV.WS}/peer`);
            s.onerror = (e) => resolve(e.error);
        });
        expect('k6/websockets', err.includes(bind), true);
    )",
                 p);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

} // namespace
} // namespace volley::test
