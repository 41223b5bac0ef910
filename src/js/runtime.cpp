#include "js/runtime.hpp"

#include <algorithm>

#include "util/error.hpp"

namespace volley::js {

Runtime::Runtime(const RuntimeOptions& options) {
    rt_ = JS_NewRuntime();
    VOLLEY_CHECK(rt_ != nullptr);
    JS_SetRuntimeOpaque(rt_, this);
    JS_SetMaxStackSize(rt_, options.max_stack_bytes);
    if (options.memory_limit != 0) {
        JS_SetMemoryLimit(rt_, options.memory_limit);
    }
    JS_SetInterruptHandler(rt_, &Runtime::on_interrupt, this);
    JS_SetModuleLoaderFunc(rt_, &Runtime::on_normalize, &Runtime::on_load_module, this);
    JS_SetCanBlock(rt_, 0);

    // A raw context with only what k6 scripts use (each intrinsic costs memory per VU:
    // docs/architecture.md, "Measured choices"). No Eval: scripts are loaded from bytecode.
    ctx_ = JS_NewContextRaw(rt_);
    VOLLEY_CHECK(ctx_ != nullptr);
    JS_AddIntrinsicBaseObjects(ctx_);
    JS_AddIntrinsicDate(ctx_);
    JS_AddIntrinsicRegExpCompiler(ctx_);
    JS_AddIntrinsicRegExp(ctx_);
    JS_AddIntrinsicJSON(ctx_);
    JS_AddIntrinsicMapSet(ctx_);
    JS_AddIntrinsicPromise(ctx_);
    if (options.typed_arrays) {
        JS_AddIntrinsicTypedArrays(ctx_);
    }
}

Runtime::~Runtime() {
    for (const auto& [name, a] : atoms_) {
        JS_FreeAtomRT(rt_, a);
    }
    JS_FreeContext(ctx_);
    JS_FreeRuntime(rt_);
}

JSAtom Runtime::atom(std::string_view name) {
    if (auto it = atoms_.find(name); it != atoms_.end()) {
        return JS_DupAtom(ctx_, it->second);
    }
    JSAtom a = JS_NewAtomLen(ctx_, name.data(), name.size());
    if (a != JS_ATOM_NULL && atoms_.size() < kMaxCachedAtoms) {
        atoms_.emplace(std::string(name), JS_DupAtom(ctx_, a));
    }
    return a;
}

int Runtime::on_interrupt(JSRuntime* /*rt*/, void* opaque) {
    return static_cast<Runtime*>(opaque)->interrupted() ? 1 : 0;
}

JSModuleDef* Runtime::on_load_module(JSContext* ctx, const char* name, void* opaque) {
    auto* self = static_cast<Runtime*>(opaque);
    if (self->module_source_ == nullptr) {
        JS_ThrowReferenceError(ctx, "could not load module '%s'", name);
        return nullptr;
    }
    return self->module_source_->load(ctx, name);
}

char* Runtime::on_normalize(JSContext* ctx, const char* base, const char* name, void* opaque) {
    auto* self = static_cast<Runtime*>(opaque);
    if (self->module_source_ == nullptr) {
        return js_strdup(ctx, name);
    }
    return self->module_source_->normalize(ctx, base, name);
}

bool Runtime::run_jobs() {
    JSContext* job_ctx = nullptr;
    for (;;) {
        int r = JS_ExecutePendingJob(rt_, &job_ctx);
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
    JS_ComputeMemoryUsage(rt_, &usage);
    auto used = static_cast<double>(usage.malloc_size);
    JS_SetGCThreshold(rt_, static_cast<std::size_t>(std::max(used * factor, 256.0 * 1024)));
}

} // namespace volley::js
