// Typed arrays only when the script can use them (script::Bundle::intrinsics): a VU of a
// script that never names them runs without ArrayBuffer (less memory per VU), while a script
// whose only hint is a `binaryMessage` handler, an imported module or an open() call keeps them.
// The snippets reach the constructors by computed names so that only the word under test
// appears in their source.

#include <gtest/gtest.h>

#include "run_js.hpp"
#include "script/intrinsic_use.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

// `globalThis.AB` = ArrayBuffer (or undefined) without naming it.
const char* kPrelude = R"(
    import ws from 'k6/ws';
    const AB = globalThis['Array' + 'Buff' + 'er'];
    const U8 = globalThis['Uint' + '8Ar' + 'ray'];
)";

JsRun run_default(const std::string& body, JsOptions opts = {}) {
    return run_js(std::string(kPrelude) + "export default function () {\n" + body + "\n}\n", opts);
}

void expect_completed(const JsRun& r) {
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.results, std::vector<IterationResult>{IterationResult::kCompleted});
}

TEST(TypedArrays, ScriptThatNeverNamesThemRunsWithout) {
    auto r = run_default(R"(
        if (AB !== undefined || U8 !== undefined) throw new Error('typed arrays present');
    )");
    expect_completed(r);
}

TEST(TypedArrays, BinaryMessageHandlerKeepsArrayBuffers) {
    wsecho::EchoServer server(wsecho::EchoOptions{});
    server.start();
    JsOptions opts;
    opts.env["BASE"] = server.url();
    auto r = run_default(R"(
        if (typeof AB !== 'function' || typeof U8 !== 'function') throw new Error('no typed arrays');
        let got = null;
        ws.connect(__ENV.BASE + '/', function (socket) {
            socket.on('open', () => socket['send' + 'Bin' + 'ary'](new U8([7, 8, 9]).buffer));
            socket.on('binaryMessage', (b) => { got = b; socket.close(); });
        });
        if (!(got instanceof AB)) throw new Error('not an ArrayBuf' + 'fer: ' + got);
        if (Array.from(new U8(got)).join() !== '7,8,9') throw new Error('bytes: ' + got);
    )",
                         opts);
    expect_completed(r);
}

TEST(TypedArrays, MentionInAnImportedModuleCounts) {
    JsOptions opts;
    opts.extra_files["lib.js"] = "export const make = () => new DataView(new ArrayBuffer(2));\n";
    auto r = run_js(std::string(kPrelude) + R"(
        import { make } from './lib.js';
        export default function () {
            if (make().byteLength !== 2) throw new Error('byteLength');
        }
    )",
                    opts);
    expect_completed(r);
}

TEST(TypedArrays, WordsThatKeepThem) {
    EXPECT_FALSE(script::mentions_typed_arrays("ws.connect(url, (s) => s.send('x'))"));
    for (const char* s : {"new ArrayBuffer(1)", "DataView", "new Float64Array(2)",
                          "Uint8ClampedArray", "BigUint64Array", "s.on('binaryMessage', f)",
                          "s.sendBinary(b)", "const f = open('x', 'b')"}) {
        EXPECT_TRUE(script::mentions_typed_arrays(s)) << s;
    }
}

} // namespace
} // namespace volley::test

namespace volley::test {
namespace {

// k6/encoding, k6/crypto and the crypto global return ArrayBuffers: naming them is enough.
TEST(TypedArrays, EncodingAndCryptoKeepArrayBuffers) {
    for (const char* import_line : {"import { b64decode as f } from 'k6/encoding';",
                                    "import { randomBytes } from 'k6/crypto'; const f = () => "
                                    "randomBytes(3);"}) {
        auto r = run_js(std::string(kPrelude) + import_line + R"(
            export default function () {
                const v = f('AAEC');
                if (!(v instanceof AB) || new U8(v).length !== 3) throw new Error('not a buffer');
            }
        )");
        expect_completed(r);
    }
}

} // namespace
} // namespace volley::test
