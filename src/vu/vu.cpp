#include "vu/vu.hpp"

#include <chrono>
#include <filesystem>

#include <boost/asio/post.hpp>

#include "js/native.hpp"
#include "modules/globals.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"
#include "vu/require.hpp"

namespace volley::vu {
namespace {

// The bundle decides which optional intrinsics VUs need; the VU compiling it (no bundle yet)
// keeps them all, since the script's sources are not known before it runs. That VU also gets a
// runtime of its own: it compiles (JS_SetStripInfo is per runtime).
js::RuntimeOptions runtime_options(const VuShared& shared) {
    js::RuntimeOptions o = shared.runtime_options;
    if (!shared.bundle) {
        o.contexts_per_runtime = 1;
    } else {
        o.intrinsics = shared.bundle->intrinsics();
    }
    return o;
}

} // namespace

JSValue env_object(JSContext* ctx, const std::map<std::string, std::string>& base,
                   const std::map<std::string, std::string>* extra) {
    // The values are strings shared by the VUs of a runtime group (js::Runtime::shared_string).
    js::Runtime& rt = js::Runtime::of(ctx);
    JSValue env = JS_NewObject(ctx);
    for (const auto& [k, v] : base) {
        JS_SetPropertyStr(ctx, env, k.c_str(), rt.shared_string(v));
    }
    if (extra != nullptr) {
        for (const auto& [k, v] : *extra) {
            JS_SetPropertyStr(ctx, env, k.c_str(), rt.shared_string(v));
        }
    }
    return env;
}

Vu::Vu(const VuShared& shared, std::uint64_t id, std::size_t worker, boost::asio::io_context& io,
       metrics::SampleSink& sink, std::unique_ptr<script::EntrySource> source, Yield yield)
    : shared_(shared), id_(id), worker_(worker), io_(io), sink_(sink),
      rt_(std::make_unique<js::Runtime>(runtime_options(shared))),
      loop_(std::make_unique<js::EventLoop>(*rt_, io)), source_(std::move(source)),
      sleep_timer_(io.get_executor()) {
    init(yield);
}

const script::Bundle& Vu::bundle() const {
    return shared_.bundle ? *shared_.bundle
                          : static_cast<script::BundleBuilder*>(source_.get())->partial();
}

Vu::~Vu() {
    *alive_ = false;
    // Values must go before the runtime (JS_FreeRuntime asserts that nothing leaked).
    exports_.reset();
    setup_data_.reset();
}

void Vu::init(Yield yield) {
    yield_ = &yield;
    rt_->enter();
    JSContext* ctx = rt_->context();
    rt_->set_user(static_cast<modules::VuApi*>(this));
    if (!shared_.bundle) {
        JS_AddIntrinsicEval(ctx); // the compiler: only the VU that builds the bundle parses source
        // Bytecode without each function's source text: every VU would hold a copy of every
        // module's source (Function.prototype.toString then shows `[native code]`).
        JS_SetStripInfo(rt_->runtime(), JS_STRIP_SOURCE);
    }
    modules::register_classes(rt_->runtime());
    modules::install_globals(ctx);
    install_require(ctx);
    set_globals();
    rt_->set_module_source(source_.get());
    reset_tags(nullptr);

    js::Value entry = source_->load_entry(ctx);
    script_dir_ = std::filesystem::path(bundle().entry()).parent_path().string();
    auto* module = static_cast<JSModuleDef*>(JS_VALUE_GET_PTR(entry.get()));
    const bool resolved = JS_ResolveModule(ctx, entry.get()) >= 0;
    if (std::string why = source_->load_error(); !why.empty()) {
        if (!resolved) {
            JS_FreeValue(ctx, JS_GetException(ctx));
        }
        throw UserError(why, "fix the script's imports (or the network) and run again",
                        ExitCode::kScriptException);
    }
    if (!resolved) {
        throw UserError(script::describe_compile_error(ctx, bundle()),
                        "fix the script (or its imports) and run again",
                        ExitCode::kScriptException);
    }
    js::Value result;
    auto evaluate = [&entry](JSContext* c) {
        // A module's evaluation is a promise; one rejected at once is the init context's own
        // exception, reported as such (k6 does not call it an unhandled rejection).
        JSValue p = JS_EvalFunction(c, entry.release());
        if (JS_PromiseState(c, p) == JS_PROMISE_REJECTED) {
            JS_Throw(c, JS_PromiseResult(c, p));
            JS_FreeValue(c, p);
            return JS_EXCEPTION;
        }
        return p;
    };
    if (auto err = run_on_loop(evaluate, result, yield)) {
        throw UserError(err->text_with_stack(),
                        rt_->memory_limit_reached()
                            ? "the init context reached the JS memory limit of " +
                                  std::to_string(shared_.runtime_options.memory_limit >> 20) +
                                  " MiB per VU; raise it with VOLLEY_VU_MEMORY_LIMIT=MiB"
                            : "the script's init context (global scope) threw",
                        ExitCode::kScriptException);
    }
    exports_ = js::Value(ctx, JS_GetModuleNamespace(ctx, module));
    in_init_ = false;
    yield_ = nullptr;
    rt_->tune_gc();
}

void Vu::set_globals() {
    JSContext* ctx = rt_->context();
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    JS_SetPropertyStr(ctx, global.get(), "__VU", JS_NewInt64(ctx, static_cast<int64_t>(id_)));
    JS_SetPropertyStr(ctx, global.get(), "__ENV", env_object(ctx, shared_.env, nullptr));
}

std::optional<js::ScriptError> Vu::run_on_loop(const std::function<JSValue(JSContext*)>& call,
                                               js::Value& result, Yield yield) {
    JSContext* ctx = rt_->context();
    auto first = [&] {
        result = js::Value(ctx, call(ctx));
        return !result.is_exception();
    };
    if (!loop_->run(first, yield)) {
        std::optional<js::ScriptError> err = loop_->take_error();
        if (!err && JS_HasException(ctx)) {
            err = js::take_exception(ctx);
        }
        if (!err) { // interrupted while waiting: no JS was running
            err = js::ScriptError{};
            err->message = "interrupted";
            err->uncatchable = true;
        }
        loop_->abandon();
        http_state_.drain(io_, yield); // asyncRequest coroutines still using this VU
        return err;
    }
    // k6's unPromisify: a promise stands for its result (undefined while pending).
    switch (JS_PromiseState(ctx, result.get())) {
    case JS_PROMISE_FULFILLED:
    case JS_PROMISE_REJECTED:
        result = js::Value(ctx, JS_PromiseResult(ctx, result.get()));
        break;
    case JS_PROMISE_PENDING:
        result = js::Value();
        break;
    default:
        break; // not a promise
    }
    return std::nullopt;
}

std::string Vu::exported_options_json() {
    js::Value options = exports_.property("options");
    if (js::is_nullish(options.get())) {
        return "{}";
    }
    auto json = js::json_stringify(rt_->context(), options.get());
    return json ? *json : "{}";
}

std::set<std::string> Vu::exported_functions() {
    JSContext* ctx = rt_->context();
    std::set<std::string> out;
    std::vector<std::string> keys;
    if (!js::own_keys(ctx, exports_.get(), keys)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return out;
    }
    for (const auto& k : keys) {
        if (JS_IsFunction(ctx, exports_.property(k.c_str()).get())) {
            out.insert(k);
        } else if (k == "setup" || k == "teardown") { // k6's bundle check
            throw UserError("exported '" + k + "' must be a function",
                            "export " + k + " as a function, or do not export it",
                            ExitCode::kGeneric);
        }
    }
    return out;
}

void Vu::reset_tags(const exec::IterationContext* ctx) {
    const auto& sys = shared_.settings.system_tags;
    tags_ = shared_.settings.run_tags;
    if (ctx != nullptr && ctx->scenario_tags != nullptr) {
        for (const auto& [k, v] : *ctx->scenario_tags) {
            tags_[k] = v;
        }
    }
    if (sys.count("scenario") != 0 && ctx != nullptr && ctx->scenario != nullptr) {
        tags_["scenario"] = *ctx->scenario;
    }
    group_.clear();
    if (sys.count("group") != 0) {
        tags_["group"] = "";
    }
    tag_set_.reset();
}

metrics::TagSetId Vu::tag_set() {
    if (!tag_set_) {
        tag_set_ = shared_.interner->intern(tags_);
    }
    return *tag_set_;
}

metrics::TagSetId Vu::tag_set_with(const metrics::TagMap& extra) {
    const metrics::TagSetId base = tag_set();
    if (extra.empty()) {
        return base;
    }
    if (derived_base_ != base) {
        derived_tags_.clear();
        derived_base_ = base;
    }
    for (const auto& d : derived_tags_) {
        if (d.extra == extra) {
            return d.id;
        }
    }
    metrics::TagMap merged = tags_;
    for (const auto& [k, v] : extra) {
        merged[k] = v;
    }
    const metrics::TagSetId id = shared_.interner->intern(merged);
    if (derived_tags_.size() == kMaxDerivedTags) {
        derived_tags_.erase(derived_tags_.begin());
    }
    derived_tags_.push_back({extra, id});
    return id;
}

void Vu::delete_tag(const std::string& key) {
    if (tags_.erase(key) != 0) {
        tag_set_.reset();
    }
}

void Vu::set_tag(const std::string& key, const std::string& value) {
    tags_[key] = value;
    tag_set_.reset();
}

void Vu::set_group_path(const std::string& path) {
    group_ = path;
    if (shared_.settings.system_tags.count("group") != 0) {
        tags_["group"] = path;
        tag_set_.reset();
    }
}

void Vu::emit(metrics::MetricId metric, metrics::TagSetId tags, double value,
              std::int64_t time_ns) {
    if (interrupted()) {
        return; // k6 drops samples pushed after the VU's context ended
    }
    sink_.add(metrics::Sample{metric, tags, time_ns, value});
}

std::shared_ptr<const std::string> Vu::read_file(const std::string& abs_path, std::string* error) {
    return bundle().files().get(abs_path, error);
}

modules::VuApi::SuspendingYield Vu::yield() {
    VOLLEY_CHECK(yield_ != nullptr);
    return {*rt_, *yield_};
}

void Vu::sleep(double seconds) {
    if (interrupted()) {
        return;
    }
    sleep_timer_.expires_after(
        std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds)));
    boost::system::error_code ec;
    sleep_timer_.async_wait(yield()[ec]);
}

int Vu::add_interrupt_hook(std::function<void()> hook) {
    hooks_[next_hook_] = std::move(hook);
    return next_hook_++;
}

void Vu::remove_interrupt_hook(int id) {
    hooks_.erase(id);
}

void Vu::run_interrupt_hooks() {
    sleep_timer_.cancel();
    loop_->notify_later();
    http_state_.cancel();
    auto hooks = hooks_; // a hook may remove itself
    for (auto& [id, hook] : hooks) {
        hook();
    }
}

modules::InstanceInfo Vu::instance() const {
    modules::InstanceInfo info;
    const exec::ExecutionState* st = shared_.control != nullptr ? shared_.control->state : nullptr;
    if (st != nullptr) {
        info.vus_active = st->vus_active.load(std::memory_order_relaxed);
        info.vus_initialized = st->vus_initialized.load(std::memory_order_relaxed);
        info.iterations_completed = st->iterations_completed.load(std::memory_order_relaxed);
        info.iterations_interrupted = st->iterations_interrupted.load(std::memory_order_relaxed);
        info.test_start_unix_ms = st->test_start_unix_ms.load(std::memory_order_relaxed);
    }
    return info;
}

double Vu::scenario_progress() const {
    if (shared_.control == nullptr || !shared_.control->scenario_progress) {
        return 0;
    }
    return shared_.control->scenario_progress(exec_info_.scenario);
}

std::uint64_t Vu::id_in_test() const {
    if (id_ == 0 || shared_.control == nullptr || !shared_.control->id_in_test) {
        return id_;
    }
    return shared_.control->id_in_test(id_);
}

const std::string& Vu::options_json() const {
    static const std::string kEmpty = "{}";
    return shared_.control != nullptr ? shared_.control->options_json : kEmpty;
}

void Vu::abort_test(const std::string& reason) {
    if (shared_.control != nullptr && shared_.control->abort) {
        shared_.control->abort(reason);
    }
}

void Vu::fail_test() {
    if (shared_.control != nullptr) {
        shared_.control->failed.store(true);
    }
}

void Vu::interrupt() {
    interrupted_.store(true, std::memory_order_relaxed);
    rt_->interrupt();
    boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (auto a = alive.lock(); a && *a) {
            run_interrupt_hooks();
        }
    });
}

} // namespace volley::vu
