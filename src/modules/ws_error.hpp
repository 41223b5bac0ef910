#pragma once

// The error object k6/ws hands to `error` handlers (a wrapped Go error, k6-behaviour.md §2.1):
// e.error() and String(e) give the message; console.log(e) prints it. For a close-code error
// (gorilla's *CloseError) it also has the struct's exported fields, `code` and `text`, as own
// enumerable properties, as Sobek shows them through k6's field-name mapper.

#include <string>
#include <string_view>

#include "quickjs.h"

namespace volley::modules::ws {

void register_error_class(JSRuntime* rt);
// Gives the class its prototype (error(), toString()) in `ctx`; once per context.
void setup_error_proto(JSContext* ctx);
JSValue new_ws_error(JSContext* ctx, const std::string& message);
// An error for a close frame (or EOF, 1006) the peer sent: message plus `code` and `text`.
JSValue new_ws_close_error(JSContext* ctx, const std::string& message, int code,
                           std::string_view text);
// The message if `v` is such an error object.
const std::string* ws_error_message(JSValueConst v);

} // namespace volley::modules::ws
