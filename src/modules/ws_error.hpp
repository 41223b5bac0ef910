#pragma once

// The error object k6/ws hands to `error` handlers (a wrapped Go error, spec §2.1):
// e.error() and String(e) give the message; console.log(e) prints it.

#include <string>

#include "quickjs.h"

namespace volley::modules::ws {

void register_error_class(JSRuntime* rt);
// Gives the class its prototype (error(), toString()) in `ctx`; once per context.
void setup_error_proto(JSContext* ctx);
JSValue new_ws_error(JSContext* ctx, const std::string& message);
// The message if `v` is such an error object.
const std::string* ws_error_message(JSValueConst v);

} // namespace volley::modules::ws
