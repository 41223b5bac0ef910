#pragma once

// k6/websockets' Blob (k6's internal/js/modules/k6/websockets/blob.go): immutable bytes with a
// type, made by `new Blob(parts, options)` or for a binary message when binaryType is "blob".
// One constructor per VU (k6 makes a new one at every read of the export: k6-behaviour.md §8).

#include <string>

#include "quickjs.h"

namespace volley::modules {

void register_blob_class(JSRuntime* rt);

// The context's Blob constructor (made on first use).
JSValue blob_constructor(JSContext* ctx);

// A new Blob holding `bytes`, of type `type`.
JSValue new_blob(JSContext* ctx, std::string bytes, std::string type = {});

// The bytes of a Blob, or nullptr when `v` is not one.
const std::string* blob_bytes(JSValueConst v);

} // namespace volley::modules
