#pragma once

// Which optional JS intrinsics a script can reach, read from its source text (js::Intrinsics).
// Each costs memory per VU (docs/performance.md, "VU memory"), so VUs of a script that never
// names them run without. The tests err towards keeping an intrinsic: a mention in a comment or
// a string counts for typed arrays and Map/Set, and any `/` that may start a regular expression
// counts for RegExp. What a script reaches only through computed names
// (globalThis['Reg' + 'Exp']) is not seen.

#include <string_view>

#include "js/runtime.hpp"

namespace volley::script {

// ArrayBuffer, DataView, a typed-array name, `binaryMessage`, `sendBinary`, `open(`, crypto,
// k6/encoding (all of which give or take ArrayBuffers).
bool mentions_typed_arrays(std::string_view source);

// A regular expression literal, or the words RegExp, match, matchAll or search (String methods
// that make a RegExp from a string argument).
bool mentions_regexp(std::string_view source);

// The words Map, Set, WeakMap or WeakSet.
bool mentions_map_set(std::string_view source);

// The three above, as the intrinsics `source` needs.
js::Intrinsics intrinsics_used(std::string_view source);

} // namespace volley::script
