#pragma once

// Module "k6/http" (k6-behaviour.md §6): requests over the VU's keep-alive connections, batch,
// http.url, http.file, cookie jars (shared with k6/ws), expectedStatuses and the response
// callback, with k6's metrics, tags and error codes.

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule http_module();

// Registers k6/http's JS classes in a runtime (before the module is first imported).
void register_http_module_classes(JSRuntime* rt);

} // namespace volley::modules
