#include "modules/k6.hpp"

#include <chrono>
#include <cmath>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"

namespace volley::modules {
namespace {

constexpr const char* kNoColons = "group and check names may not contain '::'";

bool is_async_function(JSContext* ctx, JSValueConst fn) {
    return JS_IsFunction(ctx, fn) && js::constructor_name(ctx, fn) == "AsyncFunction";
}

// Emits one `checks` sample for check `name`, with the VU's tags, `extra` and check=<name>.
void emit_check(VuApi& vu, const std::string& name, const metrics::TagMap& extra, bool ok) {
    metrics::TagMap tags = extra;
    if (vu.settings().system_tags.count("check") != 0) {
        tags["check"] = name;
    }
    vu.emit(vu.registry().builtins().checks, vu.tag_set_with(tags), ok ? 1.0 : 0.0, now_unix_ns());
}

// Evaluates one entry of check(): calls it with `value` when callable.
bool eval_check_entry(JSContext* ctx, JSValueConst entry, JSValueConst value, bool& threw) {
    threw = false;
    if (!JS_IsFunction(ctx, entry)) {
        return JS_ToBool(ctx, entry) > 0;
    }
    JSValueConst argv[1] = {value};
    js::Value r(ctx, JS_Call(ctx, entry, JS_UNDEFINED, 1, argv));
    if (r.is_exception()) {
        threw = true;
        return false;
    }
    return JS_ToBool(ctx, r.get()) > 0;
}

JSValue js_check(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    if (vu.in_init_context()) {
        throw js::Error("Using check() in the init context is not supported");
    }
    if (argc < 2) {
        throw js::Error("no checks provided to `check`");
    }
    JSValueConst value = argv[0];
    JSValueConst checks = argv[1];
    metrics::TagMap extra;
    apply_user_tags(ctx, js::arg(argc, argv, 2), extra, "");
    std::vector<std::string> keys;
    if (JS_IsObject(checks) && !js::own_keys(ctx, checks, keys)) {
        throw js::PendingException{};
    }
    bool all = true;
    for (const auto& name : keys) {
        if (name.find("::") != std::string::npos) {
            throw js::Error(kNoColons);
        }
        js::Value entry(ctx, JS_GetPropertyStr(ctx, checks, name.c_str()));
        if (entry.is_exception()) {
            throw js::PendingException{};
        }
        if (is_async_function(ctx, entry.get())) {
            throw js::Error(
                "the built-in check() does not support async functions as arguments. Use the "
                "JavaScript utils library as a replacement. Refer to "
                "https://grafana.com/docs/k6/latest/javascript-api/jslib/utils/check/ for more "
                "info");
        }
        bool threw = false;
        bool ok = eval_check_entry(ctx, entry.get(), value, threw);
        emit_check(vu, name, extra, ok);
        if (threw) {
            throw js::PendingException{};
        }
        all = all && ok;
    }
    return JS_NewBool(ctx, all);
}

JSValue js_group(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    if (vu.in_init_context()) {
        throw js::Error("Using group() in the init context is not supported");
    }
    JSValueConst fn = js::arg(argc, argv, 1);
    if (!JS_IsFunction(ctx, fn)) {
        throw js::Error("group() requires a callback as a second argument");
    }
    if (is_async_function(ctx, fn)) {
        throw js::Error("group() does not support async functions as arguments, please see "
                        "https://grafana.com/docs/k6/latest/javascript-api/k6/group/ for more "
                        "info");
    }
    std::string name = js::to_string_lossy(ctx, js::arg(argc, argv, 0));
    if (name.find("::") != std::string::npos) {
        throw js::Error(kNoColons);
    }
    std::string parent = vu.group_path();
    vu.set_group_path(parent + "::" + name);
    auto start = std::chrono::steady_clock::now();
    js::Value result(ctx, JS_Call(ctx, fn, JS_UNDEFINED, 0, nullptr));
    std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    vu.emit(vu.registry().builtins().group_duration, vu.tag_set(), took.count(), now_unix_ns());
    vu.set_group_path(parent);
    if (result.is_exception()) {
        throw js::PendingException{};
    }
    return result.release();
}

JSValue js_sleep(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    double seconds = 0;
    if (JS_ToFloat64(ctx, &seconds, js::arg(argc, argv, 0)) < 0) {
        throw js::PendingException{};
    }
    if (seconds > 0 && std::isfinite(seconds)) {
        VuApi::of(ctx).sleep(seconds);
    }
    return JS_UNDEFINED;
}

JSValue js_fail(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    JSValueConst msg = js::arg(argc, argv, 0);
    throw js::Error(js::is_nullish(msg) ? "" : js::to_string_lossy(ctx, msg));
}

// randomSeed(n): Math.random becomes a deterministic xorshift64* sequence for this VU.
JSValue js_seeded_random(JSContext* ctx, JSValueConst, int, JSValueConst*, int, JSValue* data) {
    std::int64_t state = 0;
    JS_ToInt64(ctx, &state, data[0]);
    auto x = static_cast<std::uint64_t>(state);
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    JS_FreeValue(ctx, data[0]);
    data[0] = JS_NewInt64(ctx, static_cast<std::int64_t>(x));
    std::uint64_t r = (x * 0x2545F4914F6CDD1DULL) >> 11;
    return JS_NewFloat64(ctx, static_cast<double>(r) / 9007199254740992.0);
}

JSValue js_random_seed(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    std::int64_t seed = 0;
    if (JS_ToInt64(ctx, &seed, js::arg(argc, argv, 0)) < 0) {
        throw js::PendingException{};
    }
    std::uint64_t s = static_cast<std::uint64_t>(seed) * 0x9E3779B97F4A7C15ULL + 1;
    JSValue state = JS_NewInt64(ctx, static_cast<std::int64_t>(s));
    JSValue fn = JS_NewCFunctionData(ctx, &js_seeded_random, 0, 0, 1, &state);
    JS_FreeValue(ctx, state);
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    js::Value math = global.property("Math");
    JS_SetPropertyStr(ctx, math.get(), "random", fn);
    return JS_UNDEFINED;
}

int init(JSContext* ctx, JSModuleDef* m) {
    struct Entry {
        const char* name;
        JSValue fn;
    };
    Entry entries[] = {
        {"check", js::new_function<&js_check>(ctx, "check", 3)},
        {"fail", js::new_function<&js_fail>(ctx, "fail", 1)},
        {"group", js::new_function<&js_group>(ctx, "group", 2)},
        {"randomSeed", js::new_function<&js_random_seed>(ctx, "randomSeed", 1)},
        {"sleep", js::new_function<&js_sleep>(ctx, "sleep", 1)},
    };
    JSValue def = JS_NewObject(ctx);
    for (auto& e : entries) {
        JS_SetPropertyStr(ctx, def, e.name, JS_DupValue(ctx, e.fn));
        JS_SetModuleExport(ctx, m, e.name, e.fn);
    }
    return JS_SetModuleExport(ctx, m, "default", def);
}

} // namespace

js::NativeModule k6_module() {
    return {"k6", {"check", "fail", "group", "randomSeed", "sleep", "default"}, &init};
}

} // namespace volley::modules
