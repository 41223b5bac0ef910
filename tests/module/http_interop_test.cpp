// k6/http against an independent HTTP/1.1 server: Python's http.server (tests/net/peers/
// http_server.py), so the client is not only tested against the in-repo server it shares code
// habits with.

#include <memory>

#include <gtest/gtest.h>

#include "../net/peer_process.hpp"
#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

TEST(HttpInterop, PythonHttpServer) {
    net::testing::PeerProcess peer(
        {"/usr/bin/python3", std::string(VOLLEY_SOURCE_DIR) + "/tests/net/peers/http_server.py"},
        {});
    ASSERT_NE(peer.port(), 0) << "python3's http.server did not start";
    JsOptions opts;
    opts.env["P"] = "http://127.0.0.1:" + std::to_string(peer.port());
    auto r = run_js(R"(
        import http from 'k6/http';
        function expect(name, got, want) {
            if (JSON.stringify(got) !== JSON.stringify(want))
                throw new Error(name + ': got ' + JSON.stringify(got));
        }
        export default function () {
            const P = __ENV.P;
            const get = http.get(P + '/echo?a=1');
            expect('get', [get.status, get.json().method, get.json().path], [200, 'GET', '/echo?a=1']);
            expect('user agent', get.json().headers['user-agent'], 'Grafana k6/1.6.1');
            const post = http.post(P + '/echo', { k: 'v w' });
            expect('post', [post.json().body, post.json().headers['content-type']],
                   ['k=v+w', 'application/x-www-form-urlencoded']);
            http.get(P + '/cookie');
            expect('cookie', http.get(P + '/echo').json().headers.cookie, 'peer=py');
            const redirected = http.get(P + '/redirect');
            expect('redirect', [redirected.status, redirected.url], [200, P + '/echo']);
            expect('gzip', http.get(P + '/gzip').json(), { zipped: true });
            const head = http.head(P + '/echo');
            expect('head', [head.status, head.body], [200, '']);
            expect('404', http.get(P + '/nope').error_code, 1404);
            const again = http.get(P + '/echo');
            expect('keep-alive', again.timings.connecting, 0);
        }
    )",
                    opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
    EXPECT_EQ(only(r.samples, "http_reqs").size(), 10u);
}

} // namespace
} // namespace volley::test
