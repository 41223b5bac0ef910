// http.asyncRequest (modules/http_async.hpp) in a real VU against the echo server: requests run
// side by side and settle their promises in the order they end, failures resolve or reject as
// k6's, a request of an iteration that ends early is cancelled without a sample, and samples
// carry the tags of the moment the request was made.

#include <gtest/gtest.h>

#include "echo_suite.hpp"
#include "modules/rps_limit.hpp"
#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

class HttpAsync : public EchoSuite {
protected:
    // Runs `body` in an async default(); B is the echo server's http:// base.
    static JsRun run(const std::string& body, JsOptions opts = {}, const std::string& init = "") {
        opts.env["B"] = http_base();
        std::string source = R"(
            import http from 'k6/http';
            import { group } from 'k6';
            const B = __ENV.B;
            function expect(name, got, want) {
                const g = JSON.stringify(got), w = JSON.stringify(want);
                if (g !== w) throw new Error(`${name}: got ${g}, want ${w}`);
            }
        )" + init + "\nexport default async function () {\n" +
                             body + "\n}\n";
        return run_js(source, opts);
    }

    static void expect_ok(const JsRun& r, std::size_t iterations = 1) {
        ASSERT_EQ(r.error, "");
        EXPECT_EQ(r.results, std::vector<IterationResult>(iterations, IterationResult::kCompleted));
    }
};

TEST_F(HttpAsync, RequestsRunSideBySideAndSettleInTheOrderTheyEnd) {
    auto r = run(R"(
        const order = [];
        const slow = http.asyncRequest('GET', `${B}/http/delay?ms=400`).then((res) => {
            order.push(['slow', res.status, res.body]);
        });
        const fast = http.asyncRequest('POST', `${B}/http/echo`, 'hi', {
            headers: { 'X-A': '1' }, tags: { kind: 'fast' },
        }).then((res) => {
            const echoed = res.json();
            order.push(['fast', res.status, echoed.method, echoed.body, echoed.headers['x-a']]);
        });
        expect('nothing settled yet', order, []);
        await Promise.all([slow, fast]);
        expect('order', order, [['fast', 200, 'POST', 'hi', '1'], ['slow', 200, 'delayed']]);
    )");
    expect_ok(r);
    auto reqs = only(r.samples, "http_reqs");
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].tags.at("kind"), "fast");
    EXPECT_EQ(reqs[0].tags.at("method"), "POST");
}

TEST_F(HttpAsync, FailuresResolveOrRejectAsK6) {
    auto r = run(R"(
        const refused = await http.asyncRequest('GET', 'http://127.0.0.1:1/');
        expect('refused', [refused.status, refused.error_code], [0, 1212]);
        let reason = null;
        try {
            await http.asyncRequest('GET', 'http://127.0.0.1:1/', null, { throw: true });
        } catch (e) { reason = String(e); }
        expect('rejected with the bare text', reason,
               'Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused');
        // A request that does not parse follows the throw option, not params.throw, as k6.
        const unparsed = await http.asyncRequest('GET', 'ht tp://x', null, { throw: true });
        expect('a bad URL resolves', unparsed.error_code, 1020);
    )");
    expect_ok(r);

    JsOptions throwing;
    throwing.settings.throw_errors = true;
    r = run(R"(
        let reason = null;
        try { await http.asyncRequest('GET', 'ht tp://x'); } catch (e) { reason = String(e); }
        expect('a bad URL rejects under the throw option', reason,
               'invalid URL: parse "ht tp://x": first path segment in URL cannot contain colon');
    )",
            throwing);
    expect_ok(r);
}

TEST_F(HttpAsync, InTheInitContextItThrowsAtOnce) {
    auto r = run("", {}, "http.asyncRequest('GET', `${B}/http/json`);");
    EXPECT_NE(r.error.find("Making http requests in the init context is not supported"),
              std::string::npos)
        << r.error;
}

TEST_F(HttpAsync, AnIterationThatEndsEarlyCancelsItsRequestsWithoutSamples) {
    JsOptions opts;
    opts.iterations = 2;
    auto r = run(R"(
        if (__ITER === 0) {
            http.asyncRequest('GET', `${B}/http/delay?ms=3000`);
            throw new Error('boom');
        }
        expect('the next iteration', (await http.asyncRequest('GET', `${B}/http/json`)).status,
               200);
    )",
                 opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, (std::vector<IterationResult>{IterationResult::kFailed,
                                                       IterationResult::kCompleted}));
    auto reqs = only(r.samples, "http_reqs");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].tags.at("name"), http_base() + "/http/json");
}

TEST_F(HttpAsync, ARequestThatEndedBeforeItsIterationFailedLeavesTheLoopFree) {
    JsOptions opts;
    opts.iterations = 2;
    auto r = run(R"(
        if (__ITER === 0) {
            http.asyncRequest('GET', `${B}/http/json`); // ends while the next request runs
            http.get(`${B}/http/delay?ms=200`);
            throw new Error('boom');
        }
        expect('the next iteration', (await http.asyncRequest('GET', `${B}/http/json`)).status,
               200);
    )",
                 opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, (std::vector<IterationResult>{IterationResult::kFailed,
                                                       IterationResult::kCompleted}));
}

TEST_F(HttpAsync, AWaitForAnRpsTurnEndsWithItsIteration) {
    modules::RpsLimit limit(1);
    for (int i = 0; i < 100; ++i) {
        limit.reserve(); // the next turn is 100 s away
    }
    JsOptions opts;
    opts.settings.rps_limit = &limit;
    auto r = run(R"(
        http.asyncRequest('GET', `${B}/http/json`);
        throw new Error('boom');
    )",
                 opts);
    ASSERT_EQ(r.error, "");
    // Not kInterrupted: the VU did not wait for the turn until run_js's timeout.
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kFailed});
    EXPECT_TRUE(only(r.samples, "http_reqs").empty());
}

TEST_F(HttpAsync, AParamsJarDroppedWhileTheRequestRunsStaysAlive) {
    auto r = run(R"(
        const params = { jar: new http.CookieJar() };
        const p = http.asyncRequest('GET', `${B}/http/set-cookie?c=a=1`, null, params);
        params.jar = null; // the jar object goes; the request still stores its cookie
        expect('status', (await p).status, 200);
    )");
    expect_ok(r);
}

TEST_F(HttpAsync, SamplesCarryTheGroupOfTheMomentTheRequestWasMade) {
    auto r = run(R"(
        let p;
        group('made here', () => { p = http.asyncRequest('GET', `${B}/http/delay?ms=100`); });
        expect('status', (await p).status, 200);
    )");
    expect_ok(r);
    auto reqs = only(r.samples, "http_reqs");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].tags.at("group"), "::made here");
}

TEST_F(HttpAsync, AnUnawaitedRequestStillEndsWithinItsIteration) {
    auto r = run(R"(
        http.asyncRequest('GET', `${B}/http/delay?ms=200`).then((res) => {
            if (res.status !== 200) throw new Error('status ' + res.status);
        });
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "http_reqs").size(), 1u); // the loop waited for it, as in k6
}

} // namespace
} // namespace volley::test
