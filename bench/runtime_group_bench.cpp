// What sharing a QuickJS runtime among N VUs' contexts costs and saves (js/runtime_group.hpp):
// heap per context, and the pause of one garbage collection of the shared runtime, for N = 1
// (a runtime per VU), 16 (vu::kContextsPerRuntime), 64 and 250. Each context gets the raw
// intrinsics a VU gets and runs a small script that leaves 200 objects, closures and strings
// live, about what a VU of the benchmark scripts holds.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "js/runtime.hpp"
#include "js/value.hpp"

#include <malloc.h>

namespace {

using namespace volley;

constexpr const char* kLiveHeap = R"(
    var kept = [];
    for (let i = 0; i < 200; i++) kept.push({ i: i, s: 'x' + i, f: function () { return i; } });
    var cycle = {}; cycle.self = cycle;
)";

std::size_t heap_in_use() {
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

void BM_RuntimeGroupGc(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    js::RuntimeOptions options;
    options.contexts_per_runtime = n;
    const std::size_t heap0 = heap_in_use();
    std::vector<std::unique_ptr<js::Runtime>> contexts;
    for (std::size_t i = 0; i < n; ++i) {
        contexts.push_back(std::make_unique<js::Runtime>(options));
    }
    const double empty_per_context = static_cast<double>(heap_in_use() - heap0) / n;
    for (auto& rt : contexts) {
        JS_AddIntrinsicEval(rt->context());
        rt->enter();
        js::Value v(rt->context(), JS_Eval(rt->context(), kLiveHeap, std::string(kLiveHeap).size(),
                                           "<bench>", JS_EVAL_TYPE_GLOBAL));
    }
    JSRuntime* rt = contexts.front()->runtime();
    for (auto _ : state) {
        JS_RunGC(rt);
    }
    state.counters["empty_context_KiB"] = empty_per_context / 1024;
    state.counters["live_heap_KiB"] = static_cast<double>(heap_in_use() - heap0) / 1024;
}
BENCHMARK(BM_RuntimeGroupGc)
    ->ArgName("contexts")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Arg(250)
    ->Unit(benchmark::kMillisecond);

} // namespace
