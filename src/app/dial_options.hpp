#pragma once

// k6's hosts, blacklistIPs and blockHostnames options turned into the net layer's DialPolicy.

#include <memory>

#include "config/options.hpp"
#include "net/dial_policy.hpp"

namespace volley::app {

// Null when none of the three options is set. Throws UserError (exit 104) naming the option and
// the bad entry.
std::unique_ptr<net::DialPolicy> make_dial_policy(const config::RunOptions& options);

} // namespace volley::app
