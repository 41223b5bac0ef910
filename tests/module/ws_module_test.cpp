// Module "k6/ws" in a real VU against the in-repo echo server on 127.0.0.1 port 0
// (k6-behaviour.md §1–3). Each snippet records what it saw and fails its iteration (or a check)
// when something differs; the C++ side asserts on the outcome and on the samples.

#include <algorithm>

#include <gtest/gtest.h>

#include "echo_suite.hpp"
#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

class WsModule : public EchoSuite {
protected:
    // Runs `body` (the inside of default()) with `url` = the echo server's base URL.
    JsRun run(const std::string& body, JsOptions opts = {}) {
        opts.env["BASE"] = server_->url();
        std::string source = R"(
            import ws from 'k6/ws';
            import { check, sleep } from 'k6';
            const base = __ENV.BASE;
            function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
            function expect(name, got, want) {
                if (!same(got, want)) throw new Error(name + ': got ' + JSON.stringify(got) +
                                                      ', want ' + JSON.stringify(want));
            }
            export default function () {
        )" + body + "\n}\n";
        return run_js(source, opts);
    }

    void expect_ok(const JsRun& r) {
        ASSERT_EQ(r.error, "");
        ASSERT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
        for (const auto& c : only(r.samples, "checks")) {
            EXPECT_EQ(c.value, 1.0) << "check failed: " << c.tags.at("check");
        }
    }
};

TEST_F(WsModule, EchoSessionEventsMetricsAndTags) {
    auto r = run(R"(
        const events = [];
        const res = ws.connect(base + '/', function (socket) {
            events.push('callback');
            socket.on('open', () => { events.push('open'); socket.send('hello'); });
            socket.on('message', (m) => { events.push('message:' + m); socket.close(); });
            socket.on('close', (code) => events.push('close:' + code));
        });
        expect('events', events, ['callback', 'open', 'message:hello', 'close:1001']);
        expect('status', res.status, 101);
        expect('url', res.url, base + '/');
        expect('error', res.error, '');
        expect('body', res.body, '');
        if (typeof res.headers['Sec-Websocket-Accept'] !== 'string') throw new Error('headers');
    )");
    expect_ok(r);
    for (const char* m : {"ws_sessions", "ws_connecting", "ws_session_duration", "ws_msgs_sent",
                          "ws_msgs_received"}) {
        auto s = only(r.samples, m);
        ASSERT_EQ(s.size(), 1u) << m;
        EXPECT_EQ(s[0].tags.at("url"), server_->url() + "/") << m;
        EXPECT_EQ(s[0].tags.at("status"), "101") << m;
        EXPECT_EQ(s[0].tags.at("subproto"), "") << m;
        EXPECT_EQ(s[0].tags.at("group"), "") << m;
        EXPECT_EQ(s[0].tags.at("scenario"), "default") << m;
    }
    auto sent = only(r.samples, "data_sent");
    auto received = only(r.samples, "data_received");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_GT(sent[0].value, 150);     // handshake request + masked frames
    EXPECT_GT(received[0].value, 129); // 101 response + echo
    EXPECT_FALSE(sent[0].tags.count("url"));
}

TEST_F(WsModule, HandlersRunInRegistrationOrderAndCustomTagsApply) {
    auto r = run(R"(
        const seen = [];
        ws.connect(base + '/', { tags: { my_tag: 'hello', n: 5 } }, function (socket) {
            socket.on('open', () => seen.push('open1'));
            socket.on('open', () => { seen.push('open2'); socket.send('x'); });
            socket.on('open', 'not a function');
            socket.on('message', () => seen.push('msg1'));
            socket.on('message', () => { seen.push('msg2'); socket.close(1000); });
            socket.on('close', (c) => seen.push('close1:' + c));
            socket.on('close', (c) => seen.push('close2:' + c));
        });
        expect('order', seen, ['open1', 'open2', 'msg1', 'msg2', 'close1:1000', 'close2:1000']);
    )");
    expect_ok(r);
    auto s = only(r.samples, "ws_msgs_received");
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].tags.at("my_tag"), "hello");
    EXPECT_EQ(s[0].tags.at("n"), "5");
}

TEST_F(WsModule, BinaryMessagesGoToBinaryMessageHandlers) {
    auto r = run(R"(
        let text = 0, bytes = null;
        ws.connect(base + '/', function (socket) {
            socket.on('open', () => socket.sendBinary(new Uint8Array([1, 2, 255]).buffer));
            socket.on('message', () => text++);
            socket.on('binaryMessage', (b) => { bytes = Array.from(new Uint8Array(b)); socket.close(); });
        });
        expect('text', text, 0);
        expect('bytes', bytes, [1, 2, 255]);
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "ws_msgs_sent").size(), 1u);
}

TEST_F(WsModule, SendBinaryArgumentErrors) {
    auto r = run(R"(
        const errs = [];
        ws.connect(base + '/', function (socket) {
            for (const v of [undefined, null, 1, 'x', [1], new Uint8Array(2), {}, new DataView(new ArrayBuffer(1))]) {
                try { socket.sendBinary(v); errs.push('no error'); } catch (e) { errs.push(e.message); }
            }
            try { socket.sendBinary(); } catch (e) { errs.push(e.message); }
            socket.close();
        });
        const p = 'expected ArrayBuffer as argument, received: ';
        expect('errors', errs, [p + 'undefined', p + 'null', p + 'Number', p + 'String', p + 'Array',
                                p + 'Uint8Array', p + 'Object', p + 'DataView',
                                'missing argument, expected ArrayBuffer']);
    )");
    expect_ok(r);
    EXPECT_TRUE(only(r.samples, "ws_msgs_sent").empty());
}

TEST_F(WsModule, SendStringifiesLikeK6) {
    auto r = run(R"(
        const got = [];
        ws.connect(base + '/', function (socket) {
            socket.on('open', () => { socket.send(null); socket.send(); socket.send(1.5);
                                      socket.send({}); socket.send([1, 2]); });
            socket.on('message', (m) => { got.push(m); if (got.length === 5) socket.close(); });
        });
        expect('messages', got, ['', '', '1.5', '[object Object]', '1,2']);
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "ws_msgs_sent").size(), 5u);
    EXPECT_EQ(only(r.samples, "ws_msgs_received").size(), 5u);
}

TEST_F(WsModule, PingGetsPongAndWsPingSample) {
    auto r = run(R"(
        let pongs = 0;
        ws.connect(base + '/', function (socket) {
            socket.on('open', () => { socket.ping(); socket.ping(); });
            socket.on('pong', () => { if (++pongs === 2) socket.close(); });
        });
        expect('pongs', pongs, 2);
    )");
    expect_ok(r);
    auto pings = only(r.samples, "ws_ping");
    ASSERT_EQ(pings.size(), 2u);
    EXPECT_GE(pings[0].value, 0);
    EXPECT_EQ(pings[0].tags.at("status"), "101");
}

TEST_F(WsModule, TimersRunOnTheSocketLoopAndStopAtClose) {
    auto r = run(R"(
        let ticks = 0, timeouts = 0;
        ws.connect(base + '/', function (socket) {
            socket.setInterval(() => { ticks++; }, 20);
            socket.setTimeout(() => { timeouts++; socket.close(); }, 200);
            socket.setTimeout(() => { timeouts += 100; }, 5000);
        });
        // ~10 ticks; missed ticks are dropped on a loaded machine, never more than 10 run.
        if (ticks < 2 || ticks > 10) throw new Error('ticks ' + ticks);
        expect('timeouts', timeouts, 1);
    )");
    expect_ok(r);
}

TEST_F(WsModule, TimerArgumentErrors) {
    auto r = run(R"(
        const errs = [];
        ws.connect(base + '/', function (socket) {
            for (const d of [0, -1.234, 0.0000001, 'x', undefined, Infinity]) {
                try { socket.setTimeout(() => {}, d); errs.push('ok'); } catch (e) { errs.push(e.message); }
            }
            try { socket.setInterval(() => {}, 0); } catch (e) { errs.push(e.message); }
            try { socket.setTimeout(null, 10); } catch (e) { errs.push(e.name); }
            socket.setTimeout(() => {}, 0.3);
            socket.setTimeout(() => socket.close(), '20');
        });
        const t = 'setTimeout requires a >0 timeout parameter, received ';
        expect('errors', errs, [t + '0.00', t + '-1.23', t + '0.00', t + 'NaN', t + 'NaN', t + '+Inf',
                                'setInterval requires a >0 timeout parameter, received 0.00', 'TypeError']);
    )");
    expect_ok(r);
}

TEST_F(WsModule, ServerCloseCodesReachCloseHandlers) {
    auto r = run(R"(
        function session(path) {
            const seen = [];
            ws.connect(base + path, function (socket) {
                socket.on('error', (e) => seen.push('error:' + e.error()));
                socket.on('close', (c) => seen.push('close:' + c));
            });
            return seen;
        }
        expect('1000', session('/close/1000'), ['close:1000']);
        expect('1001', session('/close/1001'), ['close:1001']);
        expect('4000', session('/close/4000?reason=bye'), ['error:websocket: close 4000: bye', 'close:4000']);
        expect('1011', session('/close/1011'), ['error:websocket: close 1011 (internal server error)', 'close:1011']);
        expect('empty', session('/close/empty'), ['error:websocket: close 1005 (no status)', 'close:1005']);
    )");
    expect_ok(r);
}

// The error for a close code is gorilla's *CloseError; Sobek exposes its fields through k6's
// field-name mapper as `code` and `text` (k6-behaviour.md §2.1). Other errors have no such fields.
TEST_F(WsModule, CloseCodeErrorsCarryCodeAndText) {
    auto r = run(R"(
        function first_error(path, open) {
            let got = null;
            ws.connect(base + path, function (socket) {
                if (open) socket.on('open', open(socket));
                socket.on('error', (e) => { if (got === null) got = e; });
            });
            return got;
        }
        function fields(e) {
            return [e.error(), e.hasOwnProperty('code') ? e.code : 'none',
                    e.hasOwnProperty('text') ? e.text : 'none', JSON.stringify(e)];
        }
        expect('4000', fields(first_error('/close/4000?reason=bye')),
               ['websocket: close 4000: bye', 4000, 'bye', '{"code":4000,"text":"bye"}']);
        expect('1011', fields(first_error('/close/1011')),
               ['websocket: close 1011 (internal server error)', 1011, '', '{"code":1011,"text":""}']);
        expect('empty', fields(first_error('/close/empty')),
               ['websocket: close 1005 (no status)', 1005, '', '{"code":1005,"text":""}']);
        expect('eof', fields(first_error('/drop', (s) => () => s.send('x'))),
               ['websocket: close 1006 (abnormal closure): unexpected EOF', 1006, 'unexpected EOF',
                '{"code":1006,"text":"unexpected EOF"}']);
        let sent = null;
        ws.connect(base + '/', function (socket) {
            socket.on('error', (e) => { sent = e; });
            socket.close();
            socket.send('late');
        });
        expect('close sent', fields(sent), ['websocket: close sent', 'none', 'none', '{}']);
    )");
    expect_ok(r);
}

TEST_F(WsModule, DroppedConnectionIsAbnormalClosure) {
    auto r = run(R"(
        const seen = [];
        ws.connect(base + '/drop', function (socket) {
            socket.on('open', () => socket.send('x'));
            socket.on('error', (e) => seen.push(String(e)));
            socket.on('close', (c) => seen.push('close:' + c));
        });
        if (seen[0] !== 'websocket: close 1006 (abnormal closure): unexpected EOF') throw new Error(seen[0]);
        if (seen[seen.length - 1] !== 'close:1006') throw new Error(JSON.stringify(seen));
    )");
    expect_ok(r);
}

TEST_F(WsModule, ProtocolViolationClosesWith1001) {
    auto r = run(R"(
        const seen = [];
        ws.connect(base + '/garbage?kind=opcode', function (socket) {
            socket.on('error', (e) => seen.push('error:' + e.error()));
            socket.on('close', (c) => seen.push('close:' + c));
        });
        expect('events', seen, ['error:websocket: close sent', 'close:1001']);
    )");
    expect_ok(r);
}

// A bad header is judged on its first two bytes, as gorilla does: the 64-bit length it announces
// (never sent, or with its top bit set) is not waited for.
TEST_F(WsModule, BadHeaderIsRejectedBeforeItsLength) {
    auto r = run(R"(
        for (const kind of ['stub', 'neglen']) {
            const seen = [];
            const res = ws.connect(base + '/garbage?kind=' + kind, function (socket) {
                socket.on('error', (e) => seen.push('error:' + e.error()));
                socket.on('close', (c) => seen.push('close:' + c));
            });
            expect(kind + ' status', res.status, 101);
            expect(kind, seen, ['error:websocket: close sent', 'close:1001']);
        }
    )");
    expect_ok(r);
}

// A valid header whose 64-bit length has its top bit set is gorilla's ErrReadLimit: k6 closes
// with 1001, and its close frame goes out, so no error event.
TEST_F(WsModule, NegativeLengthClosesWith1001) {
    auto r = run(R"(
        const seen = [];
        ws.connect(base + '/garbage?kind=textneglen', function (socket) {
            socket.on('error', (e) => seen.push('error:' + e.error()));
            socket.on('close', (c) => seen.push('close:' + c));
        });
        expect('events', seen, ['close:1001']);
    )");
    expect_ok(r);
}

TEST_F(WsModule, ResetClosesWith1001) {
    auto r = run(R"(
        const seen = [];
        ws.connect(base + '/reset', function (socket) {
            socket.on('open', () => socket.send('x'));
            socket.on('close', (c) => seen.push('close:' + c));
        });
        expect('close', seen[seen.length - 1], 'close:1001');
    )");
    expect_ok(r);
}

TEST_F(WsModule, ServerPingIsAnsweredAndReported) {
    auto r = run(R"(
        let pings = 0;
        ws.connect(base + '/ping', function (socket) {
            socket.on('open', () => socket.send('x'));
            socket.on('ping', () => { pings++; socket.close(); });
        });
        expect('pings', pings, 1);
    )");
    expect_ok(r);
}

TEST_F(WsModule, FragmentedAndInvalidUtf8Messages) {
    auto r = run(R"(
        let got = null;
        ws.connect(base + '/fragmented', function (socket) {
            socket.on('message', (m) => { got = m; socket.close(); });
        });
        expect('fragmented', got, 'hello world');
        ws.connect(base + '/invalid-utf8', function (socket) {
            socket.on('message', (m) => { got = m; socket.close(); });
        });
        expect('invalid utf8', got, 'a\ufffdb');
    )");
    expect_ok(r);
}

TEST_F(WsModule, RejectedHandshakeWithoutThrow) {
    auto r = run(R"(
        let called = false;
        const res = ws.connect(base + '/reject/403', function () { called = true; });
        expect('called', called, false);
        expect('status', res.status, 403);
        expect('error', res.error, '');
        expect('url', res.url, '');
        expect('body', res.body, 'rejected with 403\n');
        expect('header', res.headers['X-Echo-Reject'], '403');
    )");
    expect_ok(r);
    auto sessions = only(r.samples, "ws_sessions");
    ASSERT_EQ(sessions.size(), 1u); // failed handshakes count (k6-behaviour.md Q1)
    EXPECT_EQ(sessions[0].tags.at("status"), "403");
    EXPECT_EQ(only(r.samples, "ws_connecting").size(), 1u);
    EXPECT_EQ(only(r.samples, "ws_session_duration").size(), 1u);
}

TEST_F(WsModule, RejectedHandshakeThrowsWithThrowOption) {
    JsOptions opts;
    opts.settings.throw_errors = true;
    auto r = run(R"(
        try { ws.connect(base + '/reject/500', function () {}); } catch (e) {
            expect('error', e.message, 'websocket: bad handshake');
            expect('name', e.name, 'GoError');
            return;
        }
        throw new Error('no exception');
    )",
                 opts);
    expect_ok(r);
}

TEST_F(WsModule, RefusedAndInvalidUrls) {
    auto r = run(R"(
        let res = ws.connect('ws://127.0.0.1:1/', function () {});
        expect('refused status', res.status, 0);
        if (!res.error.includes('connection refused')) throw new Error(res.error);
        res = ws.connect('INVALID', function () {});
        expect('invalid', res.error, 'malformed ws or wss URL');
        res = ws.connect('http://127.0.0.1/', function () {});
        expect('http', res.error, 'malformed ws or wss URL');
    )");
    expect_ok(r);
    auto sessions = only(r.samples, "ws_sessions");
    ASSERT_EQ(sessions.size(), 3u);
    EXPECT_FALSE(sessions[0].tags.count("status"));
}

TEST_F(WsModule, ArgumentValidation) {
    auto r = run(R"(
        const errs = [];
        for (const args of [[base], [base, {}, () => {}, 1], [base, () => {}, {}],
                            [base, { compression: 'gzip' }, () => {}],
                            [base, { compression: null }, () => {}],
                            [base, { tags: { a: {} } }, () => {}]]) {
            try { ws.connect(...args); errs.push('no error'); } catch (e) { errs.push(e.message); }
        }
        expect('errors', errs, [
            'invalid number of arguments to ws.connect',
            'invalid number of arguments to ws.connect',
            'last argument to ws.connect must be a function',
            "unsupported compression algorithm 'gzip', supported algorithm is 'deflate'",
            "unsupported compression algorithm 'null', supported algorithm is 'deflate'",
            "invalid ws.connect() metric tags: invalid value for metric tag 'a': only String, Boolean and Number types are accepted as a metric tag values",
        ]);
    )");
    expect_ok(r);
    EXPECT_TRUE(only(r.samples, "ws_sessions").empty());
}

TEST_F(WsModule, NotAllowedInInitContext) {
    auto r = run_js(R"(
        import ws from 'k6/ws';
        ws.connect('ws://127.0.0.1:1/', () => {});
        export default function () {}
    )");
    EXPECT_NE(r.error.find("using websockets in the init context is not supported"),
              std::string::npos)
        << r.error;
}

TEST_F(WsModule, CallbackExceptionClosesAndRethrows) {
    auto r = run(R"(
        const seen = [];
        try {
            ws.connect(base + '/', function (socket) {
                socket.on('open', () => seen.push('open'));
                socket.on('close', (c) => seen.push('close:' + c));
                throw new Error('from callback');
            });
        } catch (e) { seen.push(e.message); }
        expect('seen', seen, ['close:1001', 'from callback']);
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "ws_session_duration").size(), 1u);
}

TEST_F(WsModule, HandlerExceptionClosesAndRethrows) {
    auto r = run(R"(
        const seen = [];
        try {
            ws.connect(base + '/', function (socket) {
                socket.on('open', () => socket.send('x'));
                socket.on('message', () => { throw new Error('from handler'); });
                socket.on('message', () => seen.push('second handler'));
                socket.on('close', (c) => seen.push('close:' + c));
            });
        } catch (e) { seen.push(e.message); }
        expect('seen', seen, ['close:1001', 'from handler']);
    )");
    expect_ok(r);
}

TEST_F(WsModule, NothingRunsAfterClose) {
    auto r = run(R"(
        const seen = [];
        ws.connect(base + '/', function (socket) {
            socket.on('open', () => { socket.send('a'); socket.send('b'); socket.send('c'); });
            socket.on('message', (m) => { seen.push(m); socket.close(); });
            socket.on('close', () => seen.push('close'));
            socket.setInterval(() => seen.push('tick'), 1);
        });
        // Ticks may come before the echo (a slow machine); nothing comes after the close.
        expect('seen', seen.filter((s) => s !== 'tick'), ['a', 'close']);
        expect('last', seen[seen.length - 1], 'close');
    )");
    expect_ok(r);
}

TEST_F(WsModule, SendAfterCloseGoesToErrorHandlers) {
    auto r = run(R"(
        const errors = [];
        let kept = null;
        ws.connect(base + '/', function (socket) {
            kept = socket;
            socket.on('error', (e) => errors.push(e.error()));
            socket.close();
            socket.send('late');
            socket.close();
        });
        kept.send('after return');
        expect('errors', errors, ['websocket: close sent', 'websocket: close sent']);
    )");
    expect_ok(r);
    // Failed sends count too (k6-behaviour.md Q10).
    EXPECT_EQ(only(r.samples, "ws_msgs_sent").size(), 2u);
}

TEST_F(WsModule, OpenFiresAfterCallbackClosed) {
    auto r = run(R"(
        const seen = [];
        ws.connect(base + '/', function (socket) {
            socket.on('open', () => seen.push('open'));
            socket.on('close', () => seen.push('close'));
            socket.close();
        });
        expect('seen', seen, ['close', 'open']);
    )");
    expect_ok(r);
}

TEST_F(WsModule, InterruptEndsABlockedSessionPromptly) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(200);
    auto r = run(R"(
        ws.connect(base + '/', function (socket) {
            socket.on('close', () => { throw new Error('close handler must not run'); });
        });
    )",
                 opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kInterrupted});
    EXPECT_EQ(only(r.samples, "ws_sessions").size(), 1u);
    // Samples after the interrupt are dropped, as k6 does (k6-behaviour.md Q15).
    EXPECT_TRUE(only(r.samples, "ws_session_duration").empty());
}

TEST_F(WsModule, InterruptEndsAHangingHandshake) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(200);
    auto r = run("ws.connect(base + '/hang', function () {});", opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kInterrupted});
}

} // namespace
} // namespace volley::test

namespace volley::test {
namespace {

TEST_F(WsModule, InterruptEndsAWriteBlockedOnAPeerThatStoppedReading) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(300);
    auto r = run(R"(
        const big = 'x'.repeat(1 << 20);
        ws.connect(base + '/noread', function (socket) {
            socket.on('open', () => { for (let i = 0; i < 512; i++) socket.send(big); });
        });
    )",
                 opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kInterrupted});
}

TEST_F(WsModule, TimersFireWhileThePeerFloodsMessages) {
    auto r = run(R"(
        let messages = 0, closed = false;
        ws.connect(base + '/flood', function (socket) {
            socket.on('message', () => { messages++; });
            socket.on('close', () => { closed = true; });
            socket.setTimeout(() => socket.close(), 100);
        });
        if (!closed) throw new Error('the timeout never closed the socket');
        if (messages < 10) throw new Error('messages ' + messages);
    )");
    expect_ok(r);
}

TEST_F(WsModule, SlowIntervalCallbacksDoNotStarveEvents) {
    auto r = run(R"(
        let ticks = 0, got = null;
        ws.connect(base + '/', function (socket) {
            socket.setInterval(() => { ticks++; sleep(0.03); }, 10);
            socket.on('open', () => socket.send('hi'));
            socket.on('message', (m) => { got = m; socket.close(); });
        });
        expect('message', got, 'hi');
    )");
    expect_ok(r);
}

} // namespace
} // namespace volley::test
