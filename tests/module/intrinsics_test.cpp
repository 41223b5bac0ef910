// RegExp and Map/Set only when the script can use them (script::Bundle::intrinsics): a VU of a
// script that never names them runs without, and one that does (a regular expression literal, a
// `new Map`, a CommonJS module) has them. The snippets reach the globals by computed names so
// that only the construct under test appears in their source.

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

const char* kPrelude = R"(
    const RE = globalThis['Reg' + 'Exp'];
    const M = globalThis['Ma' + 'p'];
    const S = globalThis['Se' + 't'];
)";

void expect_completed(const std::string& source, JsOptions opts = {}) {
    auto r = run_js(std::string(kPrelude) + source, opts);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

TEST(Intrinsics, ScriptThatNeverNamesThemRunsWithout) {
    expect_completed(R"(
        export default function () {
            if (RE !== undefined || M !== undefined || S !== undefined)
                throw new Error('present: ' + [typeof RE, typeof M, typeof S]);
            if ('ws://a/b'.split('/').length !== 4 || 'a-b'.replace('-', '+') !== 'a+b')
                throw new Error('string methods with string arguments');
        }
    )");
}

TEST(Intrinsics, RegexpLiteralKeepsRegExp) {
    expect_completed(R"(
        export default function () {
            if (!/b+/.test('abbc') || 'a1b22'.replace(/[0-9]+/g, '#') !== 'a#b#')
                throw new Error('regexp');
            if (typeof RE !== 'function') throw new Error('no RegExp');
        }
    )");
}

TEST(Intrinsics, NewMapKeepsMapAndSet) {
    expect_completed(R"(
        export default function () {
            const m = new Map([[1, 'a']]);
            if (m.get(1) !== 'a' || typeof S !== 'function') throw new Error('map/set');
        }
    )");
}

TEST(Intrinsics, CommonJsModuleKeepsMapAndSet) {
    JsOptions opts;
    opts.extra_files["lib.js"] = "module.exports = { two: 2 };\n";
    expect_completed(R"(
        import lib from './lib.js';
        export default function () {
            if (lib.two !== 2 || typeof M !== 'function') throw new Error('commonjs');
        }
    )",
                     opts);
}

} // namespace
} // namespace volley::test
