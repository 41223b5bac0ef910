#pragma once

// Reading the request target of the echo server's routes: query parameters, percent-decoding,
// integers. Pure; any thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace volley::wsecho {

// `%XX` decoded and `+` read as a space (form encoding); a malformed escape is kept as is.
std::string percent_decode(std::string_view s);

// The decoded value of the first parameter `name` of a raw query string ("a=1&b=2"); empty
// when absent or without `=`.
std::string query_param(std::string_view query, std::string_view name);

// Every parameter of a raw query string, decoded, in order (repeats kept).
std::vector<std::pair<std::string, std::string>> query_params(std::string_view query);

// `s` as a decimal integer, or `fallback` unless all of `s` is one.
int to_int(std::string_view s, int fallback);

// A request target split at its first `?`; query is empty when there is none.
struct TargetParts {
    std::string_view path;
    std::string_view query;
};
TargetParts split_target(std::string_view target);

} // namespace volley::wsecho
