// Module "k6/http" in a real VU against the in-repo server's /http/ routes on 127.0.0.1 port 0
// (k6-behaviour.md §6). Snippets check what they see and throw on a difference; the C++ side
// asserts on the outcome and on the samples.

#include <memory>

#include <gtest/gtest.h>

#include "modules/rps_limit.hpp"
#include "net/dial_policy.hpp"
#include "net/tls.hpp"
#include "run_js.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

class HttpModule : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<wsecho::EchoServer>(wsecho::EchoOptions{});
        server_->start();
        wsecho::EchoOptions tls;
        tls.tls = true;
        tls_server_ = std::make_unique<wsecho::EchoServer>(tls);
        tls_server_->start();
    }
    static void TearDownTestSuite() {
        server_.reset();
        tls_server_.reset();
    }

    static std::string http_base() {
        std::string ws = server_->url(); // ws://127.0.0.1:PORT
        return "http" + ws.substr(2);
    }

    // Runs `body` inside default(); `B` is the server's http:// base, `W` its ws:// base.
    JsRun run(const std::string& body, JsOptions opts = {}, const std::string& init = "") {
        opts.env["B"] = http_base();
        opts.env["W"] = server_->url();
        opts.env["S"] = "https" + tls_server_->url().substr(3);
        std::string source = R"(
            import http from 'k6/http';
            import ws from 'k6/ws';
            import { check, group } from 'k6';
            const B = __ENV.B, W = __ENV.W, S = __ENV.S;
            function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
            function expect(name, got, want) {
                if (!same(got, want)) throw new Error(name + ': got ' + JSON.stringify(got) +
                                                      ', want ' + JSON.stringify(want));
            }
        )" + init + "\nexport default function () {\n" +
                             body + "\n}\n";
        return run_js(source, opts);
    }

    static void expect_ok(const JsRun& r, int iterations = 1) {
        ASSERT_EQ(r.error, "");
        ASSERT_EQ(r.results, std::vector<IterationResult>(static_cast<std::size_t>(iterations),
                                                          IterationResult::kCompleted));
    }

    static inline std::unique_ptr<wsecho::EchoServer> server_;
    static inline std::unique_ptr<wsecho::EchoServer> tls_server_;
};

TEST_F(HttpModule, GetResponseFieldsAndSamples) {
    auto r = run(R"(
        const res = http.get(B + '/http/echo?x=1');
        expect('status', res.status, 200);
        expect('status_text', res.status_text, '200 OK');
        expect('proto', res.proto, 'HTTP/1.1');
        expect('url', res.url, B + '/http/echo?x=1');
        expect('content type', res.headers['Content-Type'], 'application/json');
        expect('no lower-case keys', res.headers['content-type'], undefined);
        expect('error', res.error, '');
        expect('error_code', res.error_code, 0);
        expect('remote_ip', res.remote_ip, '127.0.0.1');
        expect('remote_port', String(res.remote_port), B.split(':')[2]);
        expect('tls_version', res.tls_version, '');
        const e = res.json();
        expect('sent headers', e.raw_headers.map((h) => h[0]), ['Host', 'User-Agent']);
        expect('user agent', e.headers['user-agent'], 'Grafana k6/1.6.1');
        expect('request', [res.request.method, res.request.url, res.request.body],
               ['GET', B + '/http/echo?x=1', '']);
        expect('selector', res.json('query.x'), '1');
        expect('missing selector', res.json('nope.x'), undefined);
        if (!(res.timings.duration >= 0 && res.timings.waiting >= 0)) throw new Error('timings');
        expect('own fields', Object.keys(res),
               ['remote_ip', 'remote_port', 'url', 'status', 'status_text', 'proto', 'headers',
                'cookies', 'body', 'timings', 'tls_version', 'tls_cipher_suite', 'ocsp', 'error',
                'error_code', 'request']);
        expect('timings fields', Object.keys(res.timings),
               ['duration', 'blocked', 'looking_up', 'connecting', 'tls_handshaking', 'sending',
                'waiting', 'receiving']);
        res.extra = 1;
        res.status = 0;
        const again = http.get(B + '/http/echo?x=2');
        expect('responses are separate objects', [again.extra, again.status, res.status],
               [undefined, 200, 0]);
        expect('serializable', JSON.parse(JSON.stringify(again)).status, 200);
    )");
    expect_ok(r);
    auto reqs = only(r.samples, "http_reqs");
    ASSERT_EQ(reqs.size(), 2u);
    const auto& t = reqs[0].tags;
    EXPECT_EQ(t.at("method"), "GET");
    EXPECT_EQ(t.at("status"), "200");
    EXPECT_EQ(t.at("url"), http_base() + "/http/echo?x=1");
    EXPECT_EQ(t.at("name"), http_base() + "/http/echo?x=1");
    EXPECT_EQ(t.at("proto"), "HTTP/1.1");
    EXPECT_EQ(t.at("expected_response"), "true");
    EXPECT_EQ(t.count("error_code"), 0u);
    for (const char* m : {"http_req_duration", "http_req_blocked", "http_req_connecting",
                          "http_req_tls_handshaking", "http_req_sending", "http_req_waiting",
                          "http_req_receiving", "http_req_failed"}) {
        EXPECT_EQ(only(r.samples, m).size(), 2u) << m;
    }
    EXPECT_EQ(only(r.samples, "http_req_failed")[0].value, 0);
    EXPECT_GT(only(r.samples, "data_received")[0].value, 200);
    EXPECT_GT(only(r.samples, "data_sent")[0].value, 50);
}

TEST_F(HttpModule, MethodsAndBodies) {
    auto r = run(R"(
        const u = B + '/http/echo';
        const s = http.post(u, 'h\u00e9llo').json();
        expect('string body', [s.body_hex, s.headers['content-length']], ['68c3a96c6c6f', '6']);
        const f = http.post(u, { b: '2', a: 'x y', arr: [1, 2], n: 5 }).json();
        expect('form', [f.body, f.headers['content-type']],
               ['a=x+y&arr=1&arr=2&b=2&n=5', 'application/x-www-form-urlencoded']);
        const ab = http.put(u, new Uint8Array([0, 1, 255]).buffer).json();
        expect('bytes', [ab.method, ab.body_hex], ['PUT', '0001ff']);
        const nul = http.post(u, null).json();
        expect('null body', [nul.body_len, nul.headers['content-length']], [0, '0']);
        const del = http.del(u).json();
        expect('delete', [del.method, del.headers['content-length']], ['DELETE', undefined]);
        const head = http.head(u);
        expect('head', [head.status, head.body], [200, '']);
        const purge = http.request('PURGE', u, 'x').json();
        expect('custom method', [purge.method, purge.body], ['PURGE', 'x']);
        const file = http.post(u, { f: http.file('data!', 'a.txt', 'text/plain'), k: 'v' }).json();
        if (!file.headers['content-type'].startsWith('multipart/form-data; boundary=') ||
            !file.body.includes('filename="a.txt"') || !file.body.includes('data!'))
            throw new Error('multipart: ' + JSON.stringify(file));
        const hdr = http.get(u, { headers: { 'x-custom': 'a', Host: 'example.test' } }).json();
        expect('headers', [hdr.headers['x-custom'], hdr.headers.host], ['a', 'example.test']);
        const opts = http.options(u, 'o').json();
        expect('options', [opts.method, opts.body], ['OPTIONS', 'o']);
    )");
    expect_ok(r);
}

TEST_F(HttpModule, RedirectsAreFollowedHopByHop) {
    auto r = run(R"(
        const res = http.get(B + '/http/redirect/3');
        expect('final', [res.status, res.url, res.json().redirected],
               [200, B + '/http/redirect/0', true]);
        const stop = http.get(B + '/http/redirect/3', { redirects: 1 });
        expect('stopped', [stop.status, stop.url], [302, B + '/http/redirect/2']);
        const post = http.post(B + '/http/redirect/1?code=303&to=/http/echo', 'body');
        expect('303 turns POST into GET', [post.json().method, post.json().body_len], ['GET', 0]);
        const keep = http.post(B + '/http/redirect/1?code=307&to=/http/echo', 'body');
        expect('307 keeps POST', [keep.json().method, keep.json().body], ['POST', 'body']);
    )");
    expect_ok(r);
    // 4 hops, 2 hops, then 3 each (redirect/1 → redirect/0 → /http/echo), each with its own
    // samples and URL tag.
    auto reqs = only(r.samples, "http_reqs");
    ASSERT_EQ(reqs.size(), 12u);
    EXPECT_EQ(reqs[0].tags.at("status"), "302");
    EXPECT_EQ(reqs[3].tags.at("url"), http_base() + "/http/redirect/0");
    EXPECT_EQ(reqs[3].tags.at("status"), "200");
}

TEST_F(HttpModule, CookiesGoThroughTheVuJar) {
    JsOptions two;
    two.iterations = 2;
    auto r = run(R"(
        const jar = http.cookieJar();
        expect('a new iteration starts empty', jar.cookiesForURL(B + '/'), {});
        const set = http.get(B + '/http/set-cookie?c=' + encodeURIComponent('s=1; Path=/'));
        expect('res.cookies', [set.cookies.s[0].value, set.cookies.s[0].path], ['1', '/']);
        expect('stored', jar.cookiesForURL(B + '/'), { s: ['1'] });
        expect('sent back', http.get(B + '/http/cookies').json().s, '1');
        const params = http.get(B + '/http/cookies', { cookies: { p: '2' } }).json();
        expect('params cookies first', params.raw, 'p=2; s=1');
        const replaced = http.get(B + '/http/cookies',
                                  { cookies: { s: { value: 'x', replace: true } } }).json();
        expect('replace', replaced.raw, 's=x');
        jar.set(B + '/', 'm', 'v');
        expect('jar.set', jar.cookiesForURL(B + '/'), { s: ['1'], m: ['v'] });
        jar.delete(B + '/', 'm');
        expect('jar.delete', jar.cookiesForURL(B + '/'), { s: ['1'] });
        const own = new http.CookieJar();
        http.get(B + '/http/set-cookie?c=' + encodeURIComponent('o=3; Path=/'), { jar: own });
        expect('own jar', [own.cookiesForURL(B + '/').o, jar.cookiesForURL(B + '/').o],
               [['3'], undefined]);
    )",
                 two);
    expect_ok(r, 2);
}

TEST_F(HttpModule, FailuresAreMeasuredWithK6Codes) {
    auto r = run(R"(
        const refused = http.get('http://127.0.0.1:1/');
        expect('refused', [refused.status, refused.error, refused.error_code, refused.body],
               [0, 'dial: connection refused', 1212, null]);
        const slow = http.get(B + '/http/delay?ms=3000', { timeout: '200ms' });
        expect('timeout', [slow.error, slow.error_code], ['request timeout', 1050]);
        const drop = http.get(B + '/http/drop');
        expect('cut body', [drop.error, drop.error_code], ['unexpected EOF', 1000]);
        const close = http.get(B + '/http/close');
        expect('no answer', [close.error, close.error_code], ['EOF', 1000]);
        const reset = http.get(B + '/http/reset');
        expect('reset', reset.error_code === 1220 || reset.error_code === 1000, true);
        const nf = http.get(B + '/http/status/404');
        expect('404 is no error', [nf.status, nf.error, nf.error_code], [404, '', 1404]);
        const bad = http.get('http://a b/');
        expect('bad url', [bad.error_code, bad.error.startsWith('invalid URL: parse')], [1020, true]);
        const ftp = http.get('ftp://127.0.0.1/');
        expect('scheme', ftp.error, 'unsupported protocol scheme "ftp"');
        const gz = http.get(B + '/http/gzip?bad=1');
        expect('bad gzip', gz.error_code, 1701);
        let thrown = '';
        try { http.get('http://127.0.0.1:1/', { throw: true }); } catch (e) { thrown = String(e); }
        expect('throw', thrown,
               'GoError: Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused');
    )");
    expect_ok(r);
    auto failed = only(r.samples, "http_req_failed");
    ASSERT_FALSE(failed.empty());
    EXPECT_EQ(failed[0].value, 1);
    auto reqs = only(r.samples, "http_reqs");
    EXPECT_EQ(reqs[0].tags.at("status"), "0");
    EXPECT_EQ(reqs[0].tags.at("error_code"), "1212");
    EXPECT_EQ(reqs[0].tags.at("error"), "dial: connection refused");
}

TEST_F(HttpModule, ResponseTypesAndDecoding) {
    auto r = run(R"(
        const bin = http.get(B + '/http/bytes?n=4', { responseType: 'binary' });
        expect('binary', Array.from(new Uint8Array(bin.body)), [0, 1, 2, 3]);
        const none = http.get(B + '/http/bytes?n=4', { responseType: 'none' });
        expect('none', [none.status, none.body], [200, null]);
        expect('gzip', http.get(B + '/http/gzip').json().compressed, 'gzip');
        expect('deflate', http.get(B + '/http/deflate').json().compressed, 'deflate');
        expect('chunked', http.get(B + '/http/chunked').body, 'abbccc');
        let err = '';
        try { http.get(B + '/http/json?invalid=1').json(); } catch (e) { err = String(e); }
        if (!err.includes('cannot parse json due to an error at line 1, character 5 , error: ' +
                          'unexpected end of JSON input'))
            throw new Error('json error: ' + err);
        expect('array length', http.get(B + '/http/json').json('b.c.#'), 3);
    )");
    expect_ok(r);
}

TEST_F(HttpModule, ResponseCallbacksDecideFailures) {
    auto r = run(R"(
        http.get(B + '/http/status/404', {
            responseCallback: http.expectedStatuses(404, { min: 500, max: 599 }) });
        http.setResponseCallback(null);
        http.get(B + '/http/status/500');
        let err = '';
        try { http.expectedStatuses('x'); } catch (e) { err = String(e); }
        if (!err.includes('argument number 1 to expectedStatuses was neither an integer'))
            throw new Error(err);
    )");
    expect_ok(r);
    auto failed = only(r.samples, "http_req_failed");
    ASSERT_EQ(failed.size(), 1u); // none once the callback is null
    EXPECT_EQ(failed[0].value, 0);
    auto reqs = only(r.samples, "http_reqs");
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].tags.at("expected_response"), "true");
    EXPECT_EQ(reqs[1].tags.count("expected_response"), 0u);
    EXPECT_EQ(reqs[1].tags.at("error_code"), "1500");
}

TEST_F(HttpModule, NamesAndTags) {
    auto r = run(R"(
        const id = 7;
        http.get(http.url`${B}/http/echo?id=${id}`);
        http.get(B + '/http/echo', { tags: { name: 'custom', my: 'tag' } });
        group('g', () => http.get(B + '/http/echo'));
    )");
    expect_ok(r);
    auto reqs = only(r.samples, "http_reqs");
    ASSERT_EQ(reqs.size(), 3u);
    EXPECT_EQ(reqs[0].tags.at("name"), "${}/http/echo?id=${}");
    EXPECT_EQ(reqs[0].tags.at("url"), "${}/http/echo?id=${}");
    EXPECT_EQ(reqs[1].tags.at("name"), "custom");
    EXPECT_EQ(reqs[1].tags.at("url"), "custom");
    EXPECT_EQ(reqs[1].tags.at("my"), "tag");
    EXPECT_EQ(reqs[2].tags.at("group"), "::g");
}

TEST_F(HttpModule, BatchArrayAndObject) {
    auto r = run(R"(
        const a = http.batch([['GET', B + '/http/echo?i=0'], B + '/http/echo?i=1',
                              { method: 'POST', url: B + '/http/echo', body: 'b' }]);
        expect('array', [a[0].json().query.i, a[1].json().query.i, a[2].json().body],
               ['0', '1', 'b']);
        const o = http.batch({ x: B + '/http/echo?i=x', y: ['GET', B + '/http/status/201'] });
        expect('object', [o.x.json().query.i, o.y.status], ['x', 201]);
        let err = '';
        try { http.batch(); } catch (e) { err = String(e); }
        expect('no argument', err, 'GoError: no argument was provided to http.batch()');
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "http_reqs").size(), 5u);
}

TEST_F(HttpModule, BasicAuthFromUserInfoAndKeepAlive) {
    auto r = run(R"(
        const u = B.replace('http://', 'http://user:pa%40ss@') + '/http/basic-auth/user/pa@ss';
        const res = http.get(u);
        expect('basic auth', [res.status, res.json().authenticated], [200, true]);
        const first = http.get(B + '/http/echo');
        const second = http.get(B + '/http/echo');
        expect('reused connection', [second.timings.connecting, second.remote_port],
               [0, first.remote_port]);
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "http_reqs")[0].tags.at("url").find("****:****@"), 7u);
}

TEST_F(HttpModule, HttpsWithTheServersCertificate) {
    net::TlsOptions to;
    to.extra_ca_pem = tls_server_->certificate_pem();
    auto cfg = net::TlsConfig::make(to);
    ASSERT_TRUE(cfg) << cfg.error();
    JsOptions opts;
    opts.settings.tls = cfg->get();
    auto r = run(R"(
        const res = http.get(S + '/http/echo');
        expect('status', res.status, 200);
        if (!['tls1.2', 'tls1.3'].includes(res.tls_version)) throw new Error(res.tls_version);
        if (!res.tls_cipher_suite.startsWith('TLS_')) throw new Error(res.tls_cipher_suite);
        const plain = http.get(S + '/http/echo', {});
        expect('tls handshake once', plain.timings.tls_handshaking, 0);
    )",
                 opts);
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "http_reqs")[0].tags.count("tls_version"), 1u);
}

TEST_F(HttpModule, UnknownCaIsK6Code1310) {
    auto r = run(R"(
        const res = http.get(S + '/http/echo');
        expect('unknown authority', [res.error, res.error_code], ['x509: unknown authority', 1310]);
    )");
    expect_ok(r);
}

TEST_F(HttpModule, EachRequestTakesOneTurnOfTheRpsLimit) {
    modules::RpsLimit limit(1'000'000'000); // turns 1 ns apart: counted, never waited for
    JsOptions opts;
    opts.settings.rps_limit = &limit;
    auto r = run(R"(
        expect('plain', http.get(B + '/http/echo').status, 200);
        expect('redirected', http.get(B + '/http/redirect/2').status, 200);
        const batch = http.batch([B + '/http/echo', B + '/http/json']);
        expect('batch', batch.map((res) => res.status), [200, 200]);
    )",
                 opts);
    expect_ok(r);
    EXPECT_EQ(limit.turns(), 4u); // redirect hops take no turn of their own, as in k6
}

TEST_F(HttpModule, HostsBlockHostnamesAndBlacklistIPs) {
    auto policy =
        net::DialPolicy::make({{"api.test", "127.0.0.1"}}, {"10.0.0.0/8"}, {"*.blocked.test"});
    ASSERT_TRUE(policy) << policy.error();
    JsOptions opts;
    opts.settings.dial_policy = &*policy;
    auto r = run(R"(
        const port = B.split(':')[2];
        const res = http.get('http://api.test:' + port + '/http/echo');
        expect('mapped', [res.status, res.json().headers.host], [200, 'api.test:' + port]);
        const blocked = http.get('http://x.blocked.test/');
        expect('blocked', [blocked.error, blocked.error_code], ['hostname is blocked', 1111]);
        const black = http.get('http://10.1.2.3/');
        expect('blacklisted', [black.error, black.error_code], ['ip is blacklisted', 1110]);
        const sock = ws.connect('ws://x.blocked.test/', () => {});
        expect('ws blocked', sock.error,
               'hostname (x.blocked.test) is in a blocked pattern (*.blocked.test)');
    )",
                 opts);
    expect_ok(r);
}

TEST_F(HttpModule, LoginCookieReachesTheWebSocketHandshake) {
    auto r = run(R"(
        const login = http.post(B + '/http/login', JSON.stringify({ user: 'bob', password: 'secret' }),
                                { headers: { 'Content-Type': 'application/json' } });
        expect('token', login.json('token'), 'tok-bob');
        let hello = '';
        const res = ws.connect(W + '/ws/auth', (s) => {
            s.on('message', (m) => { hello = m; s.close(); });
        });
        expect('accepted with the jar cookie', [res.status, hello], [101, 'hello bob']);
        const own = new http.CookieJar();
        const refused = ws.connect(W + '/ws/auth', { jar: own }, () => {});
        expect('refused without it', refused.status, 401);
    )");
    expect_ok(r);
}

TEST_F(HttpModule, NotInTheInitContext) {
    auto r = run("", {}, "http.get('http://127.0.0.1:1/');");
    EXPECT_NE(r.error.find("Making http requests in the init context is not supported"),
              std::string::npos)
        << r.error;
}

} // namespace
} // namespace volley::test
