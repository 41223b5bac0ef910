#pragma once

// k6's --log-output (and K6_LOG_OUTPUT): where log lines go.

#include <string>

namespace volley::app {

// `stderr` (the default), `stdout`, `none`, or `file=PATH[,level=LEVEL]` (appended to, created
// with mode 0600; only LEVEL and above: error, warning, info, debug). k6's `loki` is not
// supported. Throws UserError (exit 255) in k6's words for a bad value, a missing directory or a
// file that cannot be opened.
void set_log_output(const std::string& spec);

} // namespace volley::app
