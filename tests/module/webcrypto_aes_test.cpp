// crypto.subtle AES in a real VU: NIST SP 800-38A (CBC, CTR) and the GCM specification's vectors,
// round trips, key import/export/generation, and k6's rejections (names and texts as k6 v1.6.1
// gives them).

#include "crypto_checks.hpp"

namespace volley::test {
namespace {

const char* kPrelude = R"(
import { check } from 'k6';
const hex = (ab) => Array.from(new Uint8Array(ab)).map((x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h) => new Uint8Array(h.match(/../g).map((b) => parseInt(b, 16)));
async function rejection(p) {
  try { await p; return 'no error'; } catch (e) { return e.name + ': ' + e.message; }
}
const s = crypto.subtle;
const nistKey = unhex('2b7e151628aed2a6abf7158809cf4f3c');
const block1 = unhex('6bc1bee22e409f96e93d7e117393172a');
function report(r) { check(null, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, () => v]))); }
)";

TEST(SubtleAes, NistVectorsAndRoundTrips) {
    expect_all_checks_pass(std::string(kPrelude) + R"(
        export default async function () {
          const cbc = await s.importKey('raw', nistKey, 'AES-CBC', true, ['encrypt', 'decrypt']);
          const iv = unhex('000102030405060708090a0b0c0d0e0f');
          const cbcOut = await s.encrypt({ name: 'AES-CBC', iv }, cbc, block1);
          const ctr = await s.importKey('raw', nistKey, { name: 'aes-ctr' }, false, ['encrypt', 'decrypt']);
          const counter = unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
          const ctrOut = await s.encrypt({ name: 'AES-CTR', counter, length: 64 }, ctr, block1);
          const gcm = await s.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt', 'decrypt']);
          const gcmOut = await s.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, gcm, new Uint8Array(16));
          const aad = { name: 'AES-GCM', iv: new Uint8Array(12).fill(7), additionalData: unhex('feedface'), tagLength: 96 };
          const sealed = await s.encrypt(aad, gcm, unhex('0102030405'));
          const tampered = new Uint8Array(sealed.slice(0)); tampered[0] ^= 1;
          report({
            'CBC: SP 800-38A F.2.1 first block, then a block of padding': hex(cbcOut).startsWith('7649abac8119b246cee98e9b12e9197d') && cbcOut.byteLength === 32,
            'CBC round trip': hex(await s.decrypt({ name: 'AES-CBC', iv }, cbc, cbcOut)) === hex(block1),
            'CTR: SP 800-38A F.5.1': hex(ctrOut) === '874d6191b620e3261bef6864990db6ce',
            'CTR round trip': hex(await s.decrypt({ name: 'AES-CTR', counter, length: 64 }, ctr, ctrOut)) === hex(block1),
            'GCM: test case 2 (ciphertext and tag)': hex(gcmOut) === '0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf',
            'GCM with additional data and a 96-bit tag': sealed.byteLength === 5 + 12 &&
              hex(await s.decrypt(aad, gcm, sealed)) === '0102030405',
            'GCM refuses a tampered ciphertext': await rejection(s.decrypt(aad, gcm, tampered)) === 'OperationError: could not decrypt ciphertext',
            'GCM refuses the wrong additional data': await rejection(s.decrypt({ ...aad, additionalData: unhex('00') }, gcm, sealed)) === 'OperationError: could not decrypt ciphertext',
            'CBC refuses bad padding': await rejection(s.decrypt({ name: 'AES-CBC', iv }, cbc, cbcOut.slice(0, 16))) === 'OperationError: invalid padding',
          });
        }
    )",
                           9);
}

TEST(SubtleAes, KeysAsK6LaysThemOut) {
    expect_all_checks_pass(std::string(kPrelude) + R"(
        export default async function () {
          const g = await s.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
          const raw = await s.exportKey('raw', g);
          const k = await s.importKey('raw', new Uint8Array(16).fill(1), 'AES-CBC', true, ['encrypt']);
          const jwk = await s.exportKey('jwk', k);
          const back = await s.importKey('jwk', jwk, 'AES-CBC', true, ['encrypt']);
          report({
            'generated key': JSON.stringify(g) === '{"type":"secret","extractable":true,"algorithm":{"algorithm":{"name":"AES-GCM"},"name":"AES-GCM","length":256},"usages":["encrypt","decrypt"]}',
            'raw export is the key': raw.byteLength === 32,
            'jwk export': jwk.kty === 'oct' && jwk.alg === 'A128CBC' && jwk.k === 'AQEBAQEBAQEBAQEBAQEBAQ' && jwk.ext === true && jwk.key_ops.join() === 'encrypt',
            'jwk import': JSON.stringify(back.algorithm) === JSON.stringify(k.algorithm),
            'AES-KW keys are generated': (await s.generateKey({ name: 'AES-KW', length: 128 }, true, ['wrapKey'])).algorithm.name === 'AES-KW',
          });
        }
    )",
                           5);
}

TEST(SubtleAes, RejectionsAsK6) {
    expect_all_checks_pass(std::string(kPrelude) + R"(
        export default async function () {
          const gcm = await s.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt', 'decrypt']);
          const cbc = await s.importKey('raw', nistKey, 'AES-CBC', true, ['encrypt']);
          const iv = new Uint8Array(16);
          report({
            'generate: usage': await rejection(s.generateKey({ name: 'AES-CBC', length: 128 }, true, ['sign'])) === 'SyntaxError: invalid key usage',
            'generate: AES-KW cannot encrypt': await rejection(s.generateKey({ name: 'AES-KW', length: 128 }, true, ['encrypt'])) === 'SyntaxError: invalid key usage',
            'generate: length': await rejection(s.generateKey({ name: 'AES-GCM', length: 100 }, true, ['encrypt'])) === 'OperationError: invalid key length',
            'generate: no length': await rejection(s.generateKey({ name: 'AES-GCM' }, true, ['encrypt'])) === 'SyntaxError: could not get length from algorithm parameter',
            'import: length': await rejection(s.importKey('raw', new Uint8Array(10), 'AES-CBC', true, ['encrypt'])) === 'DataError: invalid key length 10 bytes',
            'import: usage': await rejection(s.importKey('raw', nistKey, 'AES-CBC', true, ['sign'])) === 'SyntaxError: invalid key usage: sign',
            'import: format': await rejection(s.importKey('spki', nistKey, 'AES-CBC', true, ['encrypt'])) === 'NotSupportedError: unsupported key format spki',
            'GCM: iv length': await rejection(s.encrypt({ name: 'AES-GCM', iv: new Uint8Array(8) }, gcm, iv)) === 'NotSupportedError: only 12 bytes long iv are supported',
            'GCM: tag length': await rejection(s.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 64 }, gcm, iv)) === 'NotSupportedError: tag length 32 and 64 are not supported',
            'GCM: short ciphertext': await rejection(s.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, gcm, new Uint8Array(8))) === 'OperationError: ciphertext is too short',
            'algorithm and key differ': await rejection(s.encrypt({ name: 'AES-CBC', iv }, gcm, iv)) === "InvalidAccessError: encrypt's algorithm name does not match key algorithm name",
            'usage missing': await rejection(s.decrypt({ name: 'AES-CBC', iv }, cbc, iv)) === "InvalidAccessError: decrypt's key does not contain the 'decrypt' usage",
            'not a key': await rejection(s.encrypt({ name: 'AES-CBC', iv }, {}, iv)) === "InvalidAccessError: encrypt's key argument does hold not a valid CryptoKey object",
            'CBC: iv length': await rejection(s.encrypt({ name: 'AES-CBC', iv: new Uint8Array(3) }, cbc, iv)) === 'OperationError: iv length is not 16 bytes',
            'CBC: empty plaintext': await rejection(s.encrypt({ name: 'AES-CBC', iv }, cbc, new Uint8Array(0))) === 'OperationError: could not pad plaintext',
            'CTR: counter length': await rejection(s.encrypt({ name: 'AES-CTR', counter: iv, length: 0 }, await s.importKey('raw', nistKey, 'AES-CTR', false, ['encrypt']), iv)) === 'OperationError: invalid counter length, out of the 0 < x < 128 bounds',
          });
        }
    )",
                           16);
}

} // namespace
} // namespace volley::test
