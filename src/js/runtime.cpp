#include "js/runtime.hpp"

#include <algorithm>

#include "js/additions.hpp"
#include "util/error.hpp"

namespace volley::js {

Runtime::Runtime(const RuntimeOptions& options) : group_(RuntimeGroup::join(options)) {
    // A raw context with only what k6 scripts use (each intrinsic costs memory per VU:
    // docs/architecture.md, "Measured choices"). No Eval: scripts are loaded from bytecode.
    group_->add_member(); // first: the group's memory limit grows with its members
    ctx_ = JS_NewContextRaw(group_->runtime());
    if (ctx_ == nullptr) {
        group_->remove_member(this);
        throw UserError("could not create a VU's JS context: out of memory",
                        "the VUs of a runtime reached their JS memory limit; raise it with "
                        "VOLLEY_VU_MEMORY_LIMIT=MiB",
                        ExitCode::kScriptException);
    }
    JS_SetContextOpaque(ctx_, this);
    JS_AddIntrinsicBaseObjects(ctx_);
    JS_AddIntrinsicDate(ctx_);
    if (options.intrinsics.regexp) {
        JS_AddIntrinsicRegExpCompiler(ctx_);
        JS_AddIntrinsicRegExp(ctx_);
    }
    JS_AddIntrinsicJSON(ctx_);
    if (options.intrinsics.map_set) {
        JS_AddIntrinsicMapSet(ctx_);
    }
    JS_AddIntrinsicPromise(ctx_);
    if (options.intrinsics.typed_arrays) {
        JS_AddIntrinsicTypedArrays(ctx_);
    }
}

Runtime::~Runtime() {
    JS_DropPendingJobsOf(ctx_);
    JS_FreeContext(ctx_);
    group_->remove_member(this);
}

void Runtime::enter() {
    group_->set_active(this);
    JS_SetRunState(group_->runtime(), nullptr, 0, 0);
    JS_UpdateStackTop(group_->runtime());
}

Runtime::Suspension::Suspension(Runtime& rt) : rt_(rt) {
    VOLLEY_ASSERT(rt.active());
    JS_GetRunState(rt.runtime(), &frame_, &stack_top_, &stack_limit_);
}

Runtime::Suspension::~Suspension() {
    rt_.group_->set_active(&rt_);
    JS_SetRunState(rt_.runtime(), frame_, stack_top_, stack_limit_);
}

JSModuleDef* Runtime::on_load_module(JSContext* ctx, const char* name, void* /*opaque*/) {
    Runtime& self = of(ctx);
    if (self.module_source_ == nullptr) {
        JS_ThrowReferenceError(ctx, "could not load module '%s'", name);
        return nullptr;
    }
    return self.module_source_->load(ctx, name);
}

char* Runtime::on_normalize(JSContext* ctx, const char* base, const char* name, void* /*opaque*/) {
    Runtime& self = of(ctx);
    if (self.module_source_ == nullptr) {
        return js_strdup(ctx, name);
    }
    return self.module_source_->normalize(ctx, base, name);
}

void Runtime::on_rejection(JSContext* ctx, JSValueConst promise, JSValueConst reason,
                           int is_handled, void* /*opaque*/) {
    Runtime& self = of(ctx);
    if (self.rejections_) {
        self.rejections_(promise, reason, is_handled != 0);
    }
}

bool Runtime::run_jobs() {
    for (;;) {
        int r = JS_ExecutePendingJobOf(ctx_);
        if (r == 0) {
            return true;
        }
        if (r < 0) {
            return false;
        }
    }
}

void Runtime::tune_gc(double factor) {
    JSMemoryUsage usage{};
    JS_ComputeMemoryUsage(runtime(), &usage);
    auto used = static_cast<double>(usage.malloc_size);
    JS_SetGCThreshold(runtime(), static_cast<std::size_t>(std::max(used * factor, 256.0 * 1024)));
}

} // namespace volley::js
