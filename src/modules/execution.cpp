#include "modules/execution.hpp"

#include <chrono>
#include <mutex>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"
#include "util/log.hpp"

namespace volley::modules {
namespace {

JSClassID g_tags_class = 0;

VuApi& vu_outside_init(JSContext* ctx, const char* what) {
    VuApi& vu = VuApi::of(ctx);
    if (vu.in_init_context()) {
        throw js::Error(std::string("getting ") + what +
                        " information in the init context is not supported");
    }
    return vu;
}

std::string atom_string(JSContext* ctx, JSAtom atom) {
    const char* s = JS_AtomToCString(ctx, atom);
    std::string out = s != nullptr ? s : "";
    JS_FreeCString(ctx, s);
    return out;
}

// --- exec.vu.tags: a live view of the VU's tags -------------------------------------------

int tags_get_own(JSContext* ctx, JSPropertyDescriptor* desc, JSValueConst, JSAtom prop) {
    const auto& tags = VuApi::of(ctx).tags();
    auto it = tags.find(atom_string(ctx, prop));
    if (it == tags.end()) {
        return 0;
    }
    if (desc != nullptr) {
        desc->flags = JS_PROP_ENUMERABLE | JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE;
        desc->value = js::new_string(ctx, it->second);
        desc->getter = JS_UNDEFINED;
        desc->setter = JS_UNDEFINED;
    }
    return 1;
}

int tags_own_names(JSContext* ctx, JSPropertyEnum** ptab, uint32_t* plen, JSValueConst) {
    const auto& tags = VuApi::of(ctx).tags();
    auto* tab = static_cast<JSPropertyEnum*>(
        js_malloc(ctx, sizeof(JSPropertyEnum) * std::max<std::size_t>(1, tags.size())));
    if (tab == nullptr) {
        return -1;
    }
    uint32_t i = 0;
    for (const auto& [k, v] : tags) {
        tab[i].is_enumerable = 1;
        tab[i].atom = JS_NewAtom(ctx, k.c_str());
        ++i;
    }
    *ptab = tab;
    *plen = i;
    return 0;
}

int tags_define(JSContext* ctx, JSValueConst, JSAtom prop, JSValueConst val, JSValueConst,
                JSValueConst, int) {
    if (!JS_IsString(val) && !JS_IsNumber(val) && !JS_IsBool(val)) {
        JS_ThrowTypeError(ctx,
                          "invalid value for metric tag '%s': only String, Boolean and "
                          "Number types are accepted as a metric tag values",
                          atom_string(ctx, prop).c_str());
        return -1;
    }
    VuApi::of(ctx).set_tag(atom_string(ctx, prop), js::to_string_lossy(ctx, val));
    return 1;
}

// k6's tagsDynamicObject.Delete: removes the tag; true even when it was not there.
int tags_delete(JSContext* ctx, JSValueConst, JSAtom prop) {
    VuApi::of(ctx).delete_tag(atom_string(ctx, prop));
    return 1;
}

JSClassExoticMethods g_tags_exotic = [] {
    JSClassExoticMethods m{};
    m.delete_property = &tags_delete;
    m.get_own_property = &tags_get_own;
    m.get_own_property_names = &tags_own_names;
    m.define_own_property = &tags_define;
    return m;
}();

// --- getters --------------------------------------------------------------------------------

using Getter = JSValue (*)(JSContext*, VuApi&);

template <Getter G> JSValue getter(JSContext* ctx, JSValueConst, int, JSValueConst*) {
    return G(ctx, VuApi::of(ctx));
}

template <Getter G> void define_getter(JSContext* ctx, JSValueConst obj, const char* name) {
    JSAtom atom = JS_NewAtom(ctx, name);
    JS_DefinePropertyGetSet(ctx, obj, atom, js::new_function<&getter<G>>(ctx, name, 0),
                            JS_UNDEFINED, JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE);
    JS_FreeAtom(ctx, atom);
}

JSValue vu_id(JSContext* ctx, VuApi&) {
    return JS_NewInt64(ctx, static_cast<int64_t>(vu_outside_init(ctx, "VU").id()));
}
JSValue vu_id_in_test(JSContext* ctx, VuApi&) {
    return JS_NewInt64(ctx, static_cast<int64_t>(vu_outside_init(ctx, "VU").id_in_test()));
}
JSValue vu_iteration(JSContext* ctx, VuApi&) {
    return JS_NewInt64(ctx, static_cast<int64_t>(vu_outside_init(ctx, "VU").iteration()));
}
JSValue vu_iteration_in_scenario(JSContext* ctx, VuApi&) {
    auto& vu = vu_outside_init(ctx, "VU");
    return JS_NewInt64(ctx, static_cast<int64_t>(vu.execution().iteration_in_scenario));
}
JSValue vu_tags(JSContext* ctx, VuApi&) {
    vu_outside_init(ctx, "VU");
    return JS_NewObjectClass(ctx, static_cast<int>(g_tags_class));
}
JSValue scenario_name(JSContext* ctx, VuApi&) {
    return js::new_string(ctx, vu_outside_init(ctx, "scenario").execution().scenario);
}
JSValue scenario_executor(JSContext* ctx, VuApi&) {
    return js::new_string(ctx, vu_outside_init(ctx, "scenario").execution().executor);
}
JSValue scenario_start(JSContext* ctx, VuApi&) {
    auto& e = vu_outside_init(ctx, "scenario").execution();
    return JS_NewInt64(ctx, e.scenario_start_unix_ms);
}
JSValue scenario_progress(JSContext* ctx, VuApi&) {
    return JS_NewFloat64(ctx, vu_outside_init(ctx, "scenario").scenario_progress());
}
JSValue scenario_iteration_in_test(JSContext* ctx, VuApi&) {
    auto& e = vu_outside_init(ctx, "scenario").execution();
    return JS_NewInt64(ctx, static_cast<int64_t>(e.iteration_in_test));
}
JSValue scenario_iteration_in_instance(JSContext* ctx, VuApi&) {
    auto& e = vu_outside_init(ctx, "scenario").execution();
    return JS_NewInt64(ctx, static_cast<int64_t>(e.iteration_in_instance));
}
JSValue instance_vus_active(JSContext* ctx, VuApi& vu) {
    return JS_NewInt64(ctx, static_cast<int64_t>(vu.instance().vus_active));
}
JSValue instance_vus_initialized(JSContext* ctx, VuApi& vu) {
    return JS_NewInt64(ctx, static_cast<int64_t>(vu.instance().vus_initialized));
}
JSValue instance_completed(JSContext* ctx, VuApi& vu) {
    return JS_NewInt64(ctx, static_cast<int64_t>(vu.instance().iterations_completed));
}
JSValue instance_interrupted(JSContext* ctx, VuApi& vu) {
    return JS_NewInt64(ctx, static_cast<int64_t>(vu.instance().iterations_interrupted));
}
JSValue instance_duration(JSContext* ctx, VuApi& vu) {
    std::int64_t start = vu.instance().test_start_unix_ms;
    if (start == 0) {
        return JS_NewFloat64(ctx, 0);
    }
    return JS_NewFloat64(ctx,
                         static_cast<double>(now_unix_ns()) / 1e6 - static_cast<double>(start));
}
JSValue test_options(JSContext* ctx, VuApi& vu) {
    const std::string& json = vu.options_json();
    JSValue v = JS_ParseJSON(ctx, json.c_str(), json.size(), "<options>");
    if (JS_IsObject(v)) { // frozen, as in k6
        js::Value global(ctx, JS_GetGlobalObject(ctx));
        js::Value freeze = global.property("Object").property("freeze");
        JSValueConst argv[1] = {v};
        JS_FreeValue(ctx, JS_Call(ctx, freeze.get(), JS_UNDEFINED, 1, argv));
    }
    return v;
}

// --- test.abort / test.fail -----------------------------------------------------------------

std::string with_reason(const char* prefix, JSContext* ctx, int argc, JSValueConst* argv) {
    std::string msg = prefix;
    if (argc > 0 && !js::is_nullish(argv[0])) {
        msg += ": " + js::to_string_lossy(ctx, argv[0]);
    }
    return msg;
}

JSValue js_abort(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    std::string reason = with_reason("test aborted", ctx, argc, argv);
    VuApi::of(ctx).abort_test(reason);
    return js::throw_uncatchable(ctx, reason); // stop this VU's script now, like an interrupt
}

JSValue js_fail(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    log::write(log::Level::kError, with_reason("test marked as failed", ctx, argc, argv));
    VuApi::of(ctx).fail_test();
    return JS_UNDEFINED;
}

JSValue make_vu(JSContext* ctx) {
    JSValue vu = JS_NewObject(ctx);
    define_getter<&vu_id>(ctx, vu, "idInInstance");
    define_getter<&vu_id_in_test>(ctx, vu, "idInTest");
    define_getter<&vu_iteration>(ctx, vu, "iterationInInstance");
    define_getter<&vu_iteration_in_scenario>(ctx, vu, "iterationInScenario");
    define_getter<&vu_tags>(ctx, vu, "tags");
    JSValue metrics = JS_NewObject(ctx);
    define_getter<&vu_tags>(ctx, metrics, "tags");
    JS_SetPropertyStr(ctx, vu, "metrics", metrics);
    return vu;
}

JSValue make_scenario(JSContext* ctx) {
    JSValue sc = JS_NewObject(ctx);
    define_getter<&scenario_name>(ctx, sc, "name");
    define_getter<&scenario_executor>(ctx, sc, "executor");
    define_getter<&scenario_start>(ctx, sc, "startTime");
    define_getter<&scenario_progress>(ctx, sc, "progress");
    define_getter<&scenario_iteration_in_instance>(ctx, sc, "iterationInInstance");
    define_getter<&scenario_iteration_in_test>(ctx, sc, "iterationInTest");
    return sc;
}

JSValue make_instance(JSContext* ctx) {
    JSValue in = JS_NewObject(ctx);
    define_getter<&instance_vus_active>(ctx, in, "vusActive");
    define_getter<&instance_vus_initialized>(ctx, in, "vusInitialized");
    define_getter<&instance_completed>(ctx, in, "iterationsCompleted");
    define_getter<&instance_interrupted>(ctx, in, "iterationsInterrupted");
    define_getter<&instance_duration>(ctx, in, "currentTestRunDuration");
    return in;
}

JSValue make_test(JSContext* ctx) {
    JSValue t = JS_NewObject(ctx);
    js::set_function<&js_abort>(ctx, t, "abort", 1);
    js::set_function<&js_fail>(ctx, t, "fail", 1);
    define_getter<&test_options>(ctx, t, "options");
    return t;
}

int init(JSContext* ctx, JSModuleDef* m) {
    JSValue def = JS_NewObject(ctx);
    JSValue parts[4] = {make_vu(ctx), make_scenario(ctx), make_instance(ctx), make_test(ctx)};
    const char* names[4] = {"vu", "scenario", "instance", "test"};
    for (int i = 0; i < 4; ++i) {
        JS_SetPropertyStr(ctx, def, names[i], JS_DupValue(ctx, parts[i]));
        JS_SetModuleExport(ctx, m, names[i], parts[i]);
    }
    return JS_SetModuleExport(ctx, m, "default", def);
}

} // namespace

void register_execution_classes(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_tags_class); });
    JSClassDef def{};
    def.class_name = "VUTags";
    def.exotic = &g_tags_exotic;
    JS_NewClass(rt, g_tags_class, &def);
}

js::NativeModule execution_module() {
    return {"k6/execution", {"vu", "scenario", "instance", "test", "default"}, &init};
}

} // namespace volley::modules
