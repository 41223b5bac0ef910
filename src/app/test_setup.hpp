#pragma once

// The steps before a test starts, shared by `run` and `inspect`: logging, compiling the script
// (its init context runs once, as VU 0), consolidating the options.

#include <memory>
#include <optional>
#include <string>

#include "app/cli.hpp"
#include "config/config_file.hpp"
#include "config/options.hpp"
#include "exec/workers.hpp"
#include "metrics/registry.hpp"
#include "metrics/tags.hpp"
#include "modules/console_file.hpp"
#include "modules/rps_limit.hpp"
#include "modules/ws_debug.hpp"
#include "net/dial_policy.hpp"
#include "net/ip_pool.hpp"
#include "net/tls.hpp"
#include "vu/vu.hpp"
#include "vu/vu_factory.hpp"

namespace volley::app {

// Everything a run needs before the metrics engine exists.
struct PreparedTest {
    metrics::Registry registry;
    metrics::TagInterner interner;
    std::unique_ptr<exec::Workers> workers;
    vu::TestControl control;
    vu::VuShared shared;
    vu::CompiledScript compiled;
    config::RunOptions options;
    config::ConfigFile config_file;   // -c, K6_CONFIG or the default one; empty when none
    std::vector<std::string> outputs; // --out, else K6_OUT, else the config file's "out"
    bool linger = false;              // --linger, else K6_LINGER, else the config file's
    std::unique_ptr<net::TlsConfig> tls;
    std::unique_ptr<net::DialPolicy> dial_policy;   // null when no option limits dialling
    std::unique_ptr<net::IpPool> local_ips;         // --local-ips; null when not given
    std::unique_ptr<net::DnsResolver> dns;          // the `dns` option's resolver
    std::unique_ptr<modules::RpsLimit> rps_limit;   // options.rps; null when unlimited
    std::optional<modules::InsightMetrics> insight; // --insight (docs/insight.md)
    std::unique_ptr<modules::WsDebugLog> ws_debug;  // --ws-debug; null when off
    std::unique_ptr<modules::ConsoleFile> console;  // --console-output; null when off
};

// Sets the log level and format from the flags.
void configure_logging(const RunArgs& args);

// Compiles the script and consolidates its options with the flags and the environment.
// Throws UserError: 107 for script errors, 104 for invalid options.
std::unique_ptr<PreparedTest> prepare_test(const RunArgs& args);

} // namespace volley::app
