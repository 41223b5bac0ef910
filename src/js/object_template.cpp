#include "js/object_template.hpp"

#include <algorithm>

#include "js/runtime.hpp"

namespace volley::js {

namespace {

void add_undefined(JSContext* ctx, JSValueConst obj, std::string_view name) {
    JSAtom a = atom(ctx, name);
    JS_DefinePropertyValue(ctx, obj, a, JS_UNDEFINED, JS_PROP_C_W_E);
    JS_FreeAtom(ctx, a);
}

} // namespace

void ObjectTemplate::make(JSContext* ctx, JSClassID class_id,
                          std::initializer_list<std::string_view> names) {
    JSValue obj =
        class_id == 0 ? JS_NewObject(ctx) : JS_NewObjectClass(ctx, static_cast<int>(class_id));
    for (std::string_view name : names) {
        add_undefined(ctx, obj, name);
    }
    template_ = Value(ctx, obj);
}

void ObjectTemplate::make(JSContext* ctx,
                          const std::vector<std::pair<std::string, std::string>>& fields) {
    JSValue obj = JS_NewObject(ctx);
    for (const auto& field : fields) {
        add_undefined(ctx, obj, field.first);
    }
    template_ = Value(ctx, obj);
}

namespace {

bool has_repeated_name(const RepeatingObjectTemplate::Fields& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        for (std::size_t j = i + 1; j < fields.size(); ++j) {
            if (fields[i].first == fields[j].first) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

bool RepeatingObjectTemplate::same_names(const Fields& fields) const {
    return template_.ready() &&
           std::equal(
               names_.begin(), names_.end(), fields.begin(), fields.end(),
               [](const std::string& name, const auto& field) { return name == field.first; });
}

JSValue RepeatingObjectTemplate::make(JSContext* ctx, const Fields& fields) {
    if (!same_names(fields)) {
        if (has_repeated_name(fields)) {
            JSValue obj = JS_NewObject(ctx);
            for (const auto& [name, value] : fields) {
                define(ctx, obj, name, new_string(ctx, value));
            }
            return obj;
        }
        template_.make(ctx, fields);
        names_.clear();
        for (const auto& field : fields) {
            names_.push_back(field.first);
        }
    }
    JSValue obj = template_.instantiate(ctx);
    int i = 0;
    for (const auto& field : fields) {
        ObjectTemplate::set(ctx, obj, i++, new_string(ctx, field.second));
    }
    return obj;
}

} // namespace volley::js
