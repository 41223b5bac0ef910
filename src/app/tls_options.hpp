#pragma once

// k6's TLS options (tlsVersion, tlsCipherSuites, tlsAuth, insecureSkipTLSVerify) turned into the
// net layer's TlsOptions.

#include "config/options.hpp"
#include "net/tls.hpp"

namespace volley::app {

// Throws UserError (exit 104) naming the option for a value k6 would reject.
net::TlsOptions tls_options(const config::RunOptions& options);

} // namespace volley::app
