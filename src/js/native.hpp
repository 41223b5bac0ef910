#pragma once

// Native functions exposed to JS, and the C++-exception -> JS-throw firewall (style.md rule 11).
// A native function body may throw js::Error (or any std::exception); the wrapper turns it into
// a pending JS exception and returns JS_EXCEPTION, so no C++ exception unwinds through QuickJS.

#include <exception>
#include <stdexcept>
#include <string>

#include "quickjs.h"
#include <boost/context/fiber.hpp> // forced_unwind, from whichever backend is in use

namespace volley::js {

// The JS error constructor a native failure maps to. kGoError is what k6 (Sobek) throws for Go
// errors: an Error whose name is "GoError".
enum class ErrorKind { kError, kGoError, kTypeError, kRangeError, kSyntaxError, kReferenceError };

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, ErrorKind kind = ErrorKind::kGoError)
        : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

// Thrown by native code when a JS exception is already pending in the context (e.g. a JS call
// made from native code threw): the firewall returns JS_EXCEPTION without creating a new error.
struct PendingException {};

// Makes the JS error of `kind` with `message` pending in `ctx`; returns JS_EXCEPTION.
JSValue throw_error(JSContext* ctx, ErrorKind kind, const std::string& message);

// Makes an uncatchable error pending (like QuickJS's own interrupt): `try` cannot stop it, so
// the script unwinds to the VU. Used when the VU is being stopped or the test aborted.
JSValue throw_uncatchable(JSContext* ctx, const std::string& message);

// True for an error made by throw_uncatchable() or QuickJS's interrupt handler.
bool is_uncatchable(JSContext* ctx, JSValueConst error);

using NativeFn = JSValue (*)(JSContext*, JSValueConst, int, JSValueConst*);

// Runs `body` (returning a JSValue) so that C++ exceptions become JS exceptions. Boost.Context's
// forced_unwind (a fiber being destroyed) is rethrown: it must reach the fiber's entry, never be
// swallowed (style.md rule 12).
template <class Body> JSValue firewall(JSContext* ctx, Body&& body) {
    try {
        return body();
    } catch (const boost::context::detail::forced_unwind&) {
        throw;
    } catch (const PendingException&) {
        return JS_EXCEPTION;
    } catch (const Error& e) {
        return throw_error(ctx, e.kind(), e.what());
    } catch (const std::exception& e) {
        return throw_error(ctx, ErrorKind::kError, e.what());
    }
}

// Wraps F behind the firewall.
template <NativeFn F>
JSValue guarded(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    return firewall(ctx, [&] { return F(ctx, this_val, argc, argv); });
}

using NativeGetter = JSValue (*)(JSContext*, JSValueConst);
using NativeSetter = JSValue (*)(JSContext*, JSValueConst, JSValueConst);

// Accessors behind the firewall (for JS_CGETSET_DEF).
template <NativeGetter F> JSValue guarded_getter(JSContext* ctx, JSValueConst this_val) {
    return firewall(ctx, [&] { return F(ctx, this_val); });
}
template <NativeSetter F>
JSValue guarded_setter(JSContext* ctx, JSValueConst this_val, JSValueConst value) {
    return firewall(ctx, [&] { return F(ctx, this_val, value); });
}

using NativeGetterMagic = JSValue (*)(JSContext*, JSValueConst, int);
using NativeSetterMagic = JSValue (*)(JSContext*, JSValueConst, JSValueConst, int);
template <NativeGetterMagic F>
JSValue guarded_getter_magic(JSContext* ctx, JSValueConst this_val, int magic) {
    return firewall(ctx, [&] { return F(ctx, this_val, magic); });
}
template <NativeSetterMagic F>
JSValue guarded_setter_magic(JSContext* ctx, JSValueConst this_val, JSValueConst value, int magic) {
    return firewall(ctx, [&] { return F(ctx, this_val, value, magic); });
}

// Defines accessor `name` on `obj` (configurable, not enumerable, as a class prototype's):
// getter G, and setter S when given (a read-only accessor otherwise).
template <NativeGetter G, NativeSetter S = nullptr>
void define_accessor(JSContext* ctx, JSValueConst obj, const char* name) {
    JSCFunctionType g{};
    g.getter = &guarded_getter<G>;
    JSValue getter = JS_NewCFunction2(ctx, g.generic, name, 0, JS_CFUNC_getter, 0);
    JSValue setter = JS_UNDEFINED;
    if constexpr (S != nullptr) {
        JSCFunctionType st{};
        st.setter = &guarded_setter<S>;
        setter = JS_NewCFunction2(ctx, st.generic, name, 1, JS_CFUNC_setter, 0);
    }
    JSAtom a = JS_NewAtom(ctx, name);
    JS_DefinePropertyGetSet(ctx, obj, a, getter, setter, JS_PROP_CONFIGURABLE);
    JS_FreeAtom(ctx, a);
}

// As define_accessor, with a `magic` number passed to both functions.
template <NativeGetterMagic G, NativeSetterMagic S>
void define_accessor_magic(JSContext* ctx, JSValueConst obj, const char* name, int magic) {
    JSCFunctionType g{};
    g.getter_magic = &guarded_getter_magic<G>;
    JSCFunctionType st{};
    st.setter_magic = &guarded_setter_magic<S>;
    JSAtom a = JS_NewAtom(ctx, name);
    JS_DefinePropertyGetSet(
        ctx, obj, a, JS_NewCFunction2(ctx, g.generic, name, 0, JS_CFUNC_getter_magic, magic),
        JS_NewCFunction2(ctx, st.generic, name, 1, JS_CFUNC_setter_magic, magic),
        JS_PROP_CONFIGURABLE);
    JS_FreeAtom(ctx, a);
}

// Defines `name` on `obj` as the native function F with the given arity.
template <NativeFn F>
void set_function(JSContext* ctx, JSValueConst obj, const char* name, int length) {
    JS_SetPropertyStr(ctx, obj, name,
                      JS_NewCFunction2(ctx, &guarded<F>, name, length, JS_CFUNC_generic, 0));
}

// A new native function value (owned by the caller).
template <NativeFn F> JSValue new_function(JSContext* ctx, const char* name, int length) {
    return JS_NewCFunction2(ctx, &guarded<F>, name, length, JS_CFUNC_generic, 0);
}

// The argument at `i`, or undefined when fewer were given.
inline JSValueConst arg(int argc, JSValueConst* argv, int i) {
    return i < argc ? argv[i] : JS_UNDEFINED;
}

using NativeDataFn = JSValue (*)(JSContext*, JSValueConst, int, JSValueConst*, int, JSValue*);

// guarded<> for functions made with JS_NewCFunctionData (values bound to the function object).
template <NativeDataFn F>
JSValue guarded_data(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv, int magic,
                     JSValue* data) {
    return firewall(ctx, [&] { return F(ctx, this_val, argc, argv, magic, data); });
}

using NativeMagicFn = JSValue (*)(JSContext*, JSValueConst, int, JSValueConst*, int);

// guarded<> for functions that take a `magic` number.
template <NativeMagicFn F>
JSValue guarded_magic(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv,
                      int magic) {
    return firewall(ctx, [&] { return F(ctx, this_val, argc, argv, magic); });
}

} // namespace volley::js
