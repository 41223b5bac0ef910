#pragma once

// The "k6/data" module (k6's internal/js/modules/k6/data/data.go): SharedArray, an array built
// once per test by a function run in the init context, and shared read-only by every VU
// (modules/shared_array_store.hpp keeps the data, modules/shared_array.hpp is what scripts see).
// k6 v1.6.1 exports nothing else.

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule data_module();

} // namespace volley::modules
