// crypto.subtle in a real VU: digest (FIPS 180 vectors), HMAC keys (import raw/jwk, generate,
// export raw/jwk), sign/verify against RFC 4231, and k6's rejections, name and message.

#include "crypto_checks.hpp"

namespace volley::test {
namespace {

// `results` collects [name, ok] pairs from async steps; the checks run at the end.
const char* kAsyncPrelude = R"(
import { check } from 'k6';
const hex = (ab) => Array.from(new Uint8Array(ab)).map((x) => x.toString(16).padStart(2, '0')).join('');
const enc = (s) => new Uint8Array(Array.from(s).map((c) => c.charCodeAt(0)));
async function rejection(p) {
  try { await p; return 'no error'; } catch (e) { return e.name + ': ' + e.message + ' | ' + String(e); }
}
)";

TEST(SubtleCrypto, Digest) {
    expect_all_checks_pass(std::string(kAsyncPrelude) + R"(
        export default async function () {
          const s = crypto.subtle;
          const abc = enc('abc');
          const r = {
            'SHA-1': hex(await s.digest('SHA-1', abc)) === 'a9993e364706816aba3e25717850c26c9cd0d89d',
            'SHA-256 by object, lower case': hex(await s.digest({ name: 'sha-256' }, abc.buffer)) ===
              'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
            'SHA-384': hex(await s.digest('SHA-384', abc)).startsWith('cb00753f45a35e8b'),
            'SHA-512': hex(await s.digest('SHA-512', abc)).startsWith('ddaf35a193617aba'),
            'a typed array gives its whole buffer (k6)': hex(await s.digest('SHA-1', enc('xabc').subarray(1))) ===
              hex(await s.digest('SHA-1', enc('xabc'))),
            'returns a promise': s.digest('SHA-1', abc) instanceof Promise,
            'unknown algorithm': await rejection(s.digest('MD5', abc)) ===
              'NotSupportedError: algorithm "MD5" doesn\'t support (in implementation) operation "digest" | NotSupportedError: algorithm "MD5" doesn\'t support (in implementation) operation "digest"',
            'not a buffer': (await rejection(s.digest('SHA-1', 'abc'))).startsWith('GoError: data must be an ArrayBuffer, TypedArray, or DataView'),
            'a DataView fails in the copy (k6)': (await rejection(s.digest('SHA-1', new DataView(abc.buffer)))).startsWith(
              'OperationError: data is neither an ArrayBuffer, nor a TypedArray nor DataView'),
            'bad algorithm value': (await rejection(s.digest(5, abc))).startsWith('SyntaxError: algorithm cannot be interpreted as a string or an object'),
          };
          check(null, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, () => v])));
        }
    )",
                           10);
}

TEST(SubtleCrypto, HmacKeysSignAndVerify) {
    expect_all_checks_pass(std::string(kAsyncPrelude) + R"(
        export default async function () {
          const s = crypto.subtle;
          const keyBytes = new Uint8Array(20).fill(0x0b);
          const key = await s.importKey('raw', keyBytes, { name: 'HMAC', hash: { name: 'SHA-256' } }, true, ['sign', 'verify']);
          const sig = await s.sign('HMAC', key, enc('Hi There'));
          const jwk = await s.exportKey('jwk', key);
          const fromJwk = await s.importKey('jwk', jwk, { name: 'hmac', hash: 'SHA-256' }, false, ['verify']);
          const gen = await s.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign']);
          const gen100 = await s.generateKey({ name: 'HMAC', hash: 'SHA-1', length: 100 }, true, ['sign']);
          const r = {
            'RFC 4231 case 1': hex(sig) === 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
            'verify': await s.verify('HMAC', key, sig, enc('Hi There')) === true &&
              await s.verify({ name: 'HMAC' }, fromJwk, sig, enc('Hi There')) === true,
            'verify a wrong signature': await s.verify('HMAC', key, sig, enc('Hi there')) === false,
            'key fields': key.type === 'secret' && key.extractable === true && key.algorithm.name === 'HMAC' &&
              key.algorithm.hash.name === 'SHA-256' && key.algorithm.length === 160 && key.usages.join() === 'sign,verify' &&
              Object.keys(key).join() === 'type,extractable,algorithm,usages',
            'export raw': hex(await s.exportKey('raw', key)) === hex(keyBytes),
            'export jwk': jwk.kty === 'oct' && jwk.k === 'CwsLCwsLCwsLCwsLCwsLCwsLCws' && jwk.alg === 'HS256' &&
              jwk.ext === true && jwk.key_ops.join() === 'sign,verify',
            'generated keys': gen.algorithm.length === 1024 && (await s.exportKey('raw', gen)).byteLength === 128 &&
              gen100.algorithm.length === 100 && (await s.exportKey('raw', gen100)).byteLength === 12,
            'not extractable': await rejection(s.exportKey('raw', fromJwk)) === 'InvalidAccessError: the key is not extractable | InvalidAccessError: the key is not extractable',
            'missing usage': (await rejection(s.sign('HMAC', fromJwk, enc('x')))).startsWith("InvalidAccessError: key does not contain the 'sign' usage"),
            'bad usage': (await rejection(s.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-1' }, true, ['encrypt']))).startsWith('SyntaxError: invalid key usage: encrypt'),
            'no usages': (await rejection(s.generateKey({ name: 'HMAC', hash: 'SHA-1' }, true, []))).startsWith(
              'SyntaxError: usages cannot not be empty for a secret or private CryptoKey'),
            'no hash': (await rejection(s.importKey('raw', keyBytes, { name: 'HMAC' }, true, ['sign']))).startsWith(
              'SyntaxError: could not get hash from algorithm parameter'),
            'empty key': (await rejection(s.importKey('raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']))).startsWith(
              'DataError: key length cannot be 0'),
            'length mismatch': (await rejection(s.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-1', length: 8 }, true, ['sign']))).startsWith(
              'DataError: key length cannot be different from the length of the imported data'),
            'bad format': (await rejection(s.importKey('foo', keyBytes, { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']))).startsWith(
              'ImplementationError: unsupported format foo') &&
              (await rejection(s.importKey('spki', keyBytes, { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']))).startsWith(
              'NotSupportedError: unsupported key format spki') &&
              (await rejection(s.exportKey('spki', key))).startsWith('NotSupportedError: unsupported key format spki'),
            'bad jwk': (await rejection(s.importKey('jwk', { kty: 'EC' }, { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']))).startsWith(
              'DataError: invalid symmetric JWK: invalid key type: EC') &&
              (await rejection(s.importKey('jwk', { kty: 'oct' }, { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']))).startsWith(
              'DataError: invalid symmetric JWK: key (k) is required') &&
              (await rejection(s.importKey('jwk', { kty: 'oct', k: '!!' }, { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']))).startsWith(
              'DataError: failed to decode symmetric key: illegal base64 data at input byte 0'),
            'not a key': (await rejection(s.sign('HMAC', 'x', enc('x')))).startsWith('InvalidAccessError: key argument does hold not a valid CryptoKey object') &&
              (await rejection(s.sign('HMAC', {}, enc('x')))).startsWith('TypeError: field algorithm is null or undefined'),
            'length 0': (await rejection(s.generateKey({ name: 'HMAC', hash: 'SHA-1', length: 0 }, true, ['sign']))).startsWith(
              "OperationError: algorithm's length cannot be 0"),
            'generateKey of a hash': (await rejection(s.generateKey({ name: 'SHA-256' }, true, ['sign']))).startsWith(
              "NotImplemented: unsupported key generation algorithm 'SHA-256'"),
            'ECDSA without hash': (await rejection(s.sign('ECDSA', key, enc('x')))).startsWith('SyntaxError: could not get hash from algorithm parameter'),
          };
          check(null, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, () => v])));
        }
    )",
                           20);
}

} // namespace
} // namespace volley::test
