#include "modules/metrics.hpp"

#include <cmath>
#include <mutex>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"
#include "util/log.hpp"

namespace volley::modules {
namespace {

JSClassID g_metric_class = 0;

// The metric id is stored in the object's opaque pointer (id + 1, so it is never null).
metrics::MetricId metric_of(JSContext* ctx, JSValueConst obj) {
    void* p = JS_GetOpaque(obj, g_metric_class);
    if (p == nullptr) {
        throw js::Error("not a metric object", js::ErrorKind::kTypeError);
    }
    return static_cast<metrics::MetricId>(reinterpret_cast<std::uintptr_t>(p) - 1);
    (void)ctx;
}

// A non-fatal add() error: thrown with --throw, else logged as a warning (add returns false).
JSValue soft_error(JSContext* ctx, VuApi& vu, const std::string& msg) {
    if (vu.settings().throw_errors) {
        throw js::Error(msg);
    }
    log::write(log::Level::kWarn, msg);
    return JS_FALSE;
    (void)ctx;
}

// k6's value conversion: ToNumber, except that a truthy value converting to 0 counts as 1.
bool to_metric_value(JSContext* ctx, JSValueConst v, double& out) {
    if (js::is_nullish(v) || JS_IsObject(v) || JS_IsSymbol(v)) {
        return false;
    }
    if (JS_ToFloat64(ctx, &out, v) < 0) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return false;
    }
    if (std::isnan(out)) {
        return false;
    }
    if (out == 0 && JS_ToBool(ctx, v) > 0) {
        out = 1;
    }
    return true;
}

JSValue js_add(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    metrics::MetricId id = metric_of(ctx, this_val);
    const std::string& name = vu.registry().def(id).name;
    if (vu.in_init_context()) {
        return soft_error(ctx, vu, "Adding to metrics in the init context is not supported");
    }
    if (argc < 1) {
        return soft_error(ctx, vu,
                          "no value was provided for metric '" + name +
                              "', a number or a boolean value is expected");
    }
    double value = 0;
    if (!to_metric_value(ctx, argv[0], value)) {
        std::string text = js::to_string_lossy(ctx, argv[0]);
        if (text.size() > 100) {
            text = text.substr(0, 100) + "...";
        }
        return soft_error(ctx, vu,
                          "'" + text + "' is an invalid value for metric '" + name +
                              "', a number or a boolean value is expected");
    }
    metrics::TagMap tags;
    apply_user_tags(ctx, js::arg(argc, argv, 1), tags,
                    "cannot add tags for the '" + name + "' custom metric: ");
    vu.emit(id, vu.tag_set_with(tags), value, now_unix_ns());
    return JS_TRUE;
}

JSValue js_name(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    return js::new_string(ctx, VuApi::of(ctx).registry().def(metric_of(ctx, this_val)).name);
}

JSValue js_to_string(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    const auto& def = VuApi::of(ctx).registry().def(metric_of(ctx, this_val));
    return js::new_string(ctx, "[object " + def.name + "]");
}

// Shared constructor body; `magic` is the MetricType.
JSValue js_construct(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int magic) {
    VuApi& vu = VuApi::of(ctx);
    if (!vu.in_init_context()) {
        throw js::Error("metrics must be declared in the init context");
    }
    std::string name = js::to_string_lossy(ctx, js::arg(argc, argv, 0));
    bool is_time = JS_ToBool(ctx, js::arg(argc, argv, 1)) > 0;
    std::string error;
    auto id = vu.registry().define(
        name, static_cast<metrics::MetricType>(magic),
        is_time ? metrics::ValueType::kTime : metrics::ValueType::kDefault, &error);
    if (!id) {
        throw js::Error(error);
    }
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_metric_class));
    if (JS_IsException(obj)) {
        return obj;
    }
    JS_SetOpaque(obj, reinterpret_cast<void*>(static_cast<std::uintptr_t>(*id) + 1));
    return obj;
}

template <metrics::MetricType T>
JSValue construct(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    return js_construct(ctx, this_val, argc, argv, static_cast<int>(T));
}

int init(JSContext* ctx, JSModuleDef* m) {
    JSValue proto = JS_NewObject(ctx);
    js::set_function<&js_add>(ctx, proto, "add", 2);
    js::set_function<&js_to_string>(ctx, proto, "toString", 0);
    JSAtom name_atom = JS_NewAtom(ctx, "name");
    JS_DefinePropertyGetSet(ctx, proto, name_atom, js::new_function<&js_name>(ctx, "name", 0),
                            JS_UNDEFINED, JS_PROP_CONFIGURABLE);
    JS_FreeAtom(ctx, name_atom);
    JS_SetClassProto(ctx, g_metric_class, proto);

    struct Ctor {
        const char* name;
        JSCFunction* fn;
    };
    const Ctor ctors[] = {
        {"Counter", &js::guarded<&construct<metrics::MetricType::kCounter>>},
        {"Gauge", &js::guarded<&construct<metrics::MetricType::kGauge>>},
        {"Rate", &js::guarded<&construct<metrics::MetricType::kRate>>},
        {"Trend", &js::guarded<&construct<metrics::MetricType::kTrend>>},
    };
    JSValue def = JS_NewObject(ctx);
    for (const auto& c : ctors) {
        JSValue fn = JS_NewCFunction2(ctx, c.fn, c.name, 2, JS_CFUNC_constructor_or_func, 0);
        JS_SetPropertyStr(ctx, def, c.name, JS_DupValue(ctx, fn));
        JS_SetModuleExport(ctx, m, c.name, fn);
    }
    return JS_SetModuleExport(ctx, m, "default", def);
}

} // namespace

void register_metric_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_metric_class); });
    JSClassDef def{};
    def.class_name = "Metric";
    JS_NewClass(rt, g_metric_class, &def);
}

js::NativeModule metrics_module() {
    return {"k6/metrics", {"Counter", "Gauge", "Rate", "Trend", "default"}, &init};
}

} // namespace volley::modules
