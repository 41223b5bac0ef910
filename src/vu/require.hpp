#pragma once

// k6's global require() (js/modules/require_impl.go): loads a module now, resolved against the
// calling module, and returns its namespace, or a CommonJS module's exports object.

#include "quickjs.h"

namespace volley::vu {

void install_require(JSContext* ctx);

} // namespace volley::vu
