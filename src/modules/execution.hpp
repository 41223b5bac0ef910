#pragma once

// Module "k6/execution": vu, scenario, instance and test (k6-behaviour.md §5.6).

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule execution_module();

// Registers the class behind `exec.vu.tags` in a new runtime.
void register_execution_classes(JSRuntime* rt);

} // namespace volley::modules
