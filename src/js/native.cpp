#include "js/native.hpp"

#include "js/value.hpp"

// Exported by quickjs.c but not declared in quickjs.h.
extern "C" JS_BOOL JS_IsUncatchableError(JSContext* ctx, JSValueConst val);

namespace volley::js {

JSValue throw_error(JSContext* ctx, ErrorKind kind, const std::string& message) {
    switch (kind) {
    case ErrorKind::kTypeError:
        return JS_ThrowTypeError(ctx, "%s", message.c_str());
    case ErrorKind::kRangeError:
        return JS_ThrowRangeError(ctx, "%s", message.c_str());
    case ErrorKind::kSyntaxError:
        return JS_ThrowSyntaxError(ctx, "%s", message.c_str());
    case ErrorKind::kReferenceError:
        return JS_ThrowReferenceError(ctx, "%s", message.c_str());
    case ErrorKind::kError:
    case ErrorKind::kGoError:
        break;
    }
    JSValue err = JS_NewError(ctx);
    JS_SetPropertyStr(ctx, err, "message", new_string(ctx, message));
    if (kind == ErrorKind::kGoError) {
        JS_SetPropertyStr(ctx, err, "name", JS_NewString(ctx, "GoError"));
    }
    return JS_Throw(ctx, err);
}

JSValue throw_uncatchable(JSContext* ctx, const std::string& message) {
    JS_ThrowInternalError(ctx, "%s", message.c_str());
    JSValue exc = JS_GetException(ctx);
    JS_SetUncatchableError(ctx, exc, 1);
    return JS_Throw(ctx, exc);
}

bool is_uncatchable(JSContext* ctx, JSValueConst error) {
    return JS_IsUncatchableError(ctx, error) != 0;
}

} // namespace volley::js
