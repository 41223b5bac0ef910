// Module "k6/metrics" in a real VU (k6-behaviour.md §5.2).

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

TEST(K6Metrics, AddsSamplesWithTagsAndConversions) {
    auto run = run_js(R"(
        import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
        const c = new Counter('my_counter');
        const g = Gauge('my_gauge');
        const r = new Rate('my_rate');
        const t = new Trend('my_trend', true);
        export default function () {
            if (c.name !== 'my_counter') throw new Error('name');
            if (c.add(2, { k: 'v' }) !== true) throw new Error('add must return true');
            c.add(true);
            c.add('5.5');
            g.add(-3);
            r.add(0);
            r.add('x1' === 'x1');
            t.add(12.5);
        }
    )");
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
    auto c = only(run.samples, "my_counter");
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].value, 2);
    EXPECT_EQ(c[0].tags.at("k"), "v");
    EXPECT_EQ(c[1].value, 1);
    EXPECT_EQ(c[2].value, 5.5);
    EXPECT_EQ(only(run.samples, "my_gauge")[0].value, -3);
    auto r = only(run.samples, "my_rate");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[1].value, 1);
    EXPECT_EQ(only(run.samples, "my_trend")[0].value, 12.5);
}

TEST(K6Metrics, InvalidValuesWarnAndReturnFalse) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('my_counter');
        export default function () {
            if (c.add() !== false) throw new Error('no value');
            if (c.add(null) !== false) throw new Error('null');
            if (c.add('abc') !== false) throw new Error('string');
            if (c.add({}) !== false) throw new Error('object');
        }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
    EXPECT_TRUE(only(run.samples, "my_counter").empty());
}

TEST(K6Metrics, InvalidValuesThrowWithThrowOption) {
    JsOptions opts;
    opts.settings.throw_errors = true;
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('my_counter');
        export default function () {
            try { c.add(NaN); } catch (e) {
                if (!String(e).includes("is an invalid value for metric 'my_counter'"))
                    throw new Error('message: ' + e);
                return;
            }
            throw new Error('did not throw');
        }
    )",
                      opts);
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

TEST(K6Metrics, InvalidTagsAlwaysThrow) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('my_counter');
        export default function () { c.add(1, { bad: {} }); }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kFailed});
}

TEST(K6Metrics, DeclaringOutsideInitThrows) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        export default function () { new Counter('late'); }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kFailed});
}

TEST(K6Metrics, InvalidNameFailsLoading) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        new Counter('1bad');
        export default function () {}
    )");
    EXPECT_NE(run.error.find("Invalid metric name: '1bad'"), std::string::npos) << run.error;
}

TEST(K6Metrics, BuiltinNameWithOtherTypeFailsLoading) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        new Counter('ws_ping');
        export default function () {}
    )");
    EXPECT_NE(run.error.find("metric 'ws_ping' already exists"), std::string::npos) << run.error;
}

// k6 builds a metric as a plain object with an own, enumerable, read-only `name` and an own
// `add` bound to the metric; scripts are strict ES modules, so assigning `name` throws.
TEST(K6Metrics, MetricObjectIsShapedAsInK6) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('my_counter');
        function expect(what, got, want) {
            if (got !== want) throw new Error(what + ': ' + got);
        }
        export default function () {
            let thrown = '';
            try { c.name = 'other'; } catch (e) { thrown = String(e); }
            expect('assign', thrown, "TypeError: Cannot assign to read only property 'name'");
            expect('name', c.name, 'my_counter');
            expect('keys', Object.keys(c).join(), 'name,add');
            expect('json', JSON.stringify(c), '{"name":"my_counter"}');
            expect('string', String(c), '[object Object]');
            const add = c.add;
            expect('detached add', add(2), true);
            expect('array', c.add([5]), true);
            expect('valueOf', c.add({ valueOf: () => 3 }), true);
        }
    )");
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
    auto c = only(run.samples, "my_counter");
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].value, 2);
    EXPECT_EQ(c[1].value, 5);
    EXPECT_EQ(c[2].value, 3);
}

TEST(K6Metrics, AddInTheInitContextThrows) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('my_counter');
        c.add(1);
        export default function () {}
    )");
    EXPECT_NE(run.error.find("Adding to metrics in the init context is not supported"),
              std::string::npos)
        << run.error;
}

// k6's limitValue: 100 characters or more keep the first and last 50 around an omission note.
TEST(K6Metrics, LongInvalidValuesAreShortenedAsInK6) {
    JsOptions opts;
    opts.settings.throw_errors = true;
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('my_counter');
        export default function () {
            const v = 'é'.repeat(60) + 'x'.repeat(60);
            const want = "'" + 'é'.repeat(50) + '... omitting 20 characters ...' + 'x'.repeat(50) +
                "' is an invalid value for metric 'my_counter'";
            try { c.add(v); } catch (e) {
                if (!String(e).includes(want)) throw new Error('message: ' + e);
                return;
            }
            throw new Error('did not throw');
        }
    )",
                      opts);
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

} // namespace
} // namespace volley::test
