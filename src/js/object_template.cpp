#include "js/object_template.hpp"

#include "js/runtime.hpp"

namespace volley::js {

void ObjectTemplate::make(JSContext* ctx, JSClassID class_id,
                          std::initializer_list<std::string_view> names) {
    JSValue obj =
        class_id == 0 ? JS_NewObject(ctx) : JS_NewObjectClass(ctx, static_cast<int>(class_id));
    for (std::string_view name : names) {
        JSAtom a = atom(ctx, name);
        JS_DefinePropertyValue(ctx, obj, a, JS_UNDEFINED, JS_PROP_C_W_E);
        JS_FreeAtom(ctx, a);
    }
    template_ = Value(ctx, obj);
}

} // namespace volley::js
