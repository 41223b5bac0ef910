#include "script/commonjs.hpp"

#include <cstdio>
#include <vector>

#include "js/value.hpp"
#include "util/ascii.hpp"

extern "C" int JS_IsESModuleDef(JSModuleDef* m); // cmake/quickjs_additions.c

namespace volley::script {
namespace {

// Per runtime, under Symbol.for keys of the global object: module objects run by run_commonjs
// and not yet taken by their wrapper, and the exports of every wrapper that ran.
constexpr const char* kPending = "volley.cjs.pending";
constexpr const char* kExports = "volley.cjs.exports";

// globalThis[Symbol.for(key)], created as a Map on first use.
js::Value registry(JSContext* ctx, const char* key) {
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    js::Value symbol_ctor(ctx, JS_GetPropertyStr(ctx, global.get(), "Symbol"));
    js::Value for_fn(ctx, JS_GetPropertyStr(ctx, symbol_ctor.get(), "for"));
    JSValue name = js::new_string(ctx, key);
    js::Value sym(ctx, JS_Call(ctx, for_fn.get(), symbol_ctor.get(), 1, &name));
    JS_FreeValue(ctx, name);
    JSAtom atom = JS_ValueToAtom(ctx, sym.get());
    js::Value map(ctx, JS_GetProperty(ctx, global.get(), atom));
    if (JS_IsUndefined(map.get())) {
        js::Value ctor(ctx, JS_GetPropertyStr(ctx, global.get(), "Map"));
        map = js::Value(ctx, JS_CallConstructor(ctx, ctor.get(), 0, nullptr));
        JS_DefinePropertyValue(ctx, global.get(), atom, JS_DupValue(ctx, map.get()), 0);
    }
    JS_FreeAtom(ctx, atom);
    return map;
}

std::string js_string_literal(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

bool is_identifier_name(const std::string& s) {
    return ascii_word(s, "_$");
}

// The ES module standing for CommonJS module `name` with the exports `keys`. Its first line
// holds the start of the function so that the code keeps its line numbers.
std::string wrapper_source(const std::string& name, const std::string& code,
                           const std::vector<std::string>& keys) {
    const std::string n = js_string_literal(name);
    std::string out =
        "const __volley_p = globalThis[Symbol.for('" + std::string(kPending) +
        "')]; let __volley_m = __volley_p && __volley_p.get(" + n +
        "); if (__volley_m) { __volley_p.delete(" + n +
        "); } else { __volley_m = { exports: {} }; (function (module, exports) {" + code +
        "\n}).call(__volley_m.exports, __volley_m, __volley_m.exports); }\n"
        "const __volley_x = __volley_m.exports;\n"
        "if (__volley_x === null) throw new Error(\"CommonJS's exports must not be "
        "null\");\n"
        "const __volley_o = Object(__volley_x);\n"
        "(globalThis[Symbol.for('" +
        std::string(kExports) + "')] ||= new Map()).set(" + n + ", __volley_x);\n" +
        "export default ('default' in __volley_o) ? __volley_o.default : __volley_x;\n";
    int i = 0;
    for (const auto& k : keys) {
        if (k == "default" || !is_identifier_name(k)) {
            continue;
        }
        const std::string v = "__volley_e" + std::to_string(i++);
        out += "const " + v + " = __volley_o[" + js_string_literal(k) + "]; export { " + v +
               " as " + k + " };\n";
    }
    return out;
}

} // namespace

bool is_es_module(JSValueConst compiled) {
    return JS_IsESModuleDef(static_cast<JSModuleDef*>(JS_VALUE_GET_PTR(compiled))) != 0;
}

std::optional<std::string> run_commonjs(JSContext* ctx, const std::string& name,
                                        const std::string& source) {
    const std::string fn_source = "(function (module, exports) {" + source + "\n})";
    js::Value fn(ctx, JS_Eval(ctx, fn_source.c_str(), fn_source.size(), name.c_str(),
                              JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT));
    if (fn.is_exception()) {
        return std::nullopt;
    }
    js::Value module(ctx, JS_NewObject(ctx));
    JS_SetPropertyStr(ctx, module.get(), "exports", JS_NewObject(ctx));
    js::Value exports = module.property("exports");
    JSValueConst args[] = {module.get(), exports.get()};
    js::Value ran(ctx, JS_Call(ctx, fn.get(), exports.get(), 2, args));
    if (ran.is_exception()) {
        return std::nullopt;
    }
    js::Value result = module.property("exports");
    if (JS_IsNull(result.get())) {
        JS_ThrowTypeError(ctx, "CommonJS's exports must not be null");
        return std::nullopt;
    }
    std::vector<std::string> keys;
    if (JS_IsObject(result.get()) && !js::own_keys(ctx, result.get(), keys)) {
        return std::nullopt;
    }
    js::Value pending = registry(ctx, kPending);
    js::Value set(ctx, JS_GetPropertyStr(ctx, pending.get(), "set"));
    js::Value key(ctx, js::new_string(ctx, name));
    JSValueConst set_args[] = {key.get(), module.get()};
    js::Value done(ctx, JS_Call(ctx, set.get(), pending.get(), 2, set_args));
    return wrapper_source(name, source, keys);
}

JSValue commonjs_exports(JSContext* ctx, const std::string& name) {
    js::Value exports = registry(ctx, kExports);
    js::Value has(ctx, JS_GetPropertyStr(ctx, exports.get(), "has"));
    js::Value get(ctx, JS_GetPropertyStr(ctx, exports.get(), "get"));
    js::Value key(ctx, js::new_string(ctx, name));
    JSValueConst arg = key.get();
    js::Value present(ctx, JS_Call(ctx, has.get(), exports.get(), 1, &arg));
    if (JS_ToBool(ctx, present.get()) <= 0) {
        return JS_UNDEFINED;
    }
    return JS_Call(ctx, get.get(), exports.get(), 1, &arg);
}

} // namespace volley::script
