#pragma once

// k6/crypto's Hasher (crypto.go's Hasher): an object with own methods update(input) and
// digest(encoding) over a running Digest. Used by modules/crypto.cpp; VU thread only.

#include <memory>
#include <string>
#include <string_view>

#include "quickjs.h"

#include "modules/digest.hpp"

namespace volley::modules {

void register_hasher_class(JSRuntime* rt);

// A new Hasher object owning `digest`.
JSValue new_hasher(JSContext* ctx, std::unique_ptr<Digest> digest);

// `sum` in k6's output `encoding` (Hasher.Digest): a string, or an ArrayBuffer for "binary";
// js::Error "invalid output encoding: <encoding>" for any other name.
JSValue encode_digest(JSContext* ctx, std::string_view sum, const std::string& encoding);

} // namespace volley::modules
