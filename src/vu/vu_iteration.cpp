// Running exported functions on a VU: iterations (exec::Vu) and setup/teardown.

#include <chrono>
#include <unordered_set>

#include "modules/vu_api.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"
#include "vu/vu.hpp"

namespace volley::vu {
namespace {

log::RateLimit g_iteration_errors(10, std::chrono::seconds(5));

double ms_since(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

} // namespace

void Vu::set_iteration_globals(const exec::IterationContext& ctx) {
    JSContext* jctx = rt_->context();
    js::Value global(jctx, JS_GetGlobalObject(jctx));
    JS_SetPropertyStr(jctx, global.get(), "__ITER",
                      JS_NewInt64(jctx, static_cast<int64_t>(iteration_)));
    if (ctx.scenario_env != env_scenario_) {
        // A scenario without env of its own keeps the __ENV of the init context (as k6, which
        // replaces __ENV only for a scenario with env): no rebuild of every variable per VU.
        auto none = [](const std::map<std::string, std::string>* env) {
            return env == nullptr || env->empty();
        };
        bool rebuild = !(none(ctx.scenario_env) && none(env_scenario_));
        env_scenario_ = ctx.scenario_env;
        if (rebuild) {
            JS_SetPropertyStr(jctx, global.get(), "__ENV",
                              env_object(jctx, shared_.env, ctx.scenario_env));
        }
    }
    exec_info_.scenario = ctx.scenario != nullptr ? *ctx.scenario : "default";
    exec_info_.executor = ctx.executor != nullptr ? *ctx.executor : "";
    exec_info_.iteration_in_scenario = ctx.iteration_in_scenario;
    exec_info_.iteration_in_instance = ctx.iteration_in_instance;
    exec_info_.iteration_in_test = ctx.iteration_in_test;
    exec_info_.scenario_start_unix_ms = ctx.scenario_start_unix_ms;
}

js::Value& Vu::iteration_argument() {
    JSContext* ctx = rt_->context();
    if (setup_data_.is_undefined() && setup_json_ != nullptr && !setup_json_->empty()) {
        setup_data_ = js::Value(
            ctx, JS_ParseJSON(ctx, setup_json_->c_str(), setup_json_->size(), "<setup data>"));
        if (setup_data_.is_exception()) {
            JS_FreeValue(ctx, JS_GetException(ctx));
            setup_data_ = js::Value();
        }
    }
    return setup_data_;
}

void Vu::log_iteration_error(const js::ScriptError& err, const exec::IterationContext& ctx) {
    std::uint64_t suppressed = 0;
    bool allowed = g_iteration_errors.allow(suppressed);
    if (suppressed > 0) {
        log::write(log::Level::kWarn,
                   std::to_string(suppressed) + " more iteration errors were not logged");
    }
    if (allowed) {
        log::Fields fields{{"executor", ctx.executor != nullptr ? *ctx.executor : ""},
                           {"scenario", ctx.scenario != nullptr ? *ctx.scenario : ""}};
        if (!err.rejection) { // k6 marks exceptions only (lib/executor/helpers.go)
            fields.emplace_back("source", "stacktrace");
        }
        log::write(log::Level::kError, err.text_with_stack(), fields);
    }
}

void Vu::stop_at_memory_limit() {
    std::size_t mib = shared_.runtime_options.memory_limit >> 20;
    // The runtime's VUs share the heap (js/runtime_group.hpp): VU id_ is one of them, not
    // necessarily the one that allocated.
    abort_test("JS memory limit reached: the VUs sharing a runtime with VU " + std::to_string(id_) +
               " hold more than their " + std::to_string(mib) +
               " MiB each, so the test stops (set another limit with VOLLEY_VU_MEMORY_LIMIT=MiB, "
               "0 for none)");
}

void Vu::emit_iteration_samples(bool completed, double duration_ms) {
    const auto& b = shared_.registry->builtins();
    std::int64_t now = now_unix_ns();
    metrics::TagSetId tags = tag_set();
    // data_sent/data_received are emitted for interrupted iterations too (k6-behaviour.md §3.1).
    sink_.add({b.data_sent, tags, now, static_cast<double>(bytes_sent_)});
    sink_.add({b.data_received, tags, now, static_cast<double>(bytes_received_)});
    bytes_sent_ = 0;
    bytes_received_ = 0;
    if (completed) {
        sink_.add({b.iteration_duration, tags, now, duration_ms});
        sink_.add({b.iterations, tags, now, 1.0});
    }
}

void Vu::clear_interrupt() {
    interrupted_.store(false, std::memory_order_relaxed);
    rt_->clear_interrupt();
}

exec::IterationResult Vu::run_iteration(const exec::IterationContext& ctx, Yield yield) {
    clear_interrupt();
    yield_ = &yield;
    rt_->enter();
    http_state_.start_iteration(shared_.settings);
    if (tags_scenario_ != ctx.scenario || group_.size() != 0) {
        tags_scenario_ = ctx.scenario;
        reset_tags(&ctx);
    }
    set_iteration_globals(ctx);
    auto start = SteadyClock::now();
    js::Value fn = exports_.property(ctx.exec != nullptr ? ctx.exec->c_str() : "default");
    js::Value result;
    auto call = [&](JSContext* c) {
        JSValueConst argv[1] = {iteration_argument().get()};
        return JS_Call(c, fn.get(), JS_UNDEFINED, 1, argv);
    };
    std::optional<js::ScriptError> err = run_on_loop(call, result, yield);
    double took = ms_since(start);
    result.reset();
    exec::IterationResult outcome = exec::IterationResult::kCompleted;
    if (rt_->memory_limit_reached()) { // even if the script caught the out-of-memory error
        stop_at_memory_limit();
        outcome = exec::IterationResult::kInterrupted;
    } else if (err) {
        if (err->uncatchable || interrupted()) {
            outcome = exec::IterationResult::kInterrupted;
        } else {
            log_iteration_error(*err, ctx);
            outcome = exec::IterationResult::kFailed;
        }
    } else if (interrupted()) {
        outcome = exec::IterationResult::kInterrupted;
    }
    if (outcome != exec::IterationResult::kInterrupted &&
        std::chrono::duration<double, std::milli>(shared_.min_iteration_duration).count() > took) {
        // minIterationDuration: pad the iteration (interruptible, like sleep()).
        sleep((std::chrono::duration<double, std::milli>(shared_.min_iteration_duration).count() -
               took) /
              1000.0);
        took = ms_since(start);
    }
    emit_iteration_samples(outcome != exec::IterationResult::kInterrupted, took);
    ++iteration_;
    yield_ = nullptr;
    return outcome;
}

namespace {

// Whether `v` is or holds a function among its own enumerable properties, as far down as
// `depth` levels, each object looked at once (`seen`). k6 exports setup()'s value to Go before
// marshalling it, and a function there fails the marshalling, where JSON.stringify would
// silently drop it.
bool holds_function(JSContext* ctx, JSValueConst v, int depth, std::unordered_set<void*>& seen) {
    if (JS_IsFunction(ctx, v)) {
        return true;
    }
    if (!JS_IsObject(v) || depth == 0 || !seen.insert(JS_VALUE_GET_PTR(v)).second) {
        return false;
    }
    std::vector<std::string> keys;
    if (!js::own_keys(ctx, v, keys)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return false;
    }
    for (const auto& key : keys) {
        js::Value child(ctx, JS_GetPropertyStr(ctx, v, key.c_str()));
        if (holds_function(ctx, child.get(), depth - 1, seen)) {
            return true;
        }
    }
    return false;
}

constexpr int kSetupDataDepth = 64;

} // namespace

std::string Vu::setup_data_json(JSContext* ctx, JSValueConst data) {
    const std::string prefix = "error marshaling setup() data to JSON: ";
    const char* hint = "return only JSON data (objects, arrays, strings, numbers) from setup()";
    std::unordered_set<void*> seen;
    if (holds_function(ctx, data, kSetupDataDepth, seen)) {
        throw UserError(prefix + "json: unsupported type: func(sobek.FunctionCall) sobek.Value",
                        hint, ExitCode::kGeneric);
    }
    auto json = js::json_stringify(ctx, data);
    if (!json && JS_HasException(ctx)) { // a cycle, a BigInt, a throwing toJSON
        js::Value exc(ctx, JS_GetException(ctx));
        throw UserError(prefix + js::to_string_lossy(ctx, exc.get()), hint, ExitCode::kGeneric);
    }
    return json ? *json : std::string();
}

std::string Vu::call_lifecycle(const std::string& name, const std::string& arg_json,
                               const std::string& group, Yield yield) {
    JSContext* ctx = rt_->context();
    js::Value fn = exports_.property(name.c_str());
    if (!JS_IsFunction(ctx, fn.get())) {
        return {};
    }
    clear_interrupt(); // the lifecycle VU may have been interrupted in an earlier call
    yield_ = &yield;
    rt_->enter();
    reset_tags(nullptr);
    set_group_path(group);
    js::Value arg;
    if (!arg_json.empty()) {
        arg = js::Value(ctx, JS_ParseJSON(ctx, arg_json.c_str(), arg_json.size(), "<data>"));
    }
    js::Value result;
    auto call = [&](JSContext* c) {
        JSValueConst argv[1] = {arg.get()};
        return JS_Call(c, fn.get(), JS_UNDEFINED, arg_json.empty() ? 0 : 1, argv);
    };
    std::optional<js::ScriptError> err = run_on_loop(call, result, yield);
    emit_iteration_samples(false, 0);
    yield_ = nullptr;
    set_group_path("");
    if (err) {
        throw UserError(err->text_with_stack(), name + "() threw an exception",
                        ExitCode::kScriptException);
    }
    if (name == "setup") {
        return setup_data_json(ctx, result.get());
    }
    auto json = js::json_stringify(ctx, result.get());
    return json ? *json : std::string();
}

} // namespace volley::vu

namespace volley::vu {
namespace {

// One value of handleSummary's result: a string, or an ArrayBuffer's bytes.
std::string summary_output(JSContext* ctx, JSValueConst v) {
    std::size_t size = 0;
    if (JS_IsObject(v)) {
        if (std::uint8_t* data = JS_GetArrayBuffer(ctx, &size, v)) {
            return std::string(reinterpret_cast<const char*>(data), size);
        }
        JS_FreeValue(ctx, JS_GetException(ctx));
    }
    return js::to_string_lossy(ctx, v);
}

} // namespace

HandleSummaryResult Vu::call_handle_summary(const std::string& data_json, Yield yield) {
    HandleSummaryResult out;
    JSContext* ctx = rt_->context();
    js::Value fn = exports_.property("handleSummary");
    if (!JS_IsFunction(ctx, fn.get())) {
        return out;
    }
    out.defined = true;
    clear_interrupt();
    yield_ = &yield;
    rt_->enter();
    js::Value data(ctx, JS_ParseJSON(ctx, data_json.c_str(), data_json.size(), "<summary>"));
    js::Value result;
    auto call = [&](JSContext* c) {
        JSValueConst argv[1] = {data.get()};
        return JS_Call(c, fn.get(), JS_UNDEFINED, 1, argv);
    };
    std::optional<js::ScriptError> err = run_on_loop(call, result, yield);
    yield_ = nullptr;
    if (err) {
        out.error = err->text_with_stack();
        out.threw = true;
        return out;
    }
    if (js::is_nullish(result.get())) {
        return out;
    }
    if (!JS_IsObject(result.get()) || JS_IsFunction(ctx, result.get())) {
        out.error = "handleSummary() should return a map with string keys";
        return out;
    }
    out.replaces = true;
    std::vector<std::string> keys;
    js::own_keys(ctx, result.get(), keys);
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, result.get(), k.c_str()));
        out.outputs.emplace_back(k, summary_output(ctx, v.get()));
    }
    return out;
}

} // namespace volley::vu
