#pragma once

// k6's hosts, blacklistIPs and blockHostnames options turned into the net layer's DialPolicy,
// and --local-ips into its IpPool.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "config/options.hpp"
#include "net/dial_policy.hpp"
#include "net/dns_resolver.hpp"
#include "net/ip_pool.hpp"

namespace volley::app {

// Null when none of the three options is set. Throws UserError (exit 104) naming the option and
// the bad entry.
std::unique_ptr<net::DialPolicy> make_dial_policy(const config::RunOptions& options);

// The `dns` option's resolver (k6's defaults for the fields not given). A bad ttl throws
// UserError with k6's `invalid DNS TTL: x` (exit 255, as k6).
std::unique_ptr<net::DnsResolver> make_dns_resolver(const config::DnsFields& dns);

// --local-ips, else K6_LOCAL_IPS (k6 keeps it out of the script's options and archives); an
// empty value counts as not given; null when neither gives a pool. Throws UserError with k6's text:
// exit 255 for a bad flag, 104 (envconfig's wording) for a bad variable, even beside a good flag,
// as k6.
std::unique_ptr<net::IpPool> make_local_ips(const std::optional<std::string>& flag,
                                            const std::map<std::string, std::string>& env);

} // namespace volley::app
