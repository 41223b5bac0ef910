// k6/encoding in a real VU: RFC 4648 vectors in the four alphabets, Go's decoder (newlines
// skipped, padding rules, error offsets), inputs and outputs as k6 gives them.

#include "crypto_checks.hpp"

namespace volley::test {
namespace {

TEST(EncodingModule, Rfc4648VectorsRoundTrip) {
    expect_all_checks_pass(R"(
        import { check } from 'k6';
        import { b64encode, b64decode } from 'k6/encoding';
        const vectors = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='],
                         ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
        export default function () {
          const checks = {};
          for (const [plain, enc] of vectors) {
            const raw = enc.replace(/=/g, '');
            checks['std ' + plain] = () => b64encode(plain) === enc && b64decode(enc, 'std', 's') === plain;
            checks['rawstd ' + plain] = () => b64encode(plain, 'rawstd') === raw && b64decode(raw, 'rawstd', 's') === plain;
            checks['url ' + plain] = () => b64encode(plain, 'url') === enc && b64decode(enc, 'url', 's') === plain;
            checks['rawurl ' + plain] = () => b64encode(plain, 'rawurl') === raw && b64decode(raw, 'rawurl', 's') === plain;
          }
          check(null, checks);
        }
    )",
                           28);
}

TEST(EncodingModule, GoDecoderRulesAndErrors) {
    expect_all_checks_pass(std::string(kErrHelper) + R"(
        import { check } from 'k6';
        import { b64encode, b64decode } from 'k6/encoding';
        const bytes = (ab) => Array.from(new Uint8Array(ab)).join(',');
        export default function () {
          check(null, {
            'alphabets': () => b64encode(new Uint8Array([0xfb, 0xff]), 'std') === '+/8=' &&
              b64encode(new Uint8Array([0xfb, 0xff]).buffer, 'rawurl') === '-_8',
            'newlines are skipped': () => b64decode('YW\nJj', 'std', 's') === 'abc' && b64decode('YW\r\nJj\n', 'std', 's') === 'abc' &&
              b64decode('YQ=\n=', 'std', 's') === 'a',
            'non-zero trailing bits are accepted': () => b64decode('YR==', 'std', 's') === 'a' && b64decode('YR', 'rawstd', 's') === 'a',
            'empty and nullish input': () => b64decode('', 'std', 's') === '' && b64decode(null, 'std', 's') === '' &&
              b64decode(undefined).byteLength === 0,
            'ArrayBuffer by default': () => bytes(b64decode('AP/+')) === '0,255,254',
            'missing padding': () => err(() => b64decode('YQ', 'std')) === 'illegal base64 data at input byte 0' &&
              err(() => b64decode('YWJjYQ', 'url')) === 'illegal base64 data at input byte 4' &&
              err(() => b64decode('YQ=', 'std')) === 'illegal base64 data at input byte 3',
            'bad symbols': () => err(() => b64decode('YW Jj', 'std')) === 'illegal base64 data at input byte 2' &&
              err(() => b64decode('YQ=x', 'std')) === 'illegal base64 data at input byte 2' &&
              err(() => b64decode('=YWJ', 'std')) === 'illegal base64 data at input byte 0' &&
              err(() => b64decode('é', 'std')) === 'illegal base64 data at input byte 0',
            'padding where there is none': () => err(() => b64decode('YQ==', 'rawstd')) === 'illegal base64 data at input byte 2' &&
              err(() => b64decode('Y', 'rawurl')) === 'illegal base64 data at input byte 0',
            'trailing garbage after padding': () => err(() => b64decode('YQ==YQ==', 'std')) === 'illegal base64 data at input byte 4',
            'inputs are Go strings': () => err(() => b64decode(5, 'std', 's')) === 'illegal base64 data at input byte 0' &&
              err(() => b64decode(new ArrayBuffer(1), 'std', 's')) === 'illegal base64 data at input byte 0',
            'encode input types': () => err(() => b64encode(5)) === 'invalid type int64, expected string, []byte or ArrayBuffer' &&
              err(() => b64encode()) === 'invalid type <nil>, expected string, []byte or ArrayBuffer',
            'invalid UTF-8 becomes U+FFFD per byte': () => b64decode('/+4=', 'std', 's') === '\ufffd\ufffd',
          });
        }
    )",
                           12);
}

} // namespace
} // namespace volley::test
