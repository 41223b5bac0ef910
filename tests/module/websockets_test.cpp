// Module "k6/websockets" in a real VU against the in-repo echo server on 127.0.0.1 port 0
// (k6-behaviour.md §8): events and their order, many sockets per VU, close codes, errors,
// argument checks, Blob, metrics and tags.

#include <gtest/gtest.h>

#include "echo_suite.hpp"
#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

class WebSockets : public EchoSuite {
protected:
    // Runs `body` as the inside of an async default() with `base` = the echo server's URL.
    static JsRun run(const std::string& body, JsOptions opts = {}) {
        opts.env["BASE"] = server_->url();
        std::string source = R"(
            import { WebSocket, Blob } from 'k6/websockets';
            import { check } from 'k6';
            const base = __ENV.BASE;
            function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
            function expect(name, got, want) {
                if (!same(got, want)) throw new Error(name + ': got ' + JSON.stringify(got) +
                                                      ', want ' + JSON.stringify(want));
            }
            function msg(f) { try { f(); return ''; } catch (e) { return String(e); } }
            export default async function () {
        )" + body + "\n}\n";
        return run_js(source, opts);
    }

    static void expect_ok(const JsRun& r) {
        ASSERT_EQ(r.error, "");
        ASSERT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
    }
};

TEST_F(WebSockets, EchoEventsStatesMetricsAndTags) {
    auto r = run(R"(
        const seen = [];
        const ws = new WebSocket(base + '/', null, { tags: { room: 'r1' } });
        expect('connecting', [ws.readyState, ws.binaryType, ws.bufferedAmount], [0, 'blob', 0]);
        expect('send before open', msg(() => ws.send('x')), 'GoError: InvalidStateError');
        await new Promise((resolve) => {
            ws.onopen = (e) => {
                seen.push(['open', ws.readyState, e.type, e.target === ws, typeof e.timestamp]);
                ws.send('hello');
                expect('buffered until written', ws.bufferedAmount, 5);
                ws.binaryType = 'arraybuffer';
                ws.send(new Uint8Array([1, 2, 3]).buffer);
            };
            ws.addEventListener('message', (e) => {
                const d = e.data;
                seen.push(['message', typeof d === 'string' ? d : Array.from(new Uint8Array(d)),
                           e.origin === ws.url]);
                if (typeof d !== 'string') ws.close(3001, 'bye');
            });
            ws.onclose = (e) => {
                seen.push(['close', ws.readyState, e.code, e.reason, 'wasClean' in e]);
                resolve();
            };
        });
        expect('events', seen, [['open', 1, 'open', true, 'number'], ['message', 'hello', true],
                                ['message', [1, 2, 3], true], ['close', 3, 3001, '', false]]);
        expect('after close', msg(() => ws.send('x')), 'GoError: InvalidStateError');
        ws.close(); // closing a closed socket does nothing
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "ws_sessions").size(), 1u);
    EXPECT_EQ(only(r.samples, "ws_connecting").size(), 1u);
    EXPECT_EQ(only(r.samples, "ws_session_duration").size(), 1u);
    EXPECT_EQ(only(r.samples, "ws_msgs_sent").size(), 3u); // two messages and the close frame
    EXPECT_EQ(only(r.samples, "ws_msgs_received").size(), 2u);
    const auto t = only(r.samples, "ws_sessions")[0].tags;
    EXPECT_EQ(t.at("url"), server_->url() + "/");
    EXPECT_EQ(t.at("status"), "101");
    EXPECT_EQ(t.at("room"), "r1");
}

TEST_F(WebSockets, CustomNameTagIsAlsoTheUrlTag) {
    auto r = run(R"(
        await new Promise((resolve) => {
            const ws = new WebSocket(base + '/?secret=1', null, { tags: { name: 'chat' } });
            ws.onopen = () => ws.close();
            ws.onclose = resolve;
        });
    )");
    expect_ok(r);
    const auto t = only(r.samples, "ws_sessions").at(0).tags;
    EXPECT_EQ(t.at("url"), "chat");
    EXPECT_EQ(t.at("name"), "chat");
}

TEST_F(WebSockets, ThousandSocketsInOneVu) {
    auto r = run(R"(
        const n = 1000;
        let open = 0, echoed = 0, closed = 0;
        await new Promise((resolve) => {
            for (let i = 0; i < n; i++) {
                const ws = new WebSocket(base + '/?i=' + i);
                const order = [];
                ws.onopen = () => { open++; ws.send('a' + i); ws.send('b' + i); };
                ws.onmessage = (e) => {
                    order.push(e.data);
                    if (order.length === 2) {
                        expect('order ' + i, order, ['a' + i, 'b' + i]);
                        echoed++;
                        ws.close();
                    }
                };
                ws.onclose = () => { if (++closed === n) resolve(); };
            }
        });
        expect('counts', [open, echoed, closed], [n, n, n]);
    )");
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "ws_sessions").size(), 1000u);
    EXPECT_EQ(only(r.samples, "ws_msgs_received").size(), 2000u);
}

TEST_F(WebSockets, ServerCloseAndRefusedConnection) {
    JsOptions opts;
    opts.env["CLOSED"] = "ws://127.0.0.1:1/";
    auto r = run(R"(
        const log = [];
        await new Promise((resolve) => {
            const ws = new WebSocket(base + '/close/4000?reason=bye');
            ws.onerror = (e) => log.push(['error', e.error]);
            ws.onclose = (e) => { log.push(['close', e.code, e.reason]); resolve(); };
        });
        await new Promise((resolve) => {
            const ws = new WebSocket(__ENV.CLOSED);
            ws.onopen = () => log.push(['open?']);
            ws.onerror = (e) => log.push(['error', e.error, ws.readyState]);
            ws.onclose = (e) => { log.push(['close', 'code' in e, e.reason]); resolve(); };
        });
        expect('log', log, [['error', 'websocket: close 4000: bye'], ['close', 4000, 'bye'],
            ['error', 'dial tcp 127.0.0.1:1: connect: connection refused', 3],
            ['close', false, '']]);
    )",
                 opts);
    expect_ok(r);
    EXPECT_EQ(only(r.samples, "ws_sessions").size(), 2u);
    EXPECT_EQ(only(r.samples, "ws_session_duration").size(), 1u); // none for a failed dial
}

TEST_F(WebSockets, ArgumentErrorsAsK6) {
    auto r = run(R"(
        expect('no url', msg(() => new WebSocket()), 'GoError: WebSocket requires a url');
        expect('scheme', msg(() => new WebSocket('http://h/')),
               'GoError: WebSocket requires url with scheme ws or wss, but got "http"');
        expect('fragment', msg(() => new WebSocket('ws://h/#f')),
               'GoError: WebSocket requires no url fragment, but got "f"');
        expect('option', msg(() => new WebSocket(base, null, { nope: 1 })),
               "GoError: unknown WebSocket's option nope");
        expect('compression', msg(() => new WebSocket(base, null, { compression: 'gzip' })),
               "GoError: unsupported compression algorithm 'gzip', supported algorithm is 'deflate'");
        const ws = new WebSocket(base + '/');
        expect('binaryType', msg(() => { ws.binaryType = 'text'; }),
               'GoError: unknown binaryType text, the supported ones are "blob" and "arraybuffer"');
        expect('onopen', msg(() => { ws.onopen = 1; }),
               "GoError: a value for 'onopen' should be callable");
        expect('listener', msg(() => ws.addEventListener('open')),
               'GoError: handler for event type "open" isn\'t a callable function');
        expect('unknown event is only a warning', msg(() => ws.addEventListener('x', () => {})), '');
        await new Promise((resolve) => {
            ws.onopen = () => {
                expect('code', msg(() => ws.close(1001)),
                       "GoError: InvalidAccessError: Failed to execute 'close' on 'WebSocket': " +
                       'The close code must be either 1000, or between 3000 and 4999. 1001 is neither');
                expect('reason', msg(() => ws.close(1000, 'x'.repeat(124))),
                       "GoError: SyntaxError: Failed to execute 'close' on 'WebSocket': " +
                       'The message must not be greater than 123 bytes');
                expect('send type', msg(() => ws.send({})),
                       'GoError: unsupported send type map[string]interface {}');
                ws.close();
            };
            ws.onclose = resolve;
        });
    )");
    expect_ok(r);
}

TEST_F(WebSockets, ThrowingListenerFailsTheIterationAfterErrorAndClose) {
    JsOptions opts;
    opts.iterations = 1;
    auto r = run(R"(
        globalThis.seen = [];
        const ws = new WebSocket(base + '/');
        ws.onopen = () => ws.send('x');
        ws.onmessage = () => { throw new Error('boom'); };
        ws.onerror = (e) => seen.push(e.error.split(' at ')[0]);
        ws.onclose = () => {
            seen.push('close');
            if (!same(seen, ['Error: boom', 'close'])) throw new Error(JSON.stringify(seen));
            throw new Error('expected');
        };
    )",
                 opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kFailed});
}

TEST_F(WebSockets, OpenSocketKeepsTheIterationUntilTheVuStops) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(500);
    auto r = run("new WebSocket(base + '/');", opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kInterrupted});
    EXPECT_EQ(only(r.samples, "ws_sessions").size(), 1u);
}

TEST_F(WebSockets, StalledHandshakeAndGarbageEndCleanly) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(700);
    auto r = run(R"(
        const log = [];
        await new Promise((resolve) => {
            const ws = new WebSocket(base + '/garbage?kind=stub');
            ws.onerror = (e) => log.push('error');
            ws.onclose = () => { log.push('close'); resolve(); };
        });
        expect('garbage frame', log[log.length - 1], 'close');
        new WebSocket(base + '/hang'); // never answers: the VU's stop must end it
    )",
                 opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kInterrupted});
}

TEST_F(WebSockets, BlobsAndBinaryMessages) {
    auto r = run(R"(
        const b = new Blob(['ab', new Uint8Array([99]), new Blob(['d'])], { type: 'text/x' });
        expect('blob', [b.size, b.type, await b.text(), await b.slice(1, -1).text()],
               [4, 'text/x', 'abcd', 'bc']);
        expect('bad part', msg(() => new Blob([1])),
               'GoError: failed to process [blobParts]: unsupported type: int64');
        const got = await new Promise((resolve) => {
            const ws = new WebSocket(base + '/');
            ws.onopen = () => ws.send(b);
            ws.onmessage = async (e) => {
                ws.close();
                resolve([e.data instanceof Blob, await e.data.text()]);
            };
        });
        expect('received blob', got, [true, 'abcd']);
    )");
    expect_ok(r);
}

} // namespace
} // namespace volley::test
