// k6/crypto in a real VU: digests against RFC 1320/1321, FIPS 180 and RIPEMD-160 vectors, HMAC
// against RFC 2202 and RFC 4231, k6's own test vectors, output encodings, inputs, the streaming
// Hasher, randomBytes, hexEncode, and every error k6 gives.

#include "crypto_checks.hpp"

namespace volley::test {
namespace {

TEST(CryptoModule, DigestsMatchTheStandardVectors) {
    expect_all_checks_pass(R"(
        import { check } from 'k6';
        import crypto from 'k6/crypto';
        const abq = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
        export default function () {
          check(null, {
            'md4 RFC 1320': () => crypto.md4('', 'hex') === '31d6cfe0d16ae931b73c59d7e0c089c0' &&
              crypto.md4('a', 'hex') === 'bde52cb31de33e46245e05fbdbd6fb24' &&
              crypto.md4('message digest', 'hex') === 'd9130a8164549fe818874806e1c7014b' &&
              crypto.md4('hello world', 'hex') === 'aa010fbc1d14c795d86ef98c95479d17',
            'md5 RFC 1321': () => crypto.md5('', 'hex') === 'd41d8cd98f00b204e9800998ecf8427e' &&
              crypto.md5('message digest', 'hex') === 'f96b697d7cb7938d525a2f31aaf161d0' &&
              crypto.md5('abcdefghijklmnopqrstuvwxyz', 'hex') === 'c3fcd3d76192e4007dfb496cca67e13b',
            'sha1 FIPS 180': () => crypto.sha1(abq, 'hex') === '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
            'sha256 FIPS 180': () => crypto.sha256(abq, 'hex') === '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
            'sha384': () => crypto.sha384('abc', 'hex') === 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
            'sha512_224 and sha512_256': () => crypto.sha512_224('abc', 'hex') === '4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa' &&
              crypto.sha512_256('abc', 'hex') === '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23',
            'ripemd160': () => crypto.ripemd160('', 'hex') === '9c1185a5c5e9fc54612808977ee8f548b2258d31' &&
              crypto.ripemd160('message digest', 'hex') === '5d0689ef49d2fae572b881b123a85ffa21595f36',
          });
        }
    )",
                           7);
}

TEST(CryptoModule, HmacMatchesRfc2202Rfc4231AndK6Vectors) {
    expect_all_checks_pass(R"(
        import { check } from 'k6';
        import crypto from 'k6/crypto';
        const k6Vectors = {
          md4: '92d8f5c302cf04cca0144d7a9feb1596', md5: 'e04f2ec05c8b12e19e46936b171c9d03',
          sha1: 'c113b62711ff5d8e8100bbb17b998591af81dc24',
          sha256: '7fd04df92f636fd450bc841c9418e5825c17f33ad9c87c518115a45971f7f77e',
          sha384: 'd331e169e2dcfc742e80a3bf4dcc76d0e6425ab3777a3ac217ac6b2552aad5529ed4d40135b06e53a495ac7425d1e462',
          sha512_224: 'bac4e6256bdbf81d029aec48af4fdd4b14001db6721f07c429a80817',
          sha512_256: 'e3d0763ba92a4f40676c3d5b234d9842b71951e6e0767082cfb3f5e14c124b22',
          sha512: 'cd3146f96a3005024108ff56b025517552435589a4c218411f165da0a368b6f47228b20a1a4bf081e4aae6f07e2790f27194fc77f0addc890e98ce1951cacc9f',
          ripemd160: '00bb4ce0d6afd4c7424c9d01b8a6caa3e749b08b',
        };
        function bytes(n, v) { return new Uint8Array(n).fill(v).buffer; }
        export default function () {
          const big = 'Test Using Larger Than Block-Size Key - Hash Key First';
          const checks = {
            'RFC 2202 HMAC-MD5 1': () => crypto.hmac('md5', bytes(16, 0x0b), 'Hi There', 'hex') === '9294727a3638bb1c13f48ef8158bfc9d',
            'RFC 2202 HMAC-MD5 2': () => crypto.hmac('md5', 'Jefe', 'what do ya want for nothing?', 'hex') === '750c783e6ab0b503eaa86e310a5db738',
            'RFC 2202 HMAC-MD5 6 (long key)': () => crypto.hmac('md5', bytes(80, 0xaa), big, 'hex') === '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd',
            'RFC 2202 HMAC-SHA1 2': () => crypto.hmac('sha1', 'Jefe', 'what do ya want for nothing?', 'hex') === 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
            'RFC 4231 1 sha256': () => crypto.hmac('sha256', bytes(20, 0x0b), 'Hi There', 'hex') === 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
            'RFC 4231 1 sha512': () => crypto.hmac('sha512', bytes(20, 0x0b), 'Hi There', 'hex') === '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
            'RFC 4231 2 sha256': () => crypto.hmac('sha256', 'Jefe', 'what do ya want for nothing?', 'hex') === '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
            'RFC 4231 6 sha256 (long key)': () => crypto.hmac('sha256', bytes(131, 0xaa), big, 'hex') === '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
          };
          for (const alg in k6Vectors) {
            checks['k6 hmac ' + alg] = () => crypto.hmac(alg, 'a secret', 'some data to hash', 'hex') === k6Vectors[alg];
            checks['k6 createHMAC ' + alg] = () => {
              const h = crypto.createHMAC(alg, 'a secret');
              h.update('some data '); h.update('to hash');
              return h.digest('hex') === k6Vectors[alg];
            };
          }
          check(null, checks);
        }
    )",
                           26);
}

TEST(CryptoModule, OutputEncodingsAndInputs) {
    expect_all_checks_pass(R"(
        import { check } from 'k6';
        import crypto from 'k6/crypto';
        export default function () {
          check(null, {
            'base64': () => crypto.md5('hello world', 'base64') === 'XrY7u+Ae7tCTyyK7j1rNww==',
            'base64url': () => crypto.md5('hello world', 'base64url') === 'XrY7u-Ae7tCTyyK7j1rNww==',
            'base64rawurl': () => crypto.md5('hello world', 'base64rawurl') === 'XrY7u-Ae7tCTyyK7j1rNww',
            'binary': () => { const b = crypto.md5('hello world', 'binary');
              return b instanceof ArrayBuffer && crypto.hexEncode(b) === '5eb63bbbe01eeed093cb22bb8f5acdc3'; },
            'a Uint8Array hashes its view only': () =>
              crypto.sha256(new Uint8Array([120, 97, 98, 99, 120]).subarray(1, 4), 'hex') === crypto.sha256('abc', 'hex'),
            'Uint8ClampedArray': () => crypto.md5(new Uint8ClampedArray([97, 98, 99]), 'hex') === '900150983cd24fb0d6963f7d28e17f72',
            'UTF-8 strings': () => crypto.md5('\u00e9', 'hex') === crypto.md5(new Uint8Array([0xc3, 0xa9]), 'hex'),
            'digest does not reset the hasher': () => {
              const h = crypto.createHash('md5'); h.update('a');
              const first = h.digest('hex'); h.update('b');
              return first === '0cc175b9c0f1b6a831c399e269772661' && h.digest('hex') === '187ef4436122d1cc2f40dc2b92f0eba0';
            },
            'Hasher has own update and digest': () =>
              Object.keys(crypto.createHash('sha1')).join() === 'digest,update' && crypto.createHash('sha1').update('x') === undefined,
            'AWS signature chain (k6 test)': () => {
              const H = (data, key) => crypto.hmac('sha256', key, data, 'binary');
              const kDate = H('20120215', 'AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
              const kSigning = H('aws4_request', H('iam', H('us-east-1', kDate)));
              return crypto.hexEncode(kDate) === '969fbb94feb542b71ede6f87fe4d5fa29c789342b0f407474670f0c2489e0a0d' &&
                crypto.hexEncode(kSigning) === 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d';
            },
            'hexEncode': () => crypto.hexEncode('abc') === '616263' && crypto.hexEncode(new Uint8Array([1, 255])) === '01ff',
            'randomBytes': () => { const b = crypto.randomBytes(33.9);
              return b instanceof ArrayBuffer && b.byteLength === 33 && crypto.randomBytes('2').byteLength === 2; },
            'randomBytes differ': () => crypto.hexEncode(crypto.randomBytes(16)) !== crypto.hexEncode(crypto.randomBytes(16)),
          });
        }
    )",
                           13);
}

TEST(CryptoModule, ErrorsAreK6s) {
    expect_all_checks_pass(std::string(kErrHelper) + R"(
        import { check } from 'k6';
        import crypto from 'k6/crypto';
        const tail = ', expected string, []byte or ArrayBuffer';
        export default function () {
          check(null, {
            'GoError': () => errName(() => crypto.md5('a', 'x')) === 'GoError',
            'invalid output encoding': () => err(() => crypto.md5('a', 'x')) === 'invalid output encoding: x' &&
              err(() => crypto.md5('a')) === 'invalid output encoding: ' &&
              err(() => crypto.hmac('sha1', 'k', 'd', 5)) === 'invalid output encoding: 5' &&
              err(() => crypto.createHash('md5').digest('HEX')) === 'invalid output encoding: HEX',
            'digest input types': () => err(() => crypto.sha1(5, 'hex')) === 'sha1 failed: invalid type int64' + tail &&
              err(() => crypto.sha1(1.5, 'hex')) === 'sha1 failed: invalid type float64' + tail &&
              err(() => crypto.sha1(null, 'hex')) === 'sha1 failed: invalid type <nil>' + tail &&
              err(() => crypto.sha1(undefined, 'hex')) === 'sha1 failed: invalid type <nil>' + tail &&
              err(() => crypto.sha1(true, 'hex')) === 'sha1 failed: invalid type bool' + tail &&
              err(() => crypto.sha1({}, 'hex')) === 'sha1 failed: invalid type map[string]interface {}' + tail &&
              err(() => crypto.sha1([1], 'hex')) === 'sha1 failed: invalid type []interface {}' + tail,
            'typed arrays other than bytes': () => err(() => crypto.md5(new Uint16Array(1), 'hex')) === 'md5 failed: invalid type []uint16' + tail &&
              err(() => crypto.md5(new Int8Array(1), 'hex')) === 'md5 failed: invalid type []int8' + tail &&
              err(() => crypto.md5(new Float64Array(1), 'hex')) === 'md5 failed: invalid type []float64' + tail &&
              err(() => crypto.md5(new DataView(new ArrayBuffer(1)), 'hex')) === 'md5 failed: invalid type map[string]interface {}' + tail,
            'other values': () => err(() => crypto.md5(() => 1, 'hex')) === 'md5 failed: invalid type func(sobek.FunctionCall) sobek.Value' + tail &&
              err(() => crypto.md5(5n, 'hex')) === 'md5 failed: invalid type *big.Int' + tail &&
              err(() => crypto.md5(new Date(0), 'hex')) === 'md5 failed: invalid type time.Time' + tail,
            'a symbol is its description': () => crypto.md5(Symbol('x'), 'hex') === crypto.md5('x', 'hex'),
            'hmac errors have no prefix': () => err(() => crypto.hmac('sha1', 5, 'd', 'hex')) === 'invalid type int64' + tail &&
              err(() => crypto.hmac('sha1', 'k', null, 'hex')) === 'invalid type <nil>' + tail,
            'update errors': () => err(() => crypto.createHash('md5').update(5)) === 'invalid type int64' + tail,
            'invalid algorithm': () => err(() => crypto.hmac('sha3', 'k', 'd', 'hex')) === 'invalid algorithm: sha3' &&
              err(() => crypto.createHMAC('SHA256', 'k')) === 'invalid algorithm: SHA256' &&
              err(() => crypto.createHash('nope')) === 'invalid algorithm: nope',
            'randomBytes size': () => err(() => crypto.randomBytes(0)) === 'invalid size' &&
              err(() => crypto.randomBytes(-1)) === 'invalid size' && err(() => crypto.randomBytes()) === 'invalid size' &&
              err(() => crypto.randomBytes('x')) === 'invalid size' && err(() => crypto.randomBytes(0.5)) === 'invalid size',
            'hexEncode type': () => err(() => crypto.hexEncode(5)) === 'invalid type int64' + tail,
          });
        }
    )",
                           11);
}

TEST(CryptoModule, NamespaceHasNamedExportsOnly) {
    expect_all_checks_pass(R"(
        import { check } from 'k6';
        import * as ns from 'k6/crypto';
        import def, { sha1 } from 'k6/crypto';
        export default function () {
          check(null, {
            'names': () => JSON.stringify(Object.keys(ns)) === JSON.stringify(['createHMAC', 'createHash', 'hexEncode', 'hmac',
              'md4', 'md5', 'randomBytes', 'ripemd160', 'sha1', 'sha256', 'sha384', 'sha512', 'sha512_224', 'sha512_256']),
            'no default in the namespace': () => !('default' in ns) && ns.default === undefined,
            'default import has the same functions': () => def.sha1 === sha1 && Object.keys(def).length === 14,
          });
        }
    )",
                           3);
}

} // namespace
} // namespace volley::test
