// The VU event loop and the timers (k6's internal/js/eventloop and tc55/timers): an iteration
// ends when nothing is queued, timed or held; promise jobs run after each task; timers run by
// deadline, equal deadlines in call order; ids count per VU; errors end the iteration.

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

// Runs `body` as the default function with `check` imported; every check must pass.
void expect_checks_pass(const std::string& body, int iterations = 1) {
    JsOptions opts;
    opts.iterations = iterations;
    auto run = run_js("import { check } from 'k6';\n" + body, opts);
    ASSERT_EQ(run.error, "");
    EXPECT_EQ(run.results, std::vector<IterationResult>(static_cast<std::size_t>(iterations),
                                                        IterationResult::kCompleted));
    auto checks = only(run.samples, "checks");
    ASSERT_FALSE(checks.empty());
    for (const auto& c : checks) {
        EXPECT_EQ(c.value, 1) << c.tags.at("check");
    }
}

TEST(EventLoop, IterationWaitsForTimersAndRunsThemInOrder) {
    expect_checks_pass(R"(
        export default function () {
            const out = [];
            const start = Date.now();
            setTimeout(() => out.push('t30'), 30);
            setTimeout(() => out.push('t0a'), 0);
            setTimeout(() => { out.push('t0b'); Promise.resolve().then(() => out.push('job')); });
            setTimeout(() => out.push('neg'), -1);
            setTimeout(function (a, b) { out.push(a + b + (this === globalThis)); }, 10, 'x', 'y');
            let n = 0;
            const iv = setInterval(() => { if (++n === 3) clearInterval(iv); out.push('iv' + n); }, 15);
            Promise.resolve().then(() => out.push('micro'));
            out.push('sync');
            setTimeout(() => check(out, {
                order: (o) => o.join() === 'sync,micro,t0a,t0b,job,neg,xytrue,iv1,t30,iv2,iv3',
                waited: () => Date.now() - start >= 45,
            }), 60);
        }
    )");
}

TEST(EventLoop, ClearedTimersDoNotRunAndIdsCountPerVu) {
    JsOptions opts;
    opts.iterations = 2;
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        import * as timers from 'k6/timers';
        const fired = new Counter('fired');
        const ids = new Counter('ids');
        export default function () {
            const a = setTimeout(() => fired.add(100), 5);
            const b = timers.setTimeout(() => { clearTimeout(c); fired.add(1); }, 1);
            const c = setTimeout(() => fired.add(1000), 1); // cleared by b, already due
            clearTimeout(a);
            clearTimeout('nonsense');
            clearInterval(9999);
            ids.add(a);
            if (timers.setTimeout !== setTimeout || Object.keys(timers).length !== 4)
                throw new Error('k6/timers must export the global functions only');
        }
    )",
                      opts);
    ASSERT_EQ(run.error, "");
    EXPECT_EQ(run.results, std::vector<IterationResult>(2, IterationResult::kCompleted));
    auto fired = only(run.samples, "fired");
    ASSERT_EQ(fired.size(), 2u);
    EXPECT_EQ(fired[0].value, 1);
    auto ids = only(run.samples, "ids");
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(ids[0].value, 1); // the counter is the VU's: the second iteration goes on
    EXPECT_EQ(ids[1].value, 4);
}

TEST(EventLoop, AsyncDefaultAwaitsTimers) {
    expect_checks_pass(R"(
        const delay = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
        export default async function () {
            const t0 = Date.now();
            const a = await delay(20, 'a');
            const all = await Promise.all([delay(10, 1), delay(5, 2), delay(1, 3)]);
            check(null, {
                values: () => a === 'a' && all.join() === '1,2,3',
                slept: () => Date.now() - t0 >= 30,
            });
        }
    )",
                       2);
}

TEST(EventLoop, TimerSetInInitRunsBeforeTheInitEnds) {
    expect_checks_pass(R"(
        let fired = false;
        setTimeout(() => { fired = true; }, 10);
        export default function () { check(fired, { 'init timer fired': (f) => f === true }); }
    )");
}

TEST(EventLoop, ThrowingCallbackFailsTheIterationAndDropsTheRest) {
    JsOptions opts;
    opts.iterations = 2;
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const after = new Counter('after');
        export default function () {
            setTimeout(() => { throw new Error('in timer'); }, 1);
            setTimeout(() => after.add(1), 50);
        }
    )",
                      opts);
    ASSERT_EQ(run.error, "");
    EXPECT_EQ(run.results, std::vector<IterationResult>(2, IterationResult::kFailed));
    EXPECT_TRUE(only(run.samples, "after").empty());
    EXPECT_EQ(only(run.samples, "iterations").size(), 2u); // k6 counts them as full iterations
}

TEST(EventLoop, UnhandledRejectionFailsTheIterationHandledOneDoesNot) {
    JsOptions opts;
    opts.iterations = 2;
    auto run = run_js(R"(
        export default async function () {
            const handled = Promise.reject(new Error('caught'));
            await handled.catch(() => {});
            if (__ITER === 1) Promise.reject(new Error('nobody listens'));
        }
    )",
                      opts);
    ASSERT_EQ(run.error, "");
    EXPECT_EQ(run.results, (std::vector<IterationResult>{IterationResult::kCompleted,
                                                         IterationResult::kFailed}));
}

TEST(EventLoop, PendingPromiseEndsTheIterationWithoutError) {
    auto run = run_js("export default async function () { await new Promise(() => {}); }");
    ASSERT_EQ(run.error, "");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

TEST(EventLoop, NonFunctionCallbackThrowsK6sError) {
    expect_checks_pass(R"(
        function msg(f) { try { f(); return ''; } catch (e) { return String(e); } }
        export default function () {
            check(null, {
                timeout: () => msg(() => setTimeout(undefined, 1)) ===
                    "GoError: setTimeout's callback isn't a callable function",
                interval: () => msg(() => setInterval('code', 1)) ===
                    "GoError: setInterval's callback isn't a callable function",
            });
        }
    )");
}

TEST(EventLoop, IntervalIsStoppedWhenTheVuIsInterrupted) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(300);
    auto run = run_js("export default function () { setInterval(() => {}, 5); }", opts);
    ASSERT_EQ(run.error, "");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kInterrupted});
}

TEST(EventLoop, ExperimentalTimersIsRemoved) {
    auto run = run_js(R"(
        import { setTimeout } from 'k6/experimental/timers';
        export default function () {}
    )");
    EXPECT_NE(run.error.find("k6/experimental/timers has been graduated, and it's now globally "
                             "available as defined by standard WebAPIs. You just need to remove "
                             "the import."),
              std::string::npos)
        << run.error;
}

} // namespace
} // namespace volley::test
