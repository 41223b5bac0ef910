// k6/data's SharedArray (k6's internal/js/modules/k6/data: data.go, share.go and their tests):
// built once per test by the first runtime that constructs the name, shared read-only by every
// VU, elements re-parsed from JSON and deeply frozen at every read, k6's errors and TypeErrors.
// Each expectation was checked against k6 v1.6.1.

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {
namespace {

using exec::IterationResult;

// Runs `script` (which imports what it needs) in `vus` VUs; every check must pass, and at
// least one must run per VU.
void expect_checks_pass(const std::string& script, int vus = 1) {
    JsOptions opts;
    opts.vus = vus;
    auto run = run_js(script, opts);
    ASSERT_EQ(run.error, "");
    EXPECT_EQ(run.results, std::vector<IterationResult>(static_cast<std::size_t>(vus),
                                                        IterationResult::kCompleted));
    auto checks = only(run.samples, "checks");
    ASSERT_GE(checks.size(), static_cast<std::size_t>(vus));
    for (const auto& c : checks) {
        EXPECT_EQ(c.value, 1) << c.tags.at("check");
    }
}

// The function runs once per test: in the init-only runtime (__VU 0), never again in a VU.
TEST(SharedArray, BuiltOnceByTheFirstRuntimeAndSharedByEveryVu) {
    expect_checks_pass(R"(
        import { check } from 'k6';
        import { SharedArray } from 'k6/data';
        let calls = 0;
        const a = new SharedArray('vus', () => { calls++; return [{ vu: __VU }, 'x']; });
        const b = new SharedArray('vus', () => { calls++; return [1, 2, 3]; });
        export default function () {
            check(null, {
                'no VU called a function': () => calls === 0,
                'built by the init runtime': () => a[0].vu === 0 && a.length === 2,
                'same name, same data': () => b.length === 2 && b[1] === 'x',
            });
        }
    )",
                       3);
}

// A name first constructed by a VU (not by the init-only runtime) is built by that VU only
// (VU 1 here, where VUs start one after another; any VU in k6).
TEST(SharedArray, ANameFirstUsedInAVuIsBuiltByThatVu) {
    expect_checks_pass(R"(
        import { check } from 'k6';
        import { SharedArray } from 'k6/data';
        const a = __VU === 0 ? null : new SharedArray('late', () => [__VU]);
        export default function () {
            check(null, { 'a VU built it': () => a[0] >= 1 && a[0] <= 3 && a.length === 1 });
        }
    )",
                       3);
}

TEST(SharedArray, ReadsLikeAnArray) {
    expect_checks_pass(R"(
        import { check } from 'k6';
        import { SharedArray } from 'k6/data';
        const a = new SharedArray('read', () => [{ name: 'ann', tags: ['a'] }, { name: 'bob', tags: [] }, 7]);
        export default function () {
            const seen = [];
            for (const x of a) seen.push(typeof x === 'object' ? x.name : x);
            check(null, {
                'length and index': () => a.length === 3 && a[0].name === 'ann' && a[2] === 7,
                'out of range': () => a[3] === undefined && a[-1] === undefined && a['01'] === undefined && a[1.5] === undefined,
                'is an array': () => Array.isArray(a) && a instanceof Array && Object.prototype.toString.call(a) === '[object Array]',
                'for..of': () => seen.join() === 'ann,bob,7',
                'spread and Array.from': () => [...a].length === 3 && Array.from(a)[1].name === 'bob',
                'methods': () => a.map((x) => typeof x).join() === 'object,object,number' &&
                    a.filter((x) => x.name).length === 2 && a.slice(2)[0] === 7 && a.indexOf(7) === 2 &&
                    a.at(-1) === 7 && a.find((x) => x.name === 'bob').tags.length === 0,
                'keys': () => Object.keys(a).join() === '0,1,2' && Reflect.ownKeys(a).join() === '0,1,2,length',
                'in': () => 0 in a && !(3 in a) && 'length' in a && 'map' in a && a.hasOwnProperty(2),
                'JSON': () => JSON.stringify(a) === '[{"name":"ann","tags":["a"]},{"name":"bob","tags":[]},7]',
                'fresh copies': () => a[0] !== a[0],
                'deeply frozen': () => Object.isFrozen(a[0]) && Object.isFrozen(a[0].tags),
                'not frozen itself': () => !Object.isFrozen(a) && Object.isExtensible(a),
                'descriptors': () => JSON.stringify(Object.getOwnPropertyDescriptor(a, 'length')) ===
                    '{"value":3,"writable":true,"enumerable":false,"configurable":false}' &&
                    Object.getOwnPropertyDescriptor(a, 2).configurable === true &&
                    Object.getOwnPropertyDescriptor(a, 'foo') === undefined,
            });
        }
    )");
}

TEST(SharedArray, WritesThrowK6sTypeErrors) {
    expect_checks_pass(R"(
        import { check } from 'k6';
        import { SharedArray } from 'k6/data';
        const a = new SharedArray('write', () => [{ x: 1, y: [1] }, 2]);
        function err(f) {
            try { f(); return 'no error'; } catch (e) { return (e instanceof TypeError ? 'TypeError: ' : 'other: ') + e.message; }
        }
        const immutable = 'TypeError: SharedArray is immutable';
        export default function () {
            check(null, {
                'index': () => err(() => { a[0] = 1; }) === immutable && err(() => { a[9] = 1; }) === immutable,
                'length': () => err(() => { a.length = 0; }) === immutable,
                'methods': () => [() => a.push(1), () => a.pop(), () => a.shift(), () => a.sort(),
                    () => a.reverse(), () => a.fill(0), () => a.splice(0, 1)].every((f) => err(f) === immutable),
                'delete': () => err(() => { delete a[0]; }) === immutable && delete a[5] && delete a.foo &&
                    err(() => { delete a.length; }) === 'TypeError: Cannot delete property "length" on a dynamic array',
                'other keys': () => err(() => { a.foo = 1; }) === 'TypeError: Cannot set property "foo" on a dynamic array' &&
                    err(() => { a[Symbol('s')] = 1; }) === 'TypeError: Dynamic objects do not support Symbol properties',
                'freeze': () => err(() => Object.freeze(a)) === 'TypeError: Cannot make a dynamic object non-extensible',
                'defineProperty': () => err(() => Object.defineProperty(a, 0, { value: 1 })) === immutable &&
                    err(() => Object.defineProperty(a, 'foo', { value: 1 })) === 'TypeError: Cannot define property "foo" on a dynamic array' &&
                    err(() => Object.defineProperty(a, 'foo', { get() {} })) === 'TypeError: Dynamic objects do not support accessor properties' &&
                    err(() => Object.defineProperty(a, 'foo', { value: 1, writable: false })) === 'TypeError: Dynamic object field "foo" cannot be made read-only',
                'elements': () => err(() => { a[0].x = 2; }).startsWith('TypeError: ') &&
                    err(() => { a[0].z = 2; }).startsWith('TypeError: ') && err(() => a[0].y.push(2)).startsWith('TypeError: '),
                'unchanged': () => a.length === 2 && a[0].x === 1 && a[0].y.length === 1 && a.foo === undefined,
                'inheriting object': () => { const o = Object.create(a); o[0] = 5; return o[0] === 5 && a[0].x === 1; },
            });
        }
    )");
}

TEST(SharedArray, ValuesGoThroughJson) {
    expect_checks_pass(R"(
        import { check } from 'k6';
        import { SharedArray } from 'k6/data';
        const a = new SharedArray('json', () => [{ d: new Date(0), f() {}, u: undefined, nan: NaN }, null, [1, [2]], undefined, { toJSON() { return 'J'; } }]);
        function err(f) { try { f(); return 'no error'; } catch (e) { return e.name + ': ' + e.message; } }
        export default function () {
            check(null, {
                'converted': () => JSON.stringify(a[0]) === '{"d":"1970-01-01T00:00:00.000Z","nan":null}' &&
                    a[1] === null && JSON.stringify(a[2]) === '[1,[2]]' && a[4] === 'J' && a.length === 5,
                'undefined cannot be read back': () => err(() => a[3]) === "SyntaxError: invalid character 'u' looking for beginning of value",
            });
        }
    )");
}

TEST(SharedArray, ConstructorErrors) {
    expect_checks_pass(R"(
        import { check } from 'k6';
        import { SharedArray } from 'k6/data';
        import data from 'k6/data';
        function err(f) { try { f(); return 'no error'; } catch (e) { return e.name + ': ' + e.message; } }
        const errors = [
            err(() => new SharedArray('', () => [1])),
            err(() => new SharedArray('e1', [1])),
            err(() => new SharedArray('e2')),
            err(() => new SharedArray('e3', () => ({ length: 1, 0: 'a' }))),
            err(() => new SharedArray('e4', () => 'abc')),
            err(() => new SharedArray('e5', () => null)),
            err(() => new SharedArray('e6', async () => [1])),
            err(() => new SharedArray('e7', async function () { return [1]; })),
            err(() => new SharedArray('e8', () => { throw new Error('boom'); })),
        ];
        // A failed build stores nothing: the next construction builds (in the init-only runtime;
        // the VUs then find the array).
        err(() => new SharedArray('retry', () => { throw new Error('x'); }));
        const retried = new SharedArray('retry', () => [1]);
        const plain = (() => { try { new SharedArray('e9', () => { throw 'plain'; }); } catch (e) { return e; } })();
        const called = SharedArray('nonew', () => [3]);
        const numbered = [new SharedArray(12, () => [1]), new SharedArray('12', () => [2])];
        export default function () {
            check(null, {
                'errors': () => JSON.stringify(errors) === JSON.stringify([
                    "GoError: empty name provided to SharedArray's constructor",
                    "GoError: a function is expected as the second argument of SharedArray's constructor",
                    "GoError: a function is expected as the second argument of SharedArray's constructor",
                    'GoError: only arrays can be made into SharedArray',
                    'GoError: only arrays can be made into SharedArray',
                    'TypeError: Cannot convert undefined or null to object',
                    'GoError: SharedArray constructor does not support async functions as second argument',
                    'GoError: SharedArray constructor does not support async functions as second argument',
                    'Error: boom',
                ]),
                'built after a failure': () => retried[0] === 1,
                'thrown values pass through': () => plain === 'plain',
                'callable without new': () => called[0] === 3 && called.length === 1,
                'names are strings': () => numbered[0][0] === 1 && numbered[1][0] === 1,
                'only in the init context': () => err(() => new SharedArray('vu', () => [1])) ===
                    'GoError: new SharedArray must be called in the init context',
                'exports': () => Object.keys(data).join() === 'SharedArray' && data.SharedArray !== SharedArray &&
                    !(called instanceof SharedArray) && SharedArray.length === 0,
            });
        }
    )");
}

} // namespace
} // namespace volley::test
