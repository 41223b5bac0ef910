#include "modules/encoding.hpp"

#include <string>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "util/go_base64.hpp"

namespace volley::modules {
namespace {

Base64 encoding_named(const std::string& name) {
    if (name == "rawstd") {
        return Base64::kRawStd;
    }
    if (name == "url") {
        return Base64::kUrl;
    }
    if (name == "rawurl") {
        return Base64::kRawUrl;
    }
    return Base64::kStd;
}

JSValue js_b64encode(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    std::string data = to_bytes(ctx, js::arg(argc, argv, 0));
    Base64 e = encoding_named(go_string_arg(ctx, js::arg(argc, argv, 1)));
    return js::new_string(ctx, base64_encode(data, e));
}

// The input is a Go string parameter: ToString of anything but null and undefined ("" then).
JSValue js_b64decode(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    std::string input = go_string_arg(ctx, js::arg(argc, argv, 0));
    Base64 e = encoding_named(go_string_arg(ctx, js::arg(argc, argv, 1)));
    std::string format = go_string_arg(ctx, js::arg(argc, argv, 2));
    std::size_t at = 0;
    auto out = base64_decode(input, e, at);
    if (!out) {
        throw js::Error("illegal base64 data at input byte " + std::to_string(at));
    }
    return format == "s" ? new_go_string(ctx, *out) : new_array_buffer(ctx, *out);
}

int init(JSContext* ctx, JSModuleDef* m) {
    JSValue encode = js::new_function<&js_b64encode>(ctx, "b64encode", 2);
    JSValue decode = js::new_function<&js_b64decode>(ctx, "b64decode", 3);
    JSValue def = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, def, "b64encode", JS_DupValue(ctx, encode));
    JS_SetPropertyStr(ctx, def, "b64decode", JS_DupValue(ctx, decode));
    if (JS_SetModuleExport(ctx, m, "b64encode", encode) < 0 ||
        JS_SetModuleExport(ctx, m, "b64decode", decode) < 0) {
        JS_FreeValue(ctx, def);
        return -1;
    }
    return JS_SetModuleExport(ctx, m, "default", def);
}

} // namespace

js::NativeModule encoding_module() {
    return {"k6/encoding", {"b64encode", "b64decode", "default"}, &init};
}

} // namespace volley::modules
