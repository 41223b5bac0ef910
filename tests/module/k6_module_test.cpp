// Module "k6" in a real VU: check, group, sleep, fail (k6-behaviour.md §5.1).

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

TEST(K6Check, EmitsOneSamplePerEntryWithCheckAndGroupTags) {
    auto run = run_js(R"(
        import { check } from 'k6';
        export default function () {
            const ok = check(5, { 'is five': (v) => v === 5, 'is six': (v) => v === 6 });
            if (ok !== false) throw new Error('check should return false');
        }
    )");
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
    auto checks = only(run.samples, "checks");
    ASSERT_EQ(checks.size(), 2u);
    EXPECT_EQ(checks[0].tags.at("check"), "is five");
    EXPECT_EQ(checks[0].value, 1.0);
    EXPECT_EQ(checks[1].tags.at("check"), "is six");
    EXPECT_EQ(checks[1].value, 0.0);
    EXPECT_EQ(checks[0].tags.at("group"), "");
    EXPECT_EQ(checks[0].tags.at("scenario"), "default");
}

// The VU caches tag sets derived from its own tags; a change to those (vu.tags, group) must
// show in the very next check, and the same extra tags must give the same tags again after.
TEST(K6Check, TagsFollowChangesOfTheVuTags) {
    auto run = run_js(R"(
        import { check, group } from 'k6';
        import exec from 'k6/execution';
        export default function () {
            check(1, { a: () => true }, { t: '1' });
            exec.vu.tags['team'] = 'x';
            check(1, { a: () => true }, { t: '1' });
            group('g', () => { check(1, { a: () => true }, { t: '1' }); });
            exec.vu.tags['team'] = 'y';
            check(1, { a: () => true }, { t: '1' });
            if (!(delete exec.vu.tags['team'])) throw new Error('delete returned false');
            if (!(delete exec.vu.tags['never_set'])) throw new Error('delete of a missing tag');
            if ('team' in exec.vu.tags) throw new Error('team still there');
            check(1, { a: () => true }, { t: '1' });
        }
    )");
    ASSERT_EQ(run.error, "");
    auto checks = only(run.samples, "checks");
    ASSERT_EQ(checks.size(), 5u);
    EXPECT_EQ(checks[0].tags.count("team"), 0u);
    EXPECT_EQ(checks[1].tags.at("team"), "x");
    EXPECT_EQ(checks[1].tags.at("group"), "");
    EXPECT_EQ(checks[2].tags.at("team"), "x");
    EXPECT_EQ(checks[2].tags.at("group"), "::g");
    EXPECT_EQ(checks[3].tags.at("team"), "y");
    EXPECT_EQ(checks[4].tags.count("team"), 0u); // delete exec.vu.tags[...], as k6
    for (const auto& c : checks) {
        EXPECT_EQ(c.tags.at("t"), "1");
        EXPECT_EQ(c.tags.at("check"), "a");
    }
}

TEST(K6Check, ExtraTagsAndNonFunctionValues) {
    auto run = run_js(R"(
        import { check } from 'k6';
        export default function () {
            check(null, { truthy: 1, falsy: 0 }, { my_tag: 42 });
        }
    )");
    auto checks = only(run.samples, "checks");
    ASSERT_EQ(checks.size(), 2u);
    EXPECT_EQ(checks[0].value, 1.0);
    EXPECT_EQ(checks[1].value, 0.0);
    EXPECT_EQ(checks[0].tags.at("my_tag"), "42");
}

TEST(K6Check, ThrowingCheckEmitsZeroAndRethrows) {
    auto run = run_js(R"(
        import { check } from 'k6';
        export default function () {
            check(1, { boom: () => { throw new Error('x'); }, never: () => true });
        }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kFailed});
    auto checks = only(run.samples, "checks");
    ASSERT_EQ(checks.size(), 1u);
    EXPECT_EQ(checks[0].value, 0.0);
    // A failed iteration still counts (k6).
    EXPECT_EQ(only(run.samples, "iterations").size(), 1u);
}

TEST(K6Check, Errors) {
    auto run = run_js(R"(
        import { check, group } from 'k6';
        function msg(f) { try { f(); } catch (e) { return String(e); } return 'no error'; }
        export default function () {
            const got = [
                msg(() => check(1)),
                msg(() => check(1, { 'a::b': true })),
                msg(() => check(1, { x: async () => true })),
                msg(() => group('a', 5)),
                msg(() => group('a::b', () => {})),
            ];
            const want = [
                'GoError: no checks provided to `check`',
                "GoError: group and check names may not contain '::'",
                'GoError: the built-in check() does not support async functions as arguments.',
                'GoError: group() requires a callback as a second argument',
                "GoError: group and check names may not contain '::'",
            ];
            for (let i = 0; i < want.length; i++) {
                if (!got[i].startsWith(want[i])) throw new Error(i + ': ' + got[i]);
            }
        }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

TEST(K6Check, NotAllowedInInitContext) {
    auto run = run_js(R"(
        import { check } from 'k6';
        check(1, { a: true });
        export default function () {}
    )");
    EXPECT_NE(run.error.find("Using check() in the init context is not supported"),
              std::string::npos)
        << run.error;
}

TEST(K6Group, SetsGroupTagAndEmitsDuration) {
    auto run = run_js(R"(
        import { group, check } from 'k6';
        export default function () {
            const r = group('outer', () => {
                group('inner', () => { check(1, { c: true }); });
                return 7;
            });
            if (r !== 7) throw new Error('group must return the callback result');
            check(1, { root: true });
        }
    )");
    ASSERT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
    auto checks = only(run.samples, "checks");
    ASSERT_EQ(checks.size(), 2u);
    EXPECT_EQ(checks[0].tags.at("group"), "::outer::inner");
    EXPECT_EQ(checks[1].tags.at("group"), "");
    auto durations = only(run.samples, "group_duration");
    ASSERT_EQ(durations.size(), 2u);
    EXPECT_EQ(durations[0].tags.at("group"), "::outer::inner");
    EXPECT_EQ(durations[1].tags.at("group"), "::outer");
    EXPECT_GE(durations[1].value, durations[0].value);
}

TEST(K6Group, RestoresTagWhenCallbackThrows) {
    auto run = run_js(R"(
        import { group, check } from 'k6';
        export default function () {
            try { group('g', () => { throw new Error('x'); }); } catch (e) {}
            check(1, { after: true });
        }
    )");
    auto checks = only(run.samples, "checks");
    ASSERT_EQ(checks.size(), 1u);
    EXPECT_EQ(checks[0].tags.at("group"), "");
    EXPECT_EQ(only(run.samples, "group_duration").size(), 1u);
}

TEST(K6Sleep, SuspendsTheVuForTheGivenTime) {
    auto run = run_js(R"(
        import { sleep } from 'k6';
        export default function () {
            const t = Date.now();
            sleep(0.05);
            sleep(0);
            sleep(-1);
            if (Date.now() - t < 45) throw new Error('slept too little');
        }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
    auto d = only(run.samples, "iteration_duration");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_GE(d[0].value, 45.0);
}

TEST(K6Sleep, InterruptCutsALongSleep) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(100);
    auto run = run_js(R"(
        import { sleep } from 'k6';
        export default function () { sleep(30); }
    )",
                      opts);
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kInterrupted});
    EXPECT_TRUE(only(run.samples, "iterations").empty());
}

TEST(K6Interrupt, StopsABusyLoop) {
    JsOptions opts;
    opts.timeout = std::chrono::milliseconds(100);
    auto run = run_js("export default function () { for (;;) {} }", opts);
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kInterrupted});
}

TEST(K6Fail, ThrowsGoError) {
    auto run = run_js(R"(
        import { fail } from 'k6';
        export default function () {
            try { fail('boom'); } catch (e) {
                if (e.name !== 'GoError' || e.message !== 'boom') throw new Error('bad: ' + e);
                return;
            }
            throw new Error('fail() did not throw');
        }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

TEST(K6RandomSeed, MakesMathRandomRepeatable) {
    auto run = run_js(R"(
        import { randomSeed } from 'k6';
        export default function () {
            randomSeed(7); const a = [Math.random(), Math.random()];
            randomSeed(7); const b = [Math.random(), Math.random()];
            if (a[0] !== b[0] || a[1] !== b[1] || a[0] === a[1]) throw new Error('not repeatable');
            if (!(a[0] >= 0 && a[0] < 1)) throw new Error('out of range');
        }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

} // namespace
} // namespace volley::test
