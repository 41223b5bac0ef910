#pragma once

// Functions added to the build's copy of quickjs.c (cmake/quickjs_additions.c) that need
// QuickJS's internals. js/object_template.hpp declares the other two.

#include <cstdint>

#include "quickjs.h"

extern "C" {
// `new Proxy(target, handler)`, also in a context made without the Proxy intrinsic (the global
// `Proxy` is not added). JS_EXCEPTION when target or handler is not an object.
JSValue JS_NewProxyObject(JSContext* ctx, JSValueConst target, JSValueConst handler);
// Object.freeze on `obj` and, deeply, on every object among its property values. Meant for fresh
// JSON.parse results. -1 with an exception pending on failure.
int JS_FreezeDeep(JSContext* ctx, JSValueConst obj);

// Where JS runs now in `rt`: the innermost stack frame and the stack bounds. A runtime shared by
// several VUs' contexts (js/runtime_group.hpp) gets the state of the VU that resumes.
void JS_GetRunState(JSRuntime* rt, void** frame, uintptr_t* stack_top, uintptr_t* stack_limit);
void JS_SetRunState(JSRuntime* rt, void* frame, uintptr_t stack_top, uintptr_t stack_limit);
// Runs the first pending promise job of `ctx` (not of the runtime's other contexts): < 0 if it
// threw, 0 if `ctx` has none, 1 if one ran.
int JS_ExecutePendingJobOf(JSContext* ctx);
// Drops the pending jobs of `ctx` unrun; call before JS_FreeContext.
void JS_DropPendingJobsOf(JSContext* ctx);
// The size of the last allocation of `rt` that failed on its memory limit (JS_SetMemoryLimit),
// 0 if none did since it was made or since JS_ClearMemoryLimitReached; the bytes it holds as its
// allocator counts them.
size_t JS_MemoryLimitReached(JSRuntime* rt);
void JS_ClearMemoryLimitReached(JSRuntime* rt);
size_t JS_MallocSize(JSRuntime* rt);
}
