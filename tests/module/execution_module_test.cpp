// Module "k6/execution" in a real VU (k6-behaviour.md §5.6). Counters that need a scheduler
// (instance.*, test.abort) are covered end to end in tests/e2e.

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

TEST(K6Execution, VuAndScenarioFacts) {
    JsOptions opts;
    opts.iterations = 2;
    auto r = run_js(R"(
        import exec from 'k6/execution';
        import { check } from 'k6';
        export default function () {
            check(null, {
                id: () => exec.vu.idInInstance === 1 && exec.vu.idInTest === 1,
                iter: () => exec.vu.iterationInInstance === __ITER,
                scenario: () => exec.scenario.name === 'default',
                executor: () => exec.scenario.executor === 'per-vu-iterations',
                inScenario: () => exec.vu.iterationInScenario === __ITER,
            });
        }
    )",
                    opts);
    ASSERT_EQ(r.error, "");
    auto checks = only(r.samples, "checks");
    ASSERT_EQ(checks.size(), 10u);
    for (const auto& c : checks) {
        EXPECT_EQ(c.value, 1.0) << c.tags.at("check");
    }
}

TEST(K6Execution, VuTagsAreALiveReadWriteView) {
    auto r = run_js(R"(
        import exec from 'k6/execution';
        import { group } from 'k6';
        import { Counter } from 'k6/metrics';
        const c = new Counter('tagged');
        export default function () {
            if (exec.vu.tags.scenario !== 'default') throw new Error('scenario tag');
            group('g', () => { if (exec.vu.tags.group !== '::g') throw new Error('group tag'); });
            exec.vu.tags.custom = 5;
            if (exec.vu.tags.custom !== '5') throw new Error('custom tag');
            if (!Object.keys(exec.vu.tags).includes('custom')) throw new Error('keys');
            try { exec.vu.tags.bad = {}; throw new Error('no TypeError'); } catch (e) {
                if (!(e instanceof TypeError)) throw e;
            }
            c.add(1);
        }
    )");
    ASSERT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
    auto tagged = only(r.samples, "tagged");
    ASSERT_EQ(tagged.size(), 1u);
    EXPECT_EQ(tagged[0].tags.at("custom"), "5");
}

TEST(K6Execution, VuInfoIsNotAvailableInInitContext) {
    auto r = run_js(R"(
        import exec from 'k6/execution';
        const id = exec.vu.idInInstance;
        export default function () {}
    )");
    EXPECT_NE(r.error.find("getting VU information in the init context is not supported"),
              std::string::npos)
        << r.error;
}

TEST(K6Execution, AbortStopsTheIteration) {
    auto r = run_js(R"(
        import exec from 'k6/execution';
        import { Counter } from 'k6/metrics';
        const after = new Counter('after_abort');
        export default function () {
            try { exec.test.abort('enough'); } catch (e) {}
            after.add(1);
        }
    )");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kInterrupted});
    EXPECT_TRUE(only(r.samples, "after_abort").empty());
}

} // namespace
} // namespace volley::test
