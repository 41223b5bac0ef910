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

} // namespace
} // namespace volley::test
