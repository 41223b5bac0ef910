// Hot paths of a VU: creating one from the script's bytecode (time, heap and RSS per VU), and a
// k6/ws `message` handler called the way the session loop calls it (a fresh JS string per
// message, Socket::dispatch, and the ws_msgs_received sample).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "js/value.hpp"
#include "modules/ws_socket.hpp"
#include "vu_fixture.hpp"

namespace {

using namespace volley;

// bench/workloads/pingpong.js: the VU a pingpong or hold test creates.
constexpr const char* kPingpongScript = R"(
import ws from 'k6/ws';

const url = __ENV.WS_URL || 'ws://127.0.0.1:8765/';
const runMs = Number(__ENV.RUN_S || 10) * 1000;
const payload = 'x'.repeat(Number(__ENV.SIZE || 64));

export default function () {
  ws.connect(url, {}, function (socket) {
    socket.on('open', function () { socket.send(payload); });
    socket.on('message', function (m) { socket.send(m); });
    socket.setTimeout(function () { socket.close(); }, runMs);
  });
}
)";

// Time per VU created (JS runtime + context + module load from bytecode + init context). Every
// kBatch VUs are kept alive, then measured and destroyed outside the timing: counters give heap
// bytes (glibc mallinfo2) per live VU, and RSS growth per VU over the first batch (later batches
// reuse freed pages). The VU's coroutine stack is not included.
void BM_MakeVuFromBytecode(benchmark::State& state) {
    constexpr std::size_t kBatch = 200;
    js::RuntimeOptions runtime;
    runtime.intrinsics.typed_arrays = state.range(0) != 0;
    bench::VuFixture fx(kPingpongScript, {}, runtime);
    double heap_sum = 0;
    double rss_first = 0;
    double batches = 0;
    bench::run_on_coroutine(fx.io(), [&](Yield yield) {
        std::vector<std::unique_ptr<vu::Vu>> vus;
        vus.reserve(kBatch);
        std::size_t heap0 = bench::heap_in_use();
        std::size_t rss0 = bench::rss_kib();
        std::uint64_t id = 1;
        for (auto _ : state) {
            vus.push_back(fx.make_vu(id++, yield));
            if (vus.size() == kBatch) {
                state.PauseTiming();
                heap_sum += static_cast<double>(bench::heap_in_use() - heap0) / kBatch;
                if (batches == 0) { // later batches reuse the pages freed by the first
                    rss_first = static_cast<double>(bench::rss_kib() - rss0) / kBatch;
                }
                batches += 1;
                vus.clear();
                heap0 = bench::heap_in_use();
                rss0 = bench::rss_kib();
                state.ResumeTiming();
            }
        }
        vus.clear(); // after the loop: not timed
    });
    if (batches > 0) {
        state.counters["heap_B_per_vu"] = heap_sum / batches;
        state.counters["rss_KiB_per_vu_first_batch"] = rss_first;
    }
}
// Arg: with (1) or without (0) the ArrayBuffer/typed-array intrinsics.
BENCHMARK(BM_MakeVuFromBytecode)
    ->ArgName("typed_arrays")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(2000);

// Handlers of the message benchmark, picked by name from globalThis.handlers.
constexpr const char* kHandlerScript = R"(
import ws from 'k6/ws';

let total = 0;
globalThis.handlers = {
  noop: function (m) {},
  length: function (m) { total += m.length; },
  parse: function (m) { const o = JSON.parse(m); total += o.n; },
};
export default function () {}
)";

// One received text message as Socket::handle_event delivers it: the ws_msgs_received sample,
// a new JS string, and dispatch("message") to the handler. No socket I/O.
void message_handler(benchmark::State& state, const char* handler, std::string payload) {
    bench::VuFixture fx(kHandlerScript);
    bench::run_on_coroutine(fx.io(), [&](Yield yield) {
        auto v = fx.make_vu(1, yield);
        JSContext* ctx = v->context();
        js::Value global(ctx, JS_GetGlobalObject(ctx));
        js::Value handlers(ctx, JS_GetPropertyStr(ctx, global.get(), "handlers"));
        js::Value fn(ctx, JS_GetPropertyStr(ctx, handlers.get(), handler));
        auto tags = fx.interner().intern({{"url", "ws://127.0.0.1:8765/"}});
        modules::ws::Socket socket(*v, tags);
        socket.on("message", fn.get());
        const auto metric = fx.registry().builtins().ws_msgs_received;
        std::int64_t now = 0;
        for (auto _ : state) {
            v->emit(metric, tags, 1, ++now);
            JSValue msg = js::new_string(ctx, payload);
            JSValueConst argv[1] = {msg};
            if (!socket.dispatch("message", 1, argv)) {
                state.SkipWithError("handler threw");
                JS_FreeValue(ctx, msg);
                break;
            }
            JS_FreeValue(ctx, msg);
        }
        socket.release_values(JS_GetRuntime(ctx));
    });
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(message_handler, noop_64B, "noop", std::string(64, 'x'));
BENCHMARK_CAPTURE(message_handler, length_64B, "length", std::string(64, 'x'));
BENCHMARK_CAPTURE(message_handler, json_parse, "parse", std::string(R"({"n":1,"s":"hello"})"));

} // namespace
