#include "modules/metrics.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"
#include "util/log.hpp"

namespace volley::modules {
namespace {

// A non-fatal add() error: thrown with --throw, else logged as a warning (add returns false).
JSValue soft_error(JSContext* ctx, VuApi& vu, const std::string& msg) {
    if (vu.settings().throw_errors) {
        throw js::Error(msg);
    }
    log::write(log::Level::kWarn, msg);
    return JS_FALSE;
    (void)ctx;
}

// k6's limitValue: a value text of 100 characters or more keeps its first and last 50, with
// "... omitting N characters ..." between (counted in code points, as Go counts runes).
std::string limit_value(const std::string& text) {
    constexpr std::size_t kMax = 100;
    std::vector<std::size_t> starts; // byte offset of each code point
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
            starts.push_back(i);
        }
    }
    if (starts.size() < kMax) {
        return text;
    }
    std::size_t omitted = starts.size() - kMax;
    return text.substr(0, starts[kMax / 2]) + "... omitting " + std::to_string(omitted) +
           " characters ..." + text.substr(starts[starts.size() - kMax / 2]);
}

// k6's value conversion: ToNumber (objects through valueOf, so a Date or [5] counts), except
// that a truthy value converting to 0 counts as 1; null and NaN are invalid. A conversion that
// throws (a Symbol, a throwing valueOf) propagates.
bool to_metric_value(JSContext* ctx, JSValueConst v, double& out) {
    if (JS_IsNull(v)) {
        return false;
    }
    if (JS_ToFloat64(ctx, &out, v) < 0) {
        throw js::PendingException{};
    }
    if (std::isnan(out)) {
        return false;
    }
    if (out == 0 && JS_ToBool(ctx, v) > 0) {
        out = 1;
    }
    return true;
}

// The metric's add(), bound to its metric id (data[0]) as k6 binds a Go method: it works when
// called detached from the object too.
JSValue js_add(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int, JSValue* data) {
    VuApi& vu = VuApi::of(ctx);
    std::int32_t raw_id = 0;
    JS_ToInt32(ctx, &raw_id, data[0]);
    auto id = static_cast<metrics::MetricId>(raw_id);
    const std::string& name = vu.registry().def(id).name;
    if (vu.in_init_context()) {
        throw js::Error("Adding to metrics in the init context is not supported");
    }
    if (argc < 1) {
        return soft_error(ctx, vu,
                          "no value was provided for metric '" + name +
                              "', a number or a boolean value is expected");
    }
    double value = 0;
    if (!to_metric_value(ctx, argv[0], value)) {
        return soft_error(ctx, vu,
                          "'" + limit_value(js::to_string_lossy(ctx, argv[0])) +
                              "' is an invalid value for metric '" + name +
                              "', a number or a boolean value is expected");
    }
    metrics::TagMap tags;
    apply_user_tags(ctx, js::arg(argc, argv, 1), tags,
                    "cannot add tags for the '" + name + "' custom metric: ");
    vu.emit(id, vu.tag_set_with(tags), value, now_unix_ns());
    return JS_TRUE;
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
    // As k6 builds it: a plain object with an enumerable read-only `name` and its own `add`.
    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj)) {
        return obj;
    }
    JS_DefinePropertyValueStr(ctx, obj, "name", js::new_string(ctx, name), JS_PROP_ENUMERABLE);
    JSValue id_value = JS_NewInt32(ctx, static_cast<std::int32_t>(*id));
    JS_DefinePropertyValueStr(
        ctx, obj, "add", JS_NewCFunctionData(ctx, &js::guarded_data<&js_add>, 2, 0, 1, &id_value),
        JS_PROP_C_W_E);
    return obj;
}

template <metrics::MetricType T>
JSValue construct(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    return js_construct(ctx, this_val, argc, argv, static_cast<int>(T));
}

int init(JSContext* ctx, JSModuleDef* m) {
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

js::NativeModule metrics_module() {
    return {"k6/metrics", {"Counter", "Gauge", "Rate", "Trend", "default"}, &init};
}

} // namespace volley::modules
