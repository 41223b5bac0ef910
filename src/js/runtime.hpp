#pragma once

// One QuickJS runtime + context: one per VU (docs/architecture.md, "Measured choices"). Created,
// used and destroyed on one thread; may run on different coroutine stacks as long as enter() is
// called at every top-level entry into JS from a new stack position (it calls JS_UpdateStackTop).

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "quickjs.h"

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

struct RuntimeOptions {
    // JS stack limit; must stay below the coroutine stack (exec::kVuStackBytes) with a margin.
    std::size_t max_stack_bytes = std::size_t{384} * 1024;
    // Heap limit in bytes; 0 = none.
    std::size_t memory_limit = 0;
    // ArrayBuffer and typed arrays (k6/ws needs ArrayBuffer for binary messages).
    bool typed_arrays = true;
};

class Runtime {
public:
    explicit Runtime(const RuntimeOptions& options = {});
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    JSRuntime* runtime() const { return rt_; }
    JSContext* context() const { return ctx_; }

    // Must be called before running JS from a stack other than the last one used.
    void enter() { JS_UpdateStackTop(rt_); }

    // Thread-safe: while set, running JS is stopped at the next interrupt check with an
    // uncatchable "interrupted" error. Cleared with clear_interrupt().
    void interrupt() { interrupted_.store(true, std::memory_order_relaxed); }
    void clear_interrupt() { interrupted_.store(false, std::memory_order_relaxed); }
    bool interrupted() const { return interrupted_.load(std::memory_order_relaxed); }

    // Module resolution for `import`; `source` must outlive the runtime.
    void set_module_source(ModuleSource* source) { module_source_ = source; }

    // Runs queued promise jobs until none is left. Returns false if one threw (the exception is
    // left pending in the context).
    bool run_jobs();

    // A new reference to the atom of `name` (the caller frees it with JS_FreeAtom). The first
    // kMaxCachedAtoms names asked for are kept by the runtime in a hash map, so names used again
    // and again (response fields, header names) cost one hash and no QuickJS atom-table lookup.
    JSAtom atom(std::string_view name);
    static constexpr std::size_t kMaxCachedAtoms = 256;

    // The Runtime of a context created by this class.
    static Runtime& of(JSContext* ctx) {
        return *static_cast<Runtime*>(JS_GetRuntimeOpaque(JS_GetRuntime(ctx)));
    }

    // Sets the next GC run at `factor` × the heap in use now (the default threshold never
    // collects cyclic garbage in long tests: docs/architecture.md, "Measured choices").
    void tune_gc(double factor = 1.5);

private:
    static int on_interrupt(JSRuntime* rt, void* opaque);
    static JSModuleDef* on_load_module(JSContext* ctx, const char* name, void* opaque);
    static char* on_normalize(JSContext* ctx, const char* base, const char* name, void* opaque);

    JSRuntime* rt_ = nullptr;
    JSContext* ctx_ = nullptr;
    std::atomic<bool> interrupted_{false};
    ModuleSource* module_source_ = nullptr;
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, JSAtom, NameHash, std::equal_to<>> atoms_; // see atom()
};

// Runtime::of(ctx).atom(name).
inline JSAtom atom(JSContext* ctx, std::string_view name) {
    return Runtime::of(ctx).atom(name);
}

} // namespace volley::js
