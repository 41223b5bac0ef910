// One socket's message round trips against the in-process echo server (its own thread), driven
// by a real VU running a k6/ws script and, for comparison, by net::WsClient with no JS. The CPU
// time is the benchmark thread's (the client side only); items = messages sent + received, so
// 1 / items_per_second is the bench/README.md figure "CPU per message" for one connection.
// A single connection cannot batch events the way pingpong's 50 do: compare the two rows of
// this file with each other, not with bench/run.

#include <chrono>
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>

#include "net/ws_client.hpp"
#include "vu_fixture.hpp"
#include "wsecho/echo_server.hpp"

namespace {

using namespace volley;

constexpr int kRoundTrips = 2000; // per benchmark iteration (one session)

constexpr const char* kScript = R"(
import ws from 'k6/ws';

const n = Number(__ENV.N);
const payload = 'x'.repeat(64);

export default function () {
  let left = n;
  ws.connect(__ENV.WS_URL, {}, function (socket) {
    socket.on('open', function () { socket.send(payload); });
    socket.on('message', function (m) {
      if (--left > 0) { socket.send(m); } else { socket.close(); }
    });
  });
}
)";

void BM_VuPingPong(benchmark::State& state) {
    wsecho::EchoServer echo(wsecho::EchoOptions{});
    echo.start();
    bench::VuFixture fx(kScript,
                        {{"WS_URL", echo.url() + "/"}, {"N", std::to_string(kRoundTrips)}});
    bench::run_on_coroutine(fx.io(), [&](Yield yield) {
        auto v = fx.make_vu(1, yield);
        std::string scenario = "default";
        std::string exec_name = "default";
        std::string executor = "per-vu-iterations";
        exec::IterationContext ctx;
        ctx.scenario = &scenario;
        ctx.exec = &exec_name;
        ctx.executor = &executor;
        for (auto _ : state) {
            if (v->run_iteration(ctx, yield) != exec::IterationResult::kCompleted) {
                state.SkipWithError("iteration failed");
                break;
            }
            ++ctx.iteration_in_scenario;
        }
    });
    state.SetItemsProcessed(state.iterations() * 2 * kRoundTrips);
}
BENCHMARK(BM_VuPingPong)->Unit(benchmark::kMillisecond);

void BM_NativePingPong(benchmark::State& state) {
    wsecho::EchoServer echo(wsecho::EchoOptions{});
    echo.start();
    const std::string url = echo.url() + "/";
    boost::asio::io_context io(1);
    bench::run_on_coroutine(io, [&](Yield yield) {
        for (auto _ : state) {
            net::WsClient c(io);
            auto hs = c.connect(url, net::HandshakeOptions{}, yield);
            if (!hs.ok) {
                state.SkipWithError(hs.error.c_str());
                break;
            }
            std::string payload(64, 'x');
            c.send_text(payload, yield);
            c.start_reading();
            for (int left = kRoundTrips; left > 0;) {
                net::Event ev;
                if (!c.next_event(ev)) {
                    c.wait(std::chrono::steady_clock::now() + std::chrono::seconds(10), yield);
                    continue;
                }
                if (ev.terminal()) {
                    state.SkipWithError("connection ended early");
                    return;
                }
                if (ev.type == net::EventType::kText && --left > 0) {
                    c.send_text(ev.data, yield);
                }
            }
            c.close(net::kCloseNormal, "", yield);
        }
    });
    state.SetItemsProcessed(state.iterations() * 2 * kRoundTrips);
}
BENCHMARK(BM_NativePingPong)->Unit(benchmark::kMillisecond);

} // namespace
