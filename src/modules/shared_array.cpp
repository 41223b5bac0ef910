#include "modules/shared_array.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "js/additions.hpp"
#include "js/native.hpp"
#include "js/value.hpp"
#include "util/go_quote.hpp"

namespace volley::modules {
namespace {

JSClassID g_handler_class = 0;

constexpr const char* kImmutable = "SharedArray is immutable";
constexpr const char* kNoSymbols = "Dynamic objects do not support Symbol properties";

// The proxy's handler: what a VU holds of a SharedArray besides the proxy and its target.
struct Handler {
    std::shared_ptr<const SharedArrayData> data;
    const void* proxy = nullptr; // the SharedArray itself: compared, never dereferenced
};

Handler& handler_of(JSValueConst this_val) {
    auto* h = static_cast<Handler*>(JS_GetOpaque(this_val, g_handler_class));
    if (h == nullptr) {
        throw js::Error("not a SharedArray handler", js::ErrorKind::kTypeError);
    }
    return *h;
}

void finalize(JSRuntime*, JSValue obj) {
    delete static_cast<Handler*>(JS_GetOpaque(obj, g_handler_class));
}

js::Error type_error(const std::string& message) {
    return js::Error(message, js::ErrorKind::kTypeError);
}

// Sobek's strToInt64: an optional '-', then digits without a leading zero ("0" alone, not
// "-0"), within int64. Such keys are indexes of a dynamic array, negative ones included.
std::optional<std::int64_t> parse_index(std::string_view s) {
    bool neg = !s.empty() && s[0] == '-';
    if (neg) {
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 19 || (s[0] == '0' && (s.size() > 1 || neg))) {
        return std::nullopt;
    }
    std::uint64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        n = n * 10 + static_cast<std::uint64_t>(c - '0'); // 19 digits fit in uint64
    }
    constexpr std::uint64_t kMax = INT64_MAX;
    if (n > kMax + (neg ? 1 : 0)) {
        return std::nullopt;
    }
    return neg ? static_cast<std::int64_t>(0 - n) : static_cast<std::int64_t>(n);
}

// A property key as a dynamic array sorts it.
struct Key {
    enum class Kind { kSymbol, kLength, kIndex, kOther } kind = Kind::kSymbol;
    std::int64_t index = 0;
    std::string name; // for kOther and kIndex (error texts)
};

Key classify(JSContext* ctx, JSValueConst key) {
    Key k;
    if (!JS_IsString(key)) {
        return k;
    }
    js::Utf8 name(ctx, key);
    if (!name.ok()) {
        throw js::PendingException{};
    }
    k.name = name.view();
    if (k.name == "length") {
        k.kind = Key::Kind::kLength;
    } else if (auto i = parse_index(k.name)) {
        k.kind = Key::Kind::kIndex;
        k.index = *i;
    } else {
        k.kind = Key::Kind::kOther;
    }
    return k;
}

// Element `i` as k6's Get gives it: parsed from its JSON text and deeply frozen; undefined out
// of range. k6 stored "undefined" for what JSON.stringify left out, and Go's JSON parser refuses
// it with this text.
JSValue element(JSContext* ctx, const SharedArrayData& data, std::int64_t i) {
    if (i < 0 || static_cast<std::uint64_t>(i) >= data.size()) {
        return JS_UNDEFINED;
    }
    std::string_view text = data.element(static_cast<std::size_t>(i));
    if (text == "undefined") {
        throw js::Error("invalid character 'u' looking for beginning of value",
                        js::ErrorKind::kSyntaxError);
    }
    js::Value v(ctx, JS_ParseJSON(ctx, text.data(), text.size(), "<SharedArray>"));
    if (v.is_exception() || JS_FreezeDeep(ctx, v.get()) < 0) {
        throw js::PendingException{};
    }
    return v.release();
}

// What the key means on the proxy's target (an empty Array): Array.prototype's members.
JSValue target_get(JSContext* ctx, JSValueConst target, JSValueConst key) {
    JSAtom a = JS_ValueToAtom(ctx, key);
    if (a == JS_ATOM_NULL) {
        throw js::PendingException{};
    }
    JSValue v = JS_GetProperty(ctx, target, a);
    JS_FreeAtom(ctx, a);
    return v;
}

bool target_has(JSContext* ctx, JSValueConst target, JSValueConst key) {
    JSAtom a = JS_ValueToAtom(ctx, key);
    if (a == JS_ATOM_NULL) {
        throw js::PendingException{};
    }
    int r = JS_HasProperty(ctx, target, a);
    JS_FreeAtom(ctx, a);
    if (r < 0) {
        throw js::PendingException{};
    }
    return r != 0;
}

// --- the proxy's traps; `this` is the handler ---

JSValue trap_get(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    const Handler& h = handler_of(this_val);
    Key k = classify(ctx, js::arg(argc, argv, 1));
    if (k.kind == Key::Kind::kLength) {
        return JS_NewInt64(ctx, static_cast<std::int64_t>(h.data->size()));
    }
    if (k.kind == Key::Kind::kIndex) {
        return element(ctx, *h.data, k.index);
    }
    return target_get(ctx, js::arg(argc, argv, 0), js::arg(argc, argv, 1));
}

// An object inheriting from a SharedArray gets its own property, as from any array.
JSValue set_on_receiver(JSContext* ctx, JSValueConst key, JSValueConst value,
                        JSValueConst receiver) {
    JSAtom a = JS_ValueToAtom(ctx, key);
    if (a == JS_ATOM_NULL) {
        throw js::PendingException{};
    }
    int r = JS_DefinePropertyValue(ctx, receiver, a, JS_DupValue(ctx, value),
                                   JS_PROP_C_W_E | JS_PROP_THROW);
    JS_FreeAtom(ctx, a);
    if (r < 0) {
        throw js::PendingException{};
    }
    return JS_TRUE;
}

JSValue trap_set(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    const Handler& h = handler_of(this_val);
    JSValueConst key = js::arg(argc, argv, 1);
    JSValueConst receiver = js::arg(argc, argv, 3);
    if (!JS_IsObject(receiver) || JS_VALUE_GET_PTR(receiver) != h.proxy) {
        return set_on_receiver(ctx, key, js::arg(argc, argv, 2), receiver);
    }
    Key k = classify(ctx, key);
    switch (k.kind) {
    case Key::Kind::kSymbol:
        throw type_error(kNoSymbols);
    case Key::Kind::kLength:
    case Key::Kind::kIndex:
        throw type_error(kImmutable);
    case Key::Kind::kOther:
        break;
    }
    throw type_error("Cannot set property " + go_quote(k.name) + " on a dynamic array");
}

JSValue trap_has(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    const Handler& h = handler_of(this_val);
    Key k = classify(ctx, js::arg(argc, argv, 1));
    if (k.kind == Key::Kind::kLength || (k.kind == Key::Kind::kIndex && k.index >= 0 &&
                                         static_cast<std::uint64_t>(k.index) < h.data->size())) {
        return JS_TRUE;
    }
    return JS_NewBool(ctx, target_has(ctx, js::arg(argc, argv, 0), js::arg(argc, argv, 1)));
}

JSValue trap_delete(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    const Handler& h = handler_of(this_val);
    Key k = classify(ctx, js::arg(argc, argv, 1));
    if (k.kind == Key::Kind::kLength) {
        throw type_error("Cannot delete property \"length\" on a dynamic array");
    }
    if (k.kind == Key::Kind::kIndex && k.index >= 0 &&
        static_cast<std::uint64_t>(k.index) < h.data->size()) {
        throw type_error(kImmutable); // Sobek sets the element to undefined
    }
    return JS_TRUE;
}

// True when descriptor `desc` has `field` set to false.
bool field_false(JSContext* ctx, JSValueConst desc, const char* field) {
    js::Value v(ctx, JS_GetPropertyStr(ctx, desc, field));
    if (v.is_exception()) {
        throw js::PendingException{};
    }
    return JS_IsBool(v.get()) && JS_ToBool(ctx, v.get()) == 0;
}

bool has_field(JSContext* ctx, JSValueConst desc, const char* field) {
    JSAtom a = JS_NewAtom(ctx, field);
    int r = JS_HasProperty(ctx, desc, a);
    JS_FreeAtom(ctx, a);
    if (r < 0) {
        throw js::PendingException{};
    }
    return r != 0;
}

// Sobek's checkDynamicObjectPropertyDescr.
void check_descriptor(JSContext* ctx, JSValueConst desc, const std::string& name) {
    if (has_field(ctx, desc, "get") || has_field(ctx, desc, "set")) {
        throw type_error("Dynamic objects do not support accessor properties");
    }
    const std::pair<const char*, const char*> refused[] = {{"writable", "read-only"},
                                                           {"enumerable", "non-enumerable"},
                                                           {"configurable", "non-configurable"}};
    for (const auto& [field, what] : refused) {
        if (field_false(ctx, desc, field)) {
            throw type_error("Dynamic object field " + go_quote(name) + " cannot be made " + what);
        }
    }
}

JSValue trap_define(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    Key k = classify(ctx, js::arg(argc, argv, 1));
    if (k.kind == Key::Kind::kSymbol) {
        throw type_error(kNoSymbols);
    }
    check_descriptor(ctx, js::arg(argc, argv, 2), k.name);
    if (k.kind == Key::Kind::kIndex) {
        throw type_error(kImmutable);
    }
    throw type_error("Cannot define property " + go_quote(k.name) + " on a dynamic array");
}

JSValue descriptor(JSContext* ctx, JSValue value, bool enumerable_configurable) {
    js::Value d(ctx, JS_NewObject(ctx));
    JS_SetPropertyStr(ctx, d.get(), "value", value);
    JS_SetPropertyStr(ctx, d.get(), "writable", JS_TRUE);
    JS_SetPropertyStr(ctx, d.get(), "enumerable", JS_NewBool(ctx, enumerable_configurable));
    JS_SetPropertyStr(ctx, d.get(), "configurable", JS_NewBool(ctx, enumerable_configurable));
    return d.release();
}

JSValue trap_own_descriptor(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    const Handler& h = handler_of(this_val);
    Key k = classify(ctx, js::arg(argc, argv, 1));
    if (k.kind == Key::Kind::kLength) {
        return descriptor(ctx, JS_NewInt64(ctx, static_cast<std::int64_t>(h.data->size())), false);
    }
    if (k.kind == Key::Kind::kIndex) {
        return descriptor(ctx, element(ctx, *h.data, k.index), true);
    }
    return JS_UNDEFINED;
}

JSValue trap_own_keys(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    const Handler& h = handler_of(this_val);
    js::Value keys(ctx, JS_NewArray(ctx));
    std::uint32_t n = 0;
    for (; n < h.data->size(); ++n) {
        JS_SetPropertyUint32(ctx, keys.get(), n, js::new_string(ctx, std::to_string(n)));
    }
    JS_SetPropertyUint32(ctx, keys.get(), n, JS_NewString(ctx, "length"));
    return keys.release();
}

JSValue trap_prevent_extensions(JSContext*, JSValueConst, int, JSValueConst*) {
    throw type_error("Cannot make a dynamic object non-extensible");
}

// The handler class's prototype in `ctx`, holding the traps (made on first use).
void ensure_proto(JSContext* ctx) {
    js::Value proto(ctx, JS_GetClassProto(ctx, g_handler_class)); // null until made here
    if (JS_IsObject(proto.get())) {
        return;
    }
    JSValue fresh = JS_NewObject(ctx);
    js::set_function<&trap_get>(ctx, fresh, "get", 3);
    js::set_function<&trap_set>(ctx, fresh, "set", 4);
    js::set_function<&trap_has>(ctx, fresh, "has", 2);
    js::set_function<&trap_delete>(ctx, fresh, "deleteProperty", 2);
    js::set_function<&trap_define>(ctx, fresh, "defineProperty", 3);
    js::set_function<&trap_own_descriptor>(ctx, fresh, "getOwnPropertyDescriptor", 2);
    js::set_function<&trap_own_keys>(ctx, fresh, "ownKeys", 1);
    js::set_function<&trap_prevent_extensions>(ctx, fresh, "preventExtensions", 1);
    JS_SetClassProto(ctx, g_handler_class, fresh);
}

} // namespace

void register_shared_array_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_handler_class); });
    JSClassDef def{};
    def.class_name = "SharedArrayHandler";
    def.finalizer = &finalize;
    JS_NewClass(rt, g_handler_class, &def);
}

JSValue new_shared_array(JSContext* ctx, std::shared_ptr<const SharedArrayData> data) {
    ensure_proto(ctx);
    js::Value handler(ctx, JS_NewObjectClass(ctx, static_cast<int>(g_handler_class)));
    js::Value target(ctx, JS_NewArray(ctx));
    if (handler.is_exception() || target.is_exception()) {
        throw js::PendingException{};
    }
    auto* h = new Handler{std::move(data)};
    JS_SetOpaque(handler.get(), h);
    JSValue proxy = JS_NewProxyObject(ctx, target.get(), handler.get());
    if (JS_IsException(proxy)) {
        throw js::PendingException{};
    }
    h->proxy = JS_VALUE_GET_PTR(proxy);
    return proxy;
}

} // namespace volley::modules
