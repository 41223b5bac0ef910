// The `dns` option's resolver (net/dns_resolver.hpp) in real VUs: k6/http, k6/ws and
// k6/websockets dial `localhost` at the address the policy keeps (127.0.0.1 under k6's default
// preferIPv4, even where the system lists ::1 first), and an answer the policy empties fails as
// k6's `lookup localhost: no such host` (k6/http error code 1000).

#include <gtest/gtest.h>

#include "echo_suite.hpp"
#include "net/dns_resolver.hpp"
#include "run_js.hpp"

#include <netdb.h>

namespace volley::test {
namespace {

using exec::IterationResult;

class Dns : public EchoSuite {
protected:
    // Runs `body` in an async default() resolving through `dns`; PORT is the echo server's.
    static JsRun run(const std::string& body, net::DnsResolver& dns) {
        JsOptions opts;
        std::string url = ws_base();
        opts.env["PORT"] = url.substr(url.rfind(':') + 1);
        opts.settings.dns = &dns;
        std::string source = R"(
            import http from 'k6/http';
            import ws from 'k6/ws';
            import { WebSocket } from 'k6/websockets';
            const H = `http://localhost:${__ENV.PORT}`, W = `ws://localhost:${__ENV.PORT}`;
            function expect(name, got, want) {
                if (got !== want) throw new Error(`${name}: got ${got}, want ${want}`);
            }
            export default async function () {
        )" + body + "\n}\n";
        return run_js(source, opts);
    }

    static void expect_ok(const JsRun& r) {
        ASSERT_EQ(r.error, "");
        EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
    }

    // Whether the system resolver gives localhost an IPv6 address.
    static bool localhost_has_ipv6() {
        addrinfo hints{};
        hints.ai_family = AF_INET6;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        bool found = ::getaddrinfo("localhost", nullptr, &hints, &res) == 0 && res != nullptr;
        if (res != nullptr) {
            ::freeaddrinfo(res);
        }
        return found;
    }
};

TEST_F(Dns, PreferIpv4DialsLocalhostAt127001) {
    net::DnsResolver dns; // k6's defaults: 5m, random, preferIPv4
    auto r = run(R"(
        const res = http.get(`${H}/http/peer`);
        expect('http', `${res.status} ${res.remote_ip}`, '200 127.0.0.1');
        let first = '';
        ws.connect(`${W}/peer`, (s) => s.on('message', (m) => { first = m; s.close(); }));
        expect('k6/ws', first, '127.0.0.1');
        const got = await new Promise((resolve, reject) => {
            const s = new WebSocket(`${W}/peer`);
            s.onmessage = (e) => { s.close(); resolve(e.data); };
            s.onerror = (e) => reject(new Error(e.error));
        });
        expect('k6/websockets', got, '127.0.0.1');
    )",
                 dns);
    expect_ok(r);
}

TEST_F(Dns, AnAnswerThePolicyEmptiesIsNoSuchHost) {
    if (localhost_has_ipv6()) {
        GTEST_SKIP() << "localhost has an IPv6 address here: onlyIPv6 finds one";
    }
    net::DnsResolver dns(
        {std::chrono::minutes(5), net::DnsSelect::kFirst, net::DnsPolicy::kOnlyIpv6});
    auto r = run(R"(
        const res = http.get(`${H}/http/peer`);
        expect('http', `${res.error} ${res.error_code}`, 'lookup localhost: no such host 1000');
        const w = ws.connect(`${W}/peer`, () => {});
        expect('k6/ws', w.error, 'lookup localhost: no such host');
    )",
                 dns);
    expect_ok(r);
}

} // namespace
} // namespace volley::test
