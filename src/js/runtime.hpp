#pragma once

// A VU's QuickJS context and the runtime it lives in (docs/architecture.md, "Measured choices").
// Created, used and destroyed on one thread; runs on the VU's coroutine stacks: enter() at every
// top-level entry into JS, and a Suspension around every suspension of the coroutine while JS may
// be running, because other VUs' contexts may share the runtime.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quickjs.h"

#include "js/runtime_group.hpp"

namespace volley::js {

// Resolves `import` names to modules for one runtime. load() returns the module, or nullptr with
// a JS exception pending in `ctx`.
class ModuleSource {
public:
    virtual ~ModuleSource() = default;
    // The name of the module `specifier` imported from module `base` (js_malloc'ed), or
    // nullptr with a JS exception pending.
    virtual char* normalize(JSContext* ctx, const char* base, const char* specifier) = 0;
    virtual JSModuleDef* load(JSContext* ctx, const char* name) = 0;
};

// The optional intrinsics of a context (script/intrinsic_use.hpp decides which a script needs).
struct Intrinsics {
    bool typed_arrays = true; // ArrayBuffer, DataView, typed arrays (k6/ws binary messages)
    bool regexp = true;       // RegExp and regular expression literals
    bool map_set = true;      // Map, Set, WeakMap, WeakSet
};

struct RuntimeOptions {
    // JS stack limit; must stay below the coroutine stack (exec::kVuStackBytes) with a margin.
    std::size_t max_stack_bytes = std::size_t{384} * 1024;
    // Heap limit in bytes per context; 0 = none. Contexts sharing a runtime pool their limits.
    std::size_t memory_limit = 0;
    Intrinsics intrinsics;
    // Contexts of one thread that may share a QuickJS runtime (js/runtime_group.hpp); 1 = a
    // runtime of its own.
    std::size_t contexts_per_runtime = 1;
};

// A VU's JS: one QuickJS context, in a runtime of its own or shared with other VUs of the thread
// (js/runtime_group.hpp).
class Runtime {
public:
    explicit Runtime(const RuntimeOptions& options = {});
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    JSRuntime* runtime() const { return group_->runtime(); }
    // Whether the runtime's memory limit was reached (RuntimeGroup::memory_limit_reached).
    bool memory_limit_reached() { return group_->memory_limit_reached(); }
    JSContext* context() const { return ctx_; }

    // Must be called at every top-level entry into this context's JS (none of its JS running):
    // makes it the group's active context, with no stack frame and the stack bounds of the
    // calling coroutine.
    void enter();
    // Whether this context's JS is the one the runtime runs now.
    bool active() const { return group_->active() == this; }

    // Brackets a suspension of the coroutine running this context's JS (other VUs of the group
    // may run meanwhile): saves the runtime's run state, and puts it back (making this context
    // active again) when destroyed.
    class Suspension {
    public:
        explicit Suspension(Runtime& rt);
        ~Suspension();
        Suspension(const Suspension&) = delete;
        Suspension& operator=(const Suspension&) = delete;

    private:
        Runtime& rt_;
        void* frame_ = nullptr;
        std::uintptr_t stack_top_ = 0;
        std::uintptr_t stack_limit_ = 0;
    };

    // Thread-safe: while set, running JS is stopped at the next interrupt check with an
    // uncatchable "interrupted" error. Cleared with clear_interrupt().
    void interrupt() { interrupted_.store(true, std::memory_order_relaxed); }
    void clear_interrupt() { interrupted_.store(false, std::memory_order_relaxed); }
    bool interrupted() const { return interrupted_.load(std::memory_order_relaxed); }

    // Module resolution for `import`; `source` must outlive the runtime.
    void set_module_source(ModuleSource* source) { module_source_ = source; }

    // Runs this context's queued promise jobs until none is left. Returns false if one threw
    // (the exception is left pending in the context).
    bool run_jobs();

    // Promise rejections of this context go to `tracker` (nullptr: ignored).
    using RejectionTracker =
        std::function<void(JSValueConst promise, JSValueConst reason, bool handled)>;
    void set_rejection_tracker(RejectionTracker tracker) { rejections_ = std::move(tracker); }

    // Whatever the embedder attaches to this context (the VU: modules::VuApi::of).
    void* user() const { return user_; }
    void set_user(void* user) { user_ = user; }

    // A new reference to the atom of `name` (the caller frees it with JS_FreeAtom); cached per
    // runtime (RuntimeGroup::atom).
    JSAtom atom(std::string_view name) { return group_->atom(ctx_, name); }

    // A JS string of `text` shared with the group's other contexts (RuntimeGroup::shared_string).
    JSValue shared_string(std::string_view text) { return group_->shared_string(ctx_, text); }

    // The Runtime of a context created by this class.
    static Runtime& of(JSContext* ctx) { return *static_cast<Runtime*>(JS_GetContextOpaque(ctx)); }

    // Sets the next GC run at `factor` × the runtime's heap in use now (the default threshold
    // never collects cyclic garbage in long tests: docs/architecture.md, "Measured choices").
    void tune_gc(double factor = 1.5);

private:
    friend class RuntimeGroup;
    static JSModuleDef* on_load_module(JSContext* ctx, const char* name, void* opaque);
    static char* on_normalize(JSContext* ctx, const char* base, const char* name, void* opaque);
    static void on_rejection(JSContext* ctx, JSValueConst promise, JSValueConst reason,
                             int is_handled, void* opaque);

    std::shared_ptr<RuntimeGroup> group_;
    JSContext* ctx_ = nullptr;
    std::atomic<bool> interrupted_{false};
    ModuleSource* module_source_ = nullptr;
    RejectionTracker rejections_;
    void* user_ = nullptr;
};

// Runtime::of(ctx).atom(name).
inline JSAtom atom(JSContext* ctx, std::string_view name) {
    return Runtime::of(ctx).atom(name);
}

} // namespace volley::js
