#include "modules/webcrypto_async.hpp"

#include "js/value.hpp"

namespace volley::modules {

JSValue settled_promise(JSContext* ctx, JSValue value, bool rejected) {
    JSValue funcs[2];
    JSValue promise = JS_NewPromiseCapability(ctx, funcs);
    if (!JS_IsException(promise)) {
        JS_FreeValue(ctx, JS_Call(ctx, funcs[rejected ? 1 : 0], JS_UNDEFINED, 1, &value));
        JS_FreeValue(ctx, funcs[0]);
        JS_FreeValue(ctx, funcs[1]);
    }
    JS_FreeValue(ctx, value);
    return promise;
}

namespace {

JSValue js_error_to_string(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    js::Value name(ctx, JS_GetPropertyStr(ctx, this_val, "name"));
    js::Value message(ctx, JS_GetPropertyStr(ctx, this_val, "message"));
    return js::new_string(ctx, js::to_string_lossy(ctx, name.get()) + ": " +
                                   js::to_string_lossy(ctx, message.get()));
}

} // namespace

JSValue webcrypto_error_value(JSContext* ctx, const WebCryptoError& e) {
    JSValue obj = JS_NewObject(ctx);
    js::define(ctx, obj, "name", js::new_string(ctx, e.name()));
    js::define(ctx, obj, "message", js::new_string(ctx, e.what()));
    JS_DefinePropertyValueStr(ctx, obj, "toString",
                              js::new_function<&js_error_to_string>(ctx, "toString", 0),
                              JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE);
    return obj;
}

} // namespace volley::modules
