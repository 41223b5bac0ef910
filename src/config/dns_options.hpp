#pragma once

// k6's `dns` option (lib/types/dns.go, js/runner.go): how host names are resolved for k6/http,
// k6/ws and k6/websockets. `ttl` is how long an answer is reused ("5m"; "0" never; "inf" a
// year), `select` which address of an answer is dialled (first, roundRobin, random) and
// `policy` which versions count (preferIPv4, preferIPv6, onlyIPv4, onlyIPv6, any). Each field is
// taken from the highest layer that gives it, as k6 merges them. Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "config/duration.hpp"

namespace volley::config {

struct DnsFields {
    std::optional<std::string> ttl, select, policy; // unset: k6's default (5m, random, preferIPv4)

    bool empty() const { return !ttl && !select && !policy; }
};

// `ttl=5m,select=first,policy=any` (--dns, K6_DNS): the fields given, or k6's text (`no value
// for key ttl`, `unknown DNS configuration field: x`, `x does not belong to DNSSelect values`).
// An empty text and k6's default text, `ttl=5m,select=random,policy=preferIPv4`, set no field.
boost::system::result<DnsFields, std::string> parse_dns_text(std::string_view text);

// "" when `value` names a select strategy (policy), else k6's `x does not belong to DNSSelect
// values` (DNSPolicy).
std::string dns_select_error(const std::string& value);
std::string dns_policy_error(const std::string& value);

// The cache lifetime `ttl` gives (unset: 5m), or k6's `invalid DNS TTL: x`.
boost::system::result<Duration, std::string> dns_ttl(const std::optional<std::string>& ttl);

} // namespace volley::config
