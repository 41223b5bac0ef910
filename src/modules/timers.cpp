#include "modules/timers.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "js/event_loop.hpp"
#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"

namespace volley::modules {
namespace {

constexpr const char* kTimerNames[] = {"setTimeout", "clearTimeout", "setInterval",
                                       "clearInterval"};

// The callback and its extra arguments, shared by the copies of the loop's task.
struct TimerCall {
    std::vector<js::Value> values; // the function, then its arguments
};

// k6 turns the delay into a Go time.Duration: NaN, ±Inf and values past int64 nanoseconds
// become math.MinInt64 (amd64's conversion), which is in the past, like negative delays.
std::chrono::steady_clock::duration delay_of(JSContext* ctx, JSValueConst v) {
    double ms = 0;
    if (JS_ToFloat64(ctx, &ms, v) < 0) {
        throw js::PendingException{};
    }
    double ns = ms * 1e6;
    if (!std::isfinite(ns) || ns <= 0 || ns >= 9.2e18) {
        return std::chrono::steady_clock::duration::zero();
    }
    return std::chrono::nanoseconds(static_cast<std::int64_t>(ns));
}

JSValue add_timer(JSContext* ctx, int argc, JSValueConst* argv, bool repeat) {
    const char* name = repeat ? "setInterval" : "setTimeout";
    JSValueConst fn = js::arg(argc, argv, 0);
    auto delay = delay_of(ctx, js::arg(argc, argv, 1));
    if (!JS_IsFunction(ctx, fn)) {
        throw js::Error(std::string(name) + "'s callback isn't a callable function");
    }
    auto call = std::make_shared<TimerCall>();
    call->values.push_back(js::Value::dup(ctx, fn));
    for (int i = 2; i < argc; ++i) {
        call->values.push_back(js::Value::dup(ctx, argv[i]));
    }
    js::EventLoop& loop = VuApi::of(ctx).event_loop();
    std::uint64_t id = loop.new_timer_id();
    auto task = [ctx, call] {
        std::vector<JSValueConst> args;
        args.reserve(call->values.size() - 1);
        for (std::size_t i = 1; i < call->values.size(); ++i) {
            args.push_back(call->values[i].get());
        }
        js::Value global(ctx, JS_GetGlobalObject(ctx));
        js::Value r(ctx, JS_Call(ctx, call->values[0].get(), global.get(),
                                 static_cast<int>(args.size()), args.data()));
        return !r.is_exception();
    };
    loop.add_timer(id, delay, repeat, task, std::string(name) + " " + std::to_string(id));
    return JS_NewInt64(ctx, static_cast<std::int64_t>(id));
}

JSValue js_set_timeout(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return add_timer(ctx, argc, argv, false);
}

JSValue js_set_interval(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return add_timer(ctx, argc, argv, true);
}

// clearTimeout and clearInterval are one function, as in k6: either clears any timer.
JSValue js_clear_timer(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    double id = 0;
    if (JS_ToFloat64(ctx, &id, js::arg(argc, argv, 0)) < 0) {
        throw js::PendingException{};
    }
    if (id >= 1 && id < 9.007199254740992e15 && id == std::floor(id)) {
        VuApi::of(ctx).event_loop().cancel_timer(static_cast<std::uint64_t>(id));
    }
    return JS_UNDEFINED;
}

int init_timers(JSContext* ctx, JSModuleDef* m) {
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    for (const char* name : kTimerNames) {
        if (JS_SetModuleExport(ctx, m, name, JS_GetPropertyStr(ctx, global.get(), name)) < 0) {
            return -1;
        }
    }
    return 0;
}

int init_experimental_timers(JSContext* ctx, JSModuleDef*) {
    js::throw_error(ctx, js::ErrorKind::kGoError,
                    "k6/experimental/timers has been graduated, and it's now globally available "
                    "as defined by standard WebAPIs. You just need to remove the import.");
    return -1;
}

} // namespace

void install_timers(JSContext* ctx) {
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    js::set_function<&js_set_timeout>(ctx, global.get(), "setTimeout", 2);
    js::set_function<&js_clear_timer>(ctx, global.get(), "clearTimeout", 1);
    js::set_function<&js_set_interval>(ctx, global.get(), "setInterval", 2);
    js::set_function<&js_clear_timer>(ctx, global.get(), "clearInterval", 1);
}

js::NativeModule timers_module() {
    return {"k6/timers", {std::begin(kTimerNames), std::end(kTimerNames)}, &init_timers};
}

js::NativeModule experimental_timers_module() {
    return {"k6/experimental/timers",
            {std::begin(kTimerNames), std::end(kTimerNames)},
            &init_experimental_timers};
}

} // namespace volley::modules
