#pragma once

// Bytes in and out of JS the way k6's Go modules see them through Sobek: k6's common.ToBytes
// (a string as UTF-8, an ArrayBuffer, a Uint8Array or Uint8ClampedArray's view; anything else is
// refused with the Go type Sobek exports it as), Go string parameters, and Go strings and
// []byte results. Called on the VU's thread; failures throw js::Error / js::PendingException.

#include <string>
#include <string_view>

#include "quickjs.h"

namespace volley::modules {

// The Go type Sobek's Export() gives `v`, as k6's "invalid type %T" errors print it: "<nil>",
// "bool", "int64", "float64", "string", "[]uint8", "[]int16" ... for typed arrays, "*big.Int",
// "time.Time", "func(sobek.FunctionCall) sobek.Value", "[]interface {}" and
// "map[string]interface {}" (any other object, a DataView and an ArrayBuffer's wrapper
// included; an ArrayBuffer itself is "sobek.ArrayBuffer").
std::string go_type_name(JSContext* ctx, JSValueConst v);

// k6's common.ToBytes: the bytes of `v`, or js::Error "invalid type T, expected string, []byte
// or ArrayBuffer". A Symbol gives its description, as Sobek exports it.
std::string to_bytes(JSContext* ctx, JSValueConst v);

// A Go string parameter as Sobek fills it: "" for null and undefined, else ToString(v) as UTF-8.
std::string go_string_arg(JSContext* ctx, JSValueConst v);

// A new ArrayBuffer holding a copy of `bytes`.
JSValue new_array_buffer(JSContext* ctx, std::string_view bytes);

// Go's string(bytes) as Sobek hands it to JS: each byte that is not part of valid UTF-8 becomes
// U+FFFD.
JSValue new_go_string(JSContext* ctx, std::string_view bytes);

} // namespace volley::modules
