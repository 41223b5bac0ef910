#pragma once

// A SharedArray as a script sees it (k6's wrappedSharedArray, a Sobek dynamic array: share.go
// and sobek's object_dynamic.go). It is a Proxy of an empty Array, so Array.isArray,
// JSON.stringify, Object.prototype.toString and `instanceof Array` see an array, whose native
// handler serves the test's SharedArrayData: `length`, and each element parsed from its JSON
// text at every read (a fresh, deeply frozen copy, as in k6) and never kept. Writes throw k6's
// TypeErrors ("SharedArray is immutable" for indexes and length, Sobek's dynamic-array texts for
// other keys). A VU holds only the proxy, its handler and a reference to the shared data.
//
// Known differences from k6 (scripts are ES modules, hence strict code): where Sobek returns
// false without throwing, for Reflect.set/defineProperty/deleteProperty/preventExtensions, this
// throws the TypeError strict code gets in k6; Object.keys and for..in read (parse) every
// element, where Sobek only counts them.

#include <memory>

#include "quickjs.h"

#include "modules/shared_array_data.hpp"

namespace volley::modules {

// Registers the handler class in a new runtime.
void register_shared_array_class(JSRuntime* rt);

// A new SharedArray of `ctx` over `data`. Throws js::PendingException when QuickJS fails.
JSValue new_shared_array(JSContext* ctx, std::shared_ptr<const SharedArrayData> data);

} // namespace volley::modules
