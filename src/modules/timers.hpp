#pragma once

// Global setTimeout, clearTimeout, setInterval and clearInterval (k6's tc55/timers), the
// "k6/timers" module that exports those same functions, and "k6/experimental/timers", which k6
// v1.6.1 has removed (importing it throws k6's "has been graduated" error). Timers run on the
// VU's event loop (js/event_loop.hpp).

#include "quickjs.h"

#include "js/module_registry.hpp"

namespace volley::modules {

// Defines the four timer functions on the global object of a VU's context.
void install_timers(JSContext* ctx);

js::NativeModule timers_module();
js::NativeModule experimental_timers_module();

} // namespace volley::modules
