#pragma once

// Functions added to the build's copy of quickjs.c (cmake/quickjs_additions.c) that need
// QuickJS's internals. js/object_template.hpp declares the other two.

#include "quickjs.h"

extern "C" {
// `new Proxy(target, handler)`, also in a context made without the Proxy intrinsic (the global
// `Proxy` is not added). JS_EXCEPTION when target or handler is not an object.
JSValue JS_NewProxyObject(JSContext* ctx, JSValueConst target, JSValueConst handler);
// Object.freeze on `obj` and, deeply, on every object among its property values. Meant for fresh
// JSON.parse results. -1 with an exception pending on failure.
int JS_FreezeDeep(JSContext* ctx, JSValueConst obj);
}
