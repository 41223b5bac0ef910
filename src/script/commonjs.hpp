#pragma once

// CommonJS modules as k6 runs them (js/modules/cjsmodule.go): a file with no import, export or
// top-level await is wrapped in `(function (module, exports) {...})`, called with `this` =
// exports; its default export is exports.default when there is one, else the exports object;
// its named exports are the exports object's own keys.
//
// QuickJS needs a module's export names before it links, and a CommonJS module's names are
// only known once it ran. So the VU that compiles the script runs the module when it is first
// loaded, reads the names, and keeps the module object; the module is then compiled as an ES
// module standing for it (the wrapper), which every VU runs in import order. In the compiling
// VU the wrapper takes the kept object instead of running the code a second time.

#include <optional>
#include <string>

#include "quickjs.h"

namespace volley::script {

// Whether a module compiled by QuickJS is an ES module in k6's sense.
bool is_es_module(JSValueConst compiled);

// Runs `source` (the module named `name`) as CommonJS in `ctx` now and returns the source of its
// ES module wrapper. nullopt with a JS exception pending when it does not compile or throws.
std::optional<std::string> run_commonjs(JSContext* ctx, const std::string& name,
                                        const std::string& source);

// The exports object of CommonJS module `name` once its wrapper ran in `ctx` (require() returns
// it); JS_UNDEFINED when `name` is not a CommonJS module that ran.
JSValue commonjs_exports(JSContext* ctx, const std::string& name);

} // namespace volley::script
