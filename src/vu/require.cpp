#include "vu/require.hpp"

#include <string>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"
#include "script/commonjs.hpp"
#include "script/specifier.hpp"

extern "C" JSValue JS_RequireModule(JSContext* ctx, const char* base_name,
                                    const char* module_name); // cmake/quickjs_additions.c

namespace volley::vu {
namespace {

// The name of the module whose code called require() ("" if unknown).
std::string calling_module(JSContext* ctx) {
    JSAtom atom = JS_GetScriptOrModuleName(ctx, 1);
    if (atom == JS_ATOM_NULL) {
        return {};
    }
    const char* name = JS_AtomToCString(ctx, atom);
    JS_FreeAtom(ctx, atom);
    std::string out = name != nullptr ? name : "";
    JS_FreeCString(ctx, name);
    return out;
}

JSValue js_require(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    if (!modules::VuApi::of(ctx).in_init_context()) {
        throw js::Error("the \"require\" function is only available in the init stage (i.e. the "
                        "global scope), see "
                        "https://grafana.com/docs/k6/latest/using-k6/test-lifecycle/ for more "
                        "information");
    }
    std::string specifier =
        js::is_nullish(js::arg(argc, argv, 0)) ? "" : js::to_string_lossy(ctx, argv[0]);
    if (specifier.empty()) {
        throw js::Error("require() can't be used with an empty specifier");
    }
    const std::string base = calling_module(ctx);
    JSValue ns = JS_RequireModule(ctx, base.c_str(), specifier.c_str());
    if (JS_IsException(ns)) {
        return ns;
    }
    script::Resolved r = script::resolve_specifier(base, specifier);
    JSValue exports = r.ok() ? script::commonjs_exports(ctx, r.name) : JS_UNDEFINED;
    if (JS_IsUndefined(exports)) {
        return ns;
    }
    JS_FreeValue(ctx, ns);
    return exports;
}

} // namespace

void install_require(JSContext* ctx) {
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    js::set_function<&js_require>(ctx, global.get(), "require", 1);
}

} // namespace volley::vu
