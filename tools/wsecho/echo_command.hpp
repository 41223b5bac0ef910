#pragma once

// `volley echo [--addr 127.0.0.1:8765] [--tls] [--threads N] [--compression]`: runs the echo
// server in the foreground, prints one line `volley echo listening on <url>` on stdout, and
// returns 0 after SIGINT or SIGTERM.

#include <string>
#include <vector>

namespace volley::wsecho {

// `args` are the arguments after `echo`. Throws volley::UserError (exit code 104 with a hint)
// for an unknown flag, a bad value, or an address that cannot be bound. Call from the main
// thread, before other threads exist (it blocks SIGINT/SIGTERM handling into Asio).
int run_echo_command(const std::vector<std::string>& args);

} // namespace volley::wsecho
