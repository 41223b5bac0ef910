
/* ---- volley additions, appended to the build's copy of quickjs.c (cmake/QuickJS.cmake) ----
   Objects built again and again with the same plain data properties (k6/http's responses)
   otherwise make QuickJS create every intermediate shape anew: a shape lives only as long as an
   object uses it. These two functions make such an object from a live template in one step. */

/* A new object with the shape (properties, prototype) and class of `template_obj`, every property
   value undefined. The template's properties must all be plain data properties. */
JSValue JS_NewObjectLike(JSContext* ctx, JSValueConst template_obj) {
    JSObject* t = JS_VALUE_GET_OBJ(template_obj);
    JSShape* sh = t->shape;
    JSValue obj;
    JSObject* p;
    int i;

    obj = JS_NewObjectFromShape(ctx, js_dup_shape(sh), t->class_id);
    if (JS_IsException(obj))
        return obj;
    p = JS_VALUE_GET_OBJ(obj);
    for (i = 0; i < sh->prop_count; i++)
        p->prop[i].u.value = JS_UNDEFINED;
    return obj;
}

/* Sets the value of own property number `index` (definition order) of an object made by
   JS_NewObjectLike, taking `val` and freeing the old value. */
void JS_SetObjectSlot(JSContext* ctx, JSValueConst obj, int index, JSValue val) {
    JSObject* p = JS_VALUE_GET_OBJ(obj);
    set_value(ctx, &p->prop[index].u.value, val);
}

/* Whether a compiled module is an ES module in k6's sense (js/modules/resolution.go isESM): it
   imports, exports or awaits at top level. Anything else k6 runs as CommonJS. */
int JS_IsESModuleDef(JSModuleDef* m) {
    return m->req_module_entries_count > 0 || m->export_entries_count > 0 ||
           m->star_export_entries_count > 0 || m->import_entries_count > 0 || m->has_tla;
}

/* require(): loads the module `module_name` as imported from `base_name` (through the runtime's
   normalizer and loader), links and evaluates it now, and returns its namespace. A module whose
   evaluation does not settle at once (top-level await) is an error. */
JSValue JS_RequireModule(JSContext* ctx, const char* base_name, const char* module_name) {
    JSModuleDef* m;
    JSValue promise, ns;

    m = js_host_resolve_imported_module(ctx, base_name, module_name);
    if (!m)
        return JS_EXCEPTION;
    if (js_resolve_module(ctx, m) < 0) {
        js_free_modules(ctx, JS_FREE_MODULE_NOT_RESOLVED);
        return JS_EXCEPTION;
    }
    promise = JS_EvalFunction(ctx, JS_NewModuleValue(ctx, m));
    if (JS_IsException(promise))
        return JS_EXCEPTION;
    switch (JS_PromiseState(ctx, promise)) {
    case JS_PROMISE_REJECTED:
        JS_Throw(ctx, JS_PromiseResult(ctx, promise));
        JS_FreeValue(ctx, promise);
        return JS_EXCEPTION;
    case JS_PROMISE_PENDING:
        JS_FreeValue(ctx, promise);
        return JS_ThrowTypeError(ctx, "require() of a module with top-level await");
    default:
        break;
    }
    JS_FreeValue(ctx, promise);
    ns = JS_GetModuleNamespace(ctx, m);
    return ns;
}

/* A Proxy of `target` with `handler`, as `new Proxy(target, handler)` would make it, for native
   objects that must look like arrays (k6/data's SharedArray: Array.isArray, JSON.stringify and
   Object.prototype.toString see an Array through a proxy whose target is one). Registers the
   Proxy class in the runtime if the context was made without the Proxy intrinsic; the global
   `Proxy` stays as it was. */
JSValue JS_NewProxyObject(JSContext* ctx, JSValueConst target, JSValueConst handler) {
    JSRuntime* rt = ctx->rt;
    JSValueConst argv[2];

    if (!JS_IsRegisteredClass(rt, JS_CLASS_PROXY)) {
        if (init_class_range(rt, js_proxy_class_def, JS_CLASS_PROXY, countof(js_proxy_class_def)))
            return JS_ThrowOutOfMemory(ctx);
        rt->class_array[JS_CLASS_PROXY].exotic = &js_proxy_exotic_methods;
        rt->class_array[JS_CLASS_PROXY].call = js_proxy_call;
    }
    argv[0] = target;
    argv[1] = handler;
    return js_proxy_constructor(ctx, JS_UNDEFINED, 2, argv);
}

/* Object.freeze(obj), then the same for every object among its own property values, deeply (k6's
   deepFreeze of a SharedArray element). For fresh JSON.parse results: plain data properties, no
   cycles, no proxies. Returns -1 with an exception pending on failure, else 0. */
int JS_FreezeDeep(JSContext* ctx, JSValueConst obj) {
    JSObject* p;
    JSShapeProperty* prs;
    JSValue r;
    int i;

    if (!JS_IsObject(obj))
        return 0;
    r = js_object_seal(ctx, JS_UNDEFINED, 1, &obj, 1);
    if (JS_IsException(r))
        return -1;
    JS_FreeValue(ctx, r);
    p = JS_VALUE_GET_OBJ(obj); /* frozen: no fast array left, every value is in the shape */
    for (i = 0, prs = get_shape_prop(p->shape); i < p->shape->prop_count; i++, prs++) {
        if (prs->atom == JS_ATOM_NULL || (prs->flags & JS_PROP_TMASK) != JS_PROP_NORMAL)
            continue;
        if (JS_IsObject(p->prop[i].u.value) && JS_FreezeDeep(ctx, p->prop[i].u.value) < 0)
            return -1;
    }
    return 0;
}

/* ---- one runtime shared by the contexts of several VUs (js/runtime_group.hpp) ----
   Each VU runs on its own coroutine stack and may be suspended inside JS (sleep(), a blocking
   ws.connect). The runtime's record of where JS is running (the innermost stack frame and the
   stack bounds) belongs to the VU that runs, so it is saved when a VU is suspended and put back
   when it resumes. Promise jobs are run per context: another VU's jobs must not run on this VU's
   stack. */

void JS_GetRunState(JSRuntime* rt, void** frame, uintptr_t* stack_top, uintptr_t* stack_limit) {
    *frame = rt->current_stack_frame;
    *stack_top = rt->stack_top;
    *stack_limit = rt->stack_limit;
}

void JS_SetRunState(JSRuntime* rt, void* frame, uintptr_t stack_top, uintptr_t stack_limit) {
    rt->current_stack_frame = (JSStackFrame*)frame;
    rt->stack_top = stack_top;
    rt->stack_limit = stack_limit;
}

/* Like JS_ExecutePendingJob, for the first pending job of `ctx` only: < 0 if it threw, 0 if the
   context has none, 1 if one ran. */
int JS_ExecutePendingJobOf(JSContext* ctx) {
    JSRuntime* rt = ctx->rt;
    struct list_head* el;
    JSJobEntry* e = NULL;
    JSValue res;
    int i, ret;

    list_for_each(el, &rt->job_list) {
        JSJobEntry* j = list_entry(el, JSJobEntry, link);
        if (j->ctx == ctx) {
            e = j;
            break;
        }
    }
    if (!e)
        return 0;
    list_del(&e->link);
    res = e->job_func(ctx, e->argc, (JSValueConst*)e->argv);
    for (i = 0; i < e->argc; i++)
        JS_FreeValue(ctx, e->argv[i]);
    ret = JS_IsException(res) ? -1 : 1;
    JS_FreeValue(ctx, res);
    js_free(ctx, e);
    return ret;
}

/* Drops the pending jobs of `ctx` without running them (before JS_FreeContext: a job keeps a
   pointer to its context, not a reference). */
void JS_DropPendingJobsOf(JSContext* ctx) {
    JSRuntime* rt = ctx->rt;
    struct list_head *el, *el1;
    int i;

    list_for_each_safe(el, el1, &rt->job_list) {
        JSJobEntry* e = list_entry(el, JSJobEntry, link);
        if (e->ctx != ctx)
            continue;
        list_del(&e->link);
        for (i = 0; i < e->argc; i++)
            JS_FreeValue(ctx, e->argv[i]);
        js_free(ctx, e);
    }
}

/* The size of the last allocation of `rt` that failed on its memory limit (JS_SetMemoryLimit),
   0 if none did: the patched default allocator notes it in JSMallocState.opaque
   (cmake/QuickJS.cmake). */
size_t JS_MemoryLimitReached(JSRuntime* rt) {
    return (size_t)(uintptr_t)rt->malloc_state.opaque;
}

/* Forgets that the limit was reached (after a garbage collection made room). */
void JS_ClearMemoryLimitReached(JSRuntime* rt) {
    rt->malloc_state.opaque = NULL;
}

/* Bytes the runtime holds, as its allocator counts them. */
size_t JS_MallocSize(JSRuntime* rt) {
    return rt->malloc_state.malloc_size;
}

/* Zeroed ArrayBuffer storage, accounted as the default allocator does. calloc gives large
   blocks as fresh anonymous pages without writing them, so a big buffer costs memory only where
   the script writes. At the limit it goes the default way, which fails and marks the runtime. */
void* JS_CallocArrayBufferData(JSContext* ctx, size_t size) {
    JSMallocState* s = &ctx->rt->malloc_state;
    void* ptr;
    if (ctx->rt->mf.js_malloc != js_def_malloc || s->malloc_size + size > s->malloc_limit)
        return js_mallocz(ctx, size);
    ptr = calloc(1, size);
    if (!ptr) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    s->malloc_count++;
    s->malloc_size += js_def_malloc_usable_size(ptr) + MALLOC_OVERHEAD;
    return ptr;
}
