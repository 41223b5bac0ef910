#pragma once

// Modules "k6/websockets" and its deprecated alias "k6/experimental/websockets": the WebSocket
// constructor (k6-behaviour.md §8) and Blob.

#include "quickjs.h"

#include "js/module_registry.hpp"

namespace volley::modules {

void register_websockets_classes(JSRuntime* rt);
js::NativeModule websockets_module();
js::NativeModule experimental_websockets_module();

} // namespace volley::modules
