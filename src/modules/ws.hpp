#pragma once

// Module "k6/ws": ws.connect(url, [params], callback) (k6-behaviour.md §1–3).

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule ws_module();

// Registers the k6/ws JS classes (Socket, error objects) in a new runtime.
void register_ws_classes(JSRuntime* rt);

} // namespace volley::modules
