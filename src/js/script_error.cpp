#include "js/script_error.hpp"

#include <charconv>

#include "js/native.hpp"
#include "js/value.hpp"

namespace volley::js {
namespace {

// Parses the first "(file:line:col)" or "at file:line:col" location in a QuickJS stack.
void parse_location(ScriptError& err) {
    auto at = err.stack.find("at ");
    if (at == std::string::npos) {
        return;
    }
    auto end = err.stack.find('\n', at);
    std::string frame = err.stack.substr(at + 3, end == std::string::npos ? end : end - at - 3);
    auto open = frame.rfind('(');
    if (open != std::string::npos) {
        frame = frame.substr(open + 1);
        if (!frame.empty() && frame.back() == ')') {
            frame.pop_back();
        }
    }
    auto c2 = frame.rfind(':');
    if (c2 == std::string::npos) {
        return;
    }
    auto c1 = frame.rfind(':', c2 - 1);
    auto to_int = [](std::string_view s, int& out) {
        return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc{};
    };
    int line = 0;
    int col = 0;
    if (c1 != std::string::npos &&
        to_int(std::string_view(frame).substr(c1 + 1, c2 - c1 - 1), line) &&
        to_int(std::string_view(frame).substr(c2 + 1), col)) {
        err.file = frame.substr(0, c1);
        err.line = line;
        err.column = col;
    } else if (to_int(std::string_view(frame).substr(c2 + 1), line)) {
        err.file = frame.substr(0, c2);
        err.line = line;
    }
}

} // namespace

std::string ScriptError::text() const {
    if (name.empty()) {
        return message;
    }
    return message.empty() ? name : name + ": " + message;
}

std::string ScriptError::text_with_stack() const {
    std::string out = text();
    if (!stack.empty()) {
        out += '\n';
        out += stack;
        while (!out.empty() && out.back() == '\n') {
            out.pop_back();
        }
    }
    return out;
}

ScriptError describe_exception(JSContext* ctx, JSValueConst exception) {
    ScriptError err;
    err.uncatchable = is_uncatchable(ctx, exception);
    if (JS_IsError(ctx, exception)) {
        Value name(ctx, JS_GetPropertyStr(ctx, exception, "name"));
        Value message(ctx, JS_GetPropertyStr(ctx, exception, "message"));
        Value stack(ctx, JS_GetPropertyStr(ctx, exception, "stack"));
        err.name = JS_IsString(name.get()) ? to_string_lossy(ctx, name.get()) : "Error";
        err.message = is_nullish(message.get()) ? "" : to_string_lossy(ctx, message.get());
        err.stack = JS_IsString(stack.get()) ? to_string_lossy(ctx, stack.get()) : "";
        parse_location(err);
    } else {
        err.message = to_string_lossy(ctx, exception);
    }
    return err;
}

ScriptError take_exception(JSContext* ctx) {
    Value exc(ctx, JS_GetException(ctx));
    return describe_exception(ctx, exc.get());
}

} // namespace volley::js
