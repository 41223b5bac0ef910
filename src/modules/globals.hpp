#pragma once

// Globals every k6 script sees: console, open(), and the module registration entry point.

#include "quickjs.h"

namespace volley::modules {

// Fills js::ModuleRegistry::global() with every native module. Call once at start-up, before
// any runtime is created.
void register_all();

// Registers the JS classes of every module in a new runtime.
void register_classes(JSRuntime* rt);

// Defines `console` (log/info/warn/error/debug to stderr in k6's format, source=console) and
// `open(path, [mode])` (init context only; paths relative to the script's directory; "b" mode
// gives an ArrayBuffer) on the global object of a VU's context.
void install_globals(JSContext* ctx);

} // namespace volley::modules
