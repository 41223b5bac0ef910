#pragma once

// JSON for Response.json(): Go's encoding/json verdict on a body (k6 reports Go's syntax errors
// with a line and character), and a subset of the gjson paths k6 accepts as a selector:
// `a.b`, array indexes (`items.0.id`), `#` (an array's length), `items.#.id` (one field of each
// element) and `\.` for a dot inside a key. Pure functions of the VU's thread.

#include <string>
#include <string_view>

#include "quickjs.h"

namespace volley::modules {

struct JsonCheck {
    bool ok = false;
    std::string error; // k6's text: `cannot parse json due to an error at line L, character C ,
                       // error: invalid character '}' looking for beginning of value`
};

JsonCheck parse_json_like_go(std::string_view text);

// Go's encoding/json syntax error for `text` (e.g. "unexpected end of JSON input"), "" when
// it is valid JSON.
std::string go_json_syntax_error(std::string_view text);

// The value at gjson `path` in `text` as a new JS value; undefined when the body is not valid
// JSON or nothing is at the path.
JSValue json_select(JSContext* ctx, std::string_view text, std::string_view path);

} // namespace volley::modules
