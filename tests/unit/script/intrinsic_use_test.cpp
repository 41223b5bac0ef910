// Which optional intrinsics a source needs (script/intrinsic_use.hpp): regular expression literals
// found in code and not in strings or comments, the words that need RegExp, Map or Set.

#include <gtest/gtest.h>

#include "script/intrinsic_use.hpp"

namespace volley::script {
namespace {

TEST(IntrinsicUse, RegexpLiteralsAndWordsNeedRegExp) {
    for (const char* s : {
             "/a/.test(s)",
             "const re = /a+b/gi;",
             "f(/x/)",
             "[ /x/ ]",
             "function f(s) { return /x/.test(s); }",
             "if (ok) x(); else /y/.exec(s);",
             "if (a) /x/.test(b);",
             "s.split(/,\\s*/)",
             "const t = `id: ${s.replace(/[^a-z/]/g, '')}`;",
             "const p = /[/]/;",
             "s.match('x')",
             "new RegExp(p)",
             "url.search",
         }) {
        EXPECT_TRUE(mentions_regexp(s)) << s;
    }
}

TEST(IntrinsicUse, DivisionsStringsAndCommentsDoNotNeedRegExp) {
    for (const char* s : {
             "const half = total / 2;",
             "const r = a / b / c;",
             "const x = arr[i] / 2 + n / 3;",
             "const url = 'ws://127.0.0.1:8765/';",
             "const u = \"http://a/b/c\";",
             "const t = `ws://${host}/a/b`;",
             "// a comment with /x/ in it\nconst y = 1;",
             "/* block /x/ */ const z = 2;",
             "s.replace('a', 'b'); s.split(',');",
             "const matches = 1; const researcher = 2;",
         }) {
        EXPECT_FALSE(mentions_regexp(s)) << s;
    }
}

TEST(IntrinsicUse, MapAndSetAsWholeWords) {
    for (const char* s : {"new Map()", "new Set([1])", "const w = new WeakMap();", "WeakSet",
                          "Map.groupBy(a, f)"}) {
        EXPECT_TRUE(mentions_map_set(s)) << s;
    }
    for (const char* s : {"setTimeout(f, 1)", "MapBox", "onSet()", "const mapSet = 1;"}) {
        EXPECT_FALSE(mentions_map_set(s)) << s;
    }
}

TEST(IntrinsicUse, AllThreeFromOneSource) {
    js::Intrinsics none = intrinsics_used("export default function () { console.log(1 / 2); }");
    EXPECT_FALSE(none.typed_arrays);
    EXPECT_FALSE(none.regexp);
    EXPECT_FALSE(none.map_set);
    js::Intrinsics all =
        intrinsics_used("const m = new Map(); const b = new ArrayBuffer(1); const r = /x/;");
    EXPECT_TRUE(all.typed_arrays);
    EXPECT_TRUE(all.regexp);
    EXPECT_TRUE(all.map_set);
}

} // namespace
} // namespace volley::script
