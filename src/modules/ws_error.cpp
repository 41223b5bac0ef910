#include "modules/ws_error.hpp"

#include <mutex>

#include "js/native.hpp"
#include "js/value.hpp"

namespace volley::modules::ws {
namespace {

JSClassID g_error_class = 0;

void finalize(JSRuntime*, JSValue obj) {
    delete static_cast<std::string*>(JS_GetOpaque(obj, g_error_class));
}

JSValue js_message(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    const std::string* msg = ws_error_message(this_val);
    return msg != nullptr ? js::new_string(ctx, *msg) : JS_UNDEFINED;
}

} // namespace

void register_error_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_error_class); });
    JSClassDef def{};
    def.class_name = "Error";
    def.finalizer = &finalize;
    JS_NewClass(rt, g_error_class, &def);
}

void setup_error_proto(JSContext* ctx) {
    JSValue proto = JS_NewObject(ctx);
    js::set_function<&js_message>(ctx, proto, "error", 0);
    js::set_function<&js_message>(ctx, proto, "toString", 0);
    JS_SetClassProto(ctx, g_error_class, proto);
}

JSValue new_ws_error(JSContext* ctx, const std::string& message) {
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_error_class));
    if (!JS_IsException(obj)) {
        JS_SetOpaque(obj, new std::string(message));
    }
    return obj;
}

JSValue new_ws_close_error(JSContext* ctx, const std::string& message, int code,
                           std::string_view text) {
    JSValue obj = new_ws_error(ctx, message);
    if (!JS_IsException(obj)) {
        JS_DefinePropertyValueStr(ctx, obj, "code", JS_NewInt32(ctx, code), JS_PROP_C_W_E);
        JS_DefinePropertyValueStr(ctx, obj, "text", js::new_string(ctx, text), JS_PROP_C_W_E);
    }
    return obj;
}

const std::string* ws_error_message(JSValueConst v) {
    return static_cast<const std::string*>(JS_GetOpaque(v, g_error_class));
}

} // namespace volley::modules::ws
