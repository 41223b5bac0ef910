#pragma once

// A JS exception turned into data: what the user sees when a script fails.

#include <string>

#include "quickjs.h"

namespace volley::js {

struct ScriptError {
    std::string name;    // "Error", "TypeError", "GoError", "SyntaxError", ...
    std::string message; // the error's message (or String(value) for a non-Error throw)
    std::string stack;   // QuickJS stack lines ("    at f (/abs/script.js:3:5)"), may be empty
    std::string file;    // location of the innermost frame, when known
    int line = 0;
    int column = 0;
    bool uncatchable = false; // the interrupt error (the VU is being stopped)
    bool rejection = false;   // a promise rejected with no handler (k6 logs it without a
                              // source=stacktrace field: it is not an exception)

    // "GoError: boom" (or just the message for plain values), as k6 prints an exception.
    std::string text() const;
    // text() followed by the stack lines.
    std::string text_with_stack() const;
};

// Takes the pending exception out of `ctx` (clearing it) and describes it.
ScriptError take_exception(JSContext* ctx);

// Describes an exception value without taking it.
ScriptError describe_exception(JSContext* ctx, JSValueConst exception);

} // namespace volley::js
