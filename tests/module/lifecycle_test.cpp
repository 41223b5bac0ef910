// The VU's lifecycle: init context, globals, imports, open(), iterations
// (k6-behaviour.md §5.4, §5.5).

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

TEST(Lifecycle, GlobalsVuIterAndEnv) {
    JsOptions opts;
    opts.iterations = 3;
    opts.env = {{"NAME", "value"}};
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const iters = new Counter('iters_seen');
        if (typeof __ITER !== 'undefined') throw new Error('__ITER must not exist in init');
        export default function () {
            if (__VU !== 1) throw new Error('__VU ' + __VU);
            if (__ENV.NAME !== 'value') throw new Error('__ENV');
            iters.add(__ITER);
        }
    )",
                      opts);
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.results.size(), 3u);
    auto seen = only(run.samples, "iters_seen");
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].value, 0);
    EXPECT_EQ(seen[2].value, 2);
}

TEST(Lifecycle, ExportedOptionsAreRead) {
    auto run = run_js(R"(
        export const options = { vus: 3, thresholds: { checks: ['rate>0.9'] } };
        export default function () {}
    )");
    EXPECT_EQ(run.options_json, R"({"vus":3,"thresholds":{"checks":["rate>0.9"]}})");
}

TEST(Lifecycle, RelativeImportsAndOpen) {
    JsOptions opts;
    opts.extra_files = {{"lib.js", "export function twice(x) { return 2 * x; }\n"},
                        {"data.txt", "hello"}};
    auto run = run_js(R"(
        import { twice } from './lib.js';
        import { check } from 'k6';
        const text = open('./data.txt');
        const bin = open('data.txt', 'b');
        export default function () {
            check(null, {
                import: () => twice(21) === 42,
                text: () => text === 'hello',
                binary: () => bin instanceof ArrayBuffer && bin.byteLength === 5,
            });
        }
    )",
                      opts);
    ASSERT_EQ(run.error, "");
    auto checks = only(run.samples, "checks");
    ASSERT_EQ(checks.size(), 3u);
    for (const auto& c : checks) {
        EXPECT_EQ(c.value, 1.0) << c.tags.at("check");
    }
}

TEST(Lifecycle, OpenOutsideInitThrows) {
    auto run = run_js(R"(
        export default function () { open('x'); }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kFailed});
}

TEST(Lifecycle, SyntaxErrorNamesFileLineAndColumn) {
    auto run = run_js("export default function () {\n  let x = ;\n}\n");
    EXPECT_NE(run.error.find("SyntaxError"), std::string::npos) << run.error;
    EXPECT_NE(run.error.find("script.js:2:"), std::string::npos) << run.error;
    EXPECT_NE(run.error.find("let x = ;"), std::string::npos) << run.error;
}

TEST(Lifecycle, UnknownModuleFailsLoading) {
    auto run = run_js("import x from 'k6/nope';\nexport default function () {}\n");
    EXPECT_NE(run.error.find("unknown modules [\"k6/nope\"] were tried to be loaded"),
              std::string::npos)
        << run.error;
}

TEST(Lifecycle, RemovedModulesFailWithK6sMessage) {
    const std::pair<const char*, const char*> cases[] = {
        {"import { Client } from 'k6/experimental/grpc';",
         "k6/experimental/grpc has been graduated, please use k6/net/grpc instead."},
        {"import { chromium } from 'k6/experimental/browser';",
         "k6/experimental/browser has been graduated, please use k6/browser instead."},
        {"import tracing from 'k6/experimental/tracing';",
         "k6/experimental/tracing has been removed."},
    };
    for (const auto& [import, message] : cases) {
        auto run = run_js(std::string(import) + "\nexport default function () {}\n");
        EXPECT_NE(run.error.find(message), std::string::npos) << run.error;
    }
}

TEST(Lifecycle, K6ModulesNotYetInVolleyAreNamedAsSuch) {
    auto run = run_js("import { parseHTML } from 'k6/html';\nimport x from 'k6/zzz';\n"
                      "export default function () {}\n");
    EXPECT_NE(run.error.find("volley does not implement the k6 modules [\"k6/html\"] yet"),
              std::string::npos)
        << run.error;
    EXPECT_NE(run.error.find("unknown modules [\"k6/zzz\"] were tried to be loaded"),
              std::string::npos)
        << run.error;
}

TEST(Lifecycle, MissingRelativeImportFailsLoading) {
    auto run = run_js("import x from './missing.js';\nexport default function () {}\n");
    EXPECT_NE(run.error.find("missing.js"), std::string::npos) << run.error;
}

TEST(Lifecycle, InitExceptionFailsLoading) {
    auto run = run_js("throw new Error('init boom');\nexport default function () {}\n");
    EXPECT_NE(run.error.find("Error: init boom"), std::string::npos) << run.error;
}

TEST(Lifecycle, IterationExceptionFailsOnlyThatIteration) {
    JsOptions opts;
    opts.iterations = 2;
    auto run = run_js(R"(
        export default function () { if (__ITER === 0) throw new Error('first'); }
    )",
                      opts);
    EXPECT_EQ(run.results, (std::vector<IterationResult>{IterationResult::kFailed,
                                                         IterationResult::kCompleted}));
    EXPECT_EQ(only(run.samples, "iterations").size(), 2u);
}

TEST(Lifecycle, AsyncDefaultIsAwaited) {
    auto run = run_js(R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('after_await');
        export default async function () {
            await Promise.resolve();
            c.add(1);
        }
    )");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kCompleted});
    EXPECT_EQ(only(run.samples, "after_await").size(), 1u);
}

TEST(Lifecycle, RejectedAsyncDefaultFailsTheIteration) {
    auto run = run_js("export default async function () { throw new Error('late'); }");
    EXPECT_EQ(run.results, std::vector<IterationResult>{IterationResult::kFailed});
}

} // namespace
} // namespace volley::test
