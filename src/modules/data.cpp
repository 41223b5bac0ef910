#include "modules/data.hpp"

#include <cstdint>
#include <memory>
#include <string>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/shared_array.hpp"
#include "modules/shared_array_store.hpp"
#include "modules/vu_api.hpp"

namespace volley::modules {
namespace {

// What Sobek names the Go method k6 exports (SharedArray.name in k6).
constexpr const char* kConstructorName =
    "go.k6.io/k6/internal/js/modules/k6/data.(*Data).sharedArray-fm";

// k6's common.IsAsyncFunction: ToObject(v).constructor.name === "AsyncFunction".
bool is_async_function(JSContext* ctx, JSValueConst v) {
    if (js::is_nullish(v)) {
        return false;
    }
    js::Value ctor(ctx, JS_GetPropertyStr(ctx, v, "constructor"));
    if (ctor.is_exception()) {
        throw js::PendingException{};
    }
    if (js::is_nullish(ctor.get())) {
        throw js::Error("Cannot convert undefined or null to object", js::ErrorKind::kTypeError);
    }
    js::Value name(ctx, JS_GetPropertyStr(ctx, ctor.get(), "name"));
    if (name.is_exception()) {
        throw js::PendingException{};
    }
    return js::to_string_lossy(ctx, name.get()) == "AsyncFunction";
}

bool is_array_class(JSContext* ctx, JSValueConst v) {
    static const JSClassID kArrayClass = [ctx] {
        js::Value a(ctx, JS_NewArray(ctx));
        return JS_GetClassID(a.get());
    }();
    return JS_IsObject(v) && JS_GetClassID(v) == kArrayClass;
}

// The element's JSON text, or "undefined" when JSON.stringify gives undefined (k6 stores
// String() of the result).
void append_element(JSContext* ctx, JSValueConst array, std::uint32_t i, SharedArrayData& data) {
    js::Value element(ctx, JS_GetPropertyUint32(ctx, array, i));
    if (element.is_exception()) {
        throw js::PendingException{};
    }
    js::Value json(ctx, JS_JSONStringify(ctx, element.get(), JS_UNDEFINED, JS_UNDEFINED));
    if (json.is_exception()) {
        throw js::PendingException{};
    }
    if (json.is_undefined()) {
        data.append("undefined");
        return;
    }
    js::Utf8 text(ctx, json.get());
    if (!text.ok()) {
        throw js::PendingException{};
    }
    data.append(text.view());
}

// k6's getSharedArrayFromCall: calls `fn` and stores JSON.stringify of each element.
std::shared_ptr<const SharedArrayData> build_from_call(JSContext* ctx, JSValueConst fn) {
    js::Value result(ctx, JS_Call(ctx, fn, JS_UNDEFINED, 0, nullptr));
    if (result.is_exception()) {
        throw js::PendingException{};
    }
    if (js::is_nullish(result.get())) { // Sobek's ToObject
        throw js::Error("Cannot convert undefined or null to object", js::ErrorKind::kTypeError);
    }
    if (!is_array_class(ctx, result.get())) {
        throw js::Error("only arrays can be made into SharedArray");
    }
    std::uint32_t length = 0; // an Array's length is below 2^32
    js::Value len(ctx, JS_GetPropertyStr(ctx, result.get(), "length"));
    if (len.is_exception() || JS_ToUint32(ctx, &length, len.get()) < 0) {
        throw js::PendingException{};
    }
    auto data = std::make_shared<SharedArrayData>();
    for (std::uint32_t i = 0; i < length; ++i) {
        append_element(ctx, result.get(), i, *data);
    }
    data->shrink();
    return data;
}

// new SharedArray(name, fn) (k6's Data.sharedArray); also callable without `new`, as in k6.
JSValue js_shared_array(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    if (!vu.in_init_context()) {
        throw js::Error("new SharedArray must be called in the init context");
    }
    auto name = js::to_string(ctx, js::arg(argc, argv, 0));
    if (!name) {
        throw js::PendingException{};
    }
    if (name->empty()) {
        throw js::Error("empty name provided to SharedArray's constructor");
    }
    JSValueConst fn = js::arg(argc, argv, 1);
    if (is_async_function(ctx, fn)) {
        throw js::Error(
            "SharedArray constructor does not support async functions as second argument");
    }
    if (!JS_IsFunction(ctx, fn)) {
        throw js::Error("a function is expected as the second argument of SharedArray's "
                        "constructor");
    }
    auto data = vu.shared_arrays().get_or_build(*name, [&] { return build_from_call(ctx, fn); });
    return new_shared_array(ctx, std::move(data));
}

// A new SharedArray function. It has a `prototype` object, so that `x instanceof SharedArray`
// is false as in k6 (QuickJS would throw for a function without one).
JSValue make_constructor(JSContext* ctx) {
    JSValue fn = JS_NewCFunction2(ctx, &js::guarded<&js_shared_array>, kConstructorName, 0,
                                  JS_CFUNC_constructor_or_func, 0);
    JS_SetConstructor(ctx, fn, js::Value(ctx, JS_NewObject(ctx)).get());
    return fn;
}

// k6 makes the default export's function apart from the named one (they are not ===).
int init(JSContext* ctx, JSModuleDef* m) {
    JSValue def = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, def, "SharedArray", make_constructor(ctx));
    if (JS_SetModuleExport(ctx, m, "SharedArray", make_constructor(ctx)) < 0) {
        JS_FreeValue(ctx, def);
        return -1;
    }
    return JS_SetModuleExport(ctx, m, "default", def);
}

} // namespace

js::NativeModule data_module() {
    return {"k6/data", {"SharedArray", "default"}, &init};
}

} // namespace volley::modules
