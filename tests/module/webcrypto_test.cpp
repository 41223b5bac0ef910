// The global crypto object of k6 v1.6.1 in a real VU: getRandomValues (k6's byte-per-element
// filling and its errors), randomUUID, the property layout, the removed
// k6/experimental/webcrypto module, and crypto.subtle.

#include "crypto_checks.hpp"

namespace volley::test {
namespace {

TEST(WebCrypto, GetRandomValuesAndRandomUuid) {
    expect_all_checks_pass(std::string(kErrHelper) + R"(
        import { check } from 'k6';
        export default function () {
          check(null, {
            'fills and returns the same array': () => { const a = new Uint8Array(64); const r = crypto.getRandomValues(a);
              return r === a && a.some((v) => v !== 0); },
            'one byte per element, whatever the type': () => { const a = new Uint32Array(512); crypto.getRandomValues(a);
              return Math.max(...a) <= 255 && a.some((v) => v !== 0); },
            'Int8Array wraps': () => { const a = new Int8Array(512); crypto.getRandomValues(a); return a.some((v) => v < 0); },
            'the limit counts elements': () => crypto.getRandomValues(new Uint16Array(65536)).length === 65536,
            'too big': () => err(() => crypto.getRandomValues(new Uint8Array(65537))) ===
              'QuotaExceededError: typedArray parameter is too big; maximum length is 65536',
            'not a typed array': () => err(() => crypto.getRandomValues(5)) === "TypeMismatchError: typedArray parameter isn't a TypedArray instance" &&
              err(() => crypto.getRandomValues(new Float32Array(1))) === "TypeMismatchError: typedArray parameter isn't a TypedArray instance" &&
              err(() => crypto.getRandomValues(new BigInt64Array(1))) === "TypeMismatchError: typedArray parameter isn't a TypedArray instance" &&
              err(() => crypto.getRandomValues(new ArrayBuffer(1))) === "TypeMismatchError: typedArray parameter isn't a TypedArray instance" &&
              err(() => crypto.getRandomValues()) === "TypeMismatchError: typedArray parameter isn't a TypedArray instance",
            'GoError': () => errName(() => crypto.getRandomValues(5)) === 'GoError',
            'randomUUID is v4': () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()) &&
              crypto.randomUUID() !== crypto.randomUUID(),
          });
        }
    )",
                           8);
}

TEST(WebCrypto, PropertiesAreLaidOutAsK6s) {
    expect_all_checks_pass(std::string(kErrHelper) + R"(
        import { check } from 'k6';
        export default function () {
          // Built on first use (an accessor until then), then a plain data property as in k6.
          const lazy = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
          void crypto.subtle;
          const g = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
          const m = Object.getOwnPropertyDescriptor(crypto, 'getRandomValues');
          check(null, {
            'global is writable, enumerable, configurable': () => g.writable && g.enumerable && g.configurable,
            'lazy until first use': () => typeof lazy.get === 'function' && lazy.configurable,
            'members': () => Object.keys(crypto).join() === 'getRandomValues,randomUUID,subtle,CryptoKey',
            'members are read-only': () => !m.writable && m.enumerable && !m.configurable &&
              err(() => { 'use strict'; crypto.randomUUID = 1; }) === "Cannot assign to read only property 'randomUUID'",
            'subtle methods': () => Object.keys(crypto.subtle).join() ===
              'decrypt,deriveBits,deriveKey,digest,encrypt,exportKey,generateKey,importKey,sign,unwrapKey,verify,wrapKey',
            'CryptoKey': () => JSON.stringify(crypto.CryptoKey) === '{"type":"","extractable":false,"algorithm":null,"usages":[]}',
            'no TextEncoder in k6 v1.6.1': () => typeof TextEncoder === 'undefined' && typeof TextDecoder === 'undefined',
          });
        }
    )",
                           7);
}

TEST(WebCrypto, GlobalCanBeReplacedBeforeFirstUse) {
    expect_all_checks_pass(R"(
        import { check } from 'k6';
        globalThis.crypto = 'mine';
        export default function () {
          check(null, { 'replaced': () => crypto === 'mine' &&
            Object.getOwnPropertyDescriptor(globalThis, 'crypto').writable });
        }
    )",
                           1);
}

TEST(WebCrypto, ExperimentalModuleIsRemoved) {
    auto run = run_js(R"(
        import { crypto } from 'k6/experimental/webcrypto';
        export default function () {}
    )");
    EXPECT_NE(run.error.find("k6/experimental/webcrypto has been graduated and it's now globally "
                             "available as defined by standard WebAPIs. You just need to remove "
                             "the import."),
              std::string::npos)
        << run.error;
}

} // namespace
} // namespace volley::test
