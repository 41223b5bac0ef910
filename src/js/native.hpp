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
