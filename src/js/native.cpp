#include "js/native.hpp"

#include "js/value.hpp"

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

} // namespace volley::js
