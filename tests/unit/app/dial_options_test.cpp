// --local-ips against K6_LOCAL_IPS (app/dial_options.hpp), as k6 consolidates them: the flag
// wins, an empty flag leaves the variable in force, a bad variable fails even beside a good
// flag; and the `dns` option's TTL check.

#include <gtest/gtest.h>

#include "app/dial_options.hpp"
#include "util/error.hpp"

namespace volley::app {
namespace {

std::string first_ip(const std::optional<std::string>& flag,
                     const std::map<std::string, std::string>& env) {
    auto pool = make_local_ips(flag, env);
    return pool ? pool->at(0).to_string() : "none";
}

TEST(LocalIpsOption, FlagThenVariable) {
    EXPECT_EQ(first_ip(std::nullopt, {}), "none");
    EXPECT_EQ(first_ip("127.0.0.2", {}), "127.0.0.2");
    EXPECT_EQ(first_ip(std::nullopt, {{"K6_LOCAL_IPS", "127.0.0.3"}}), "127.0.0.3");
    EXPECT_EQ(first_ip("127.0.0.2", {{"K6_LOCAL_IPS", "127.0.0.3"}}), "127.0.0.2");
    EXPECT_EQ(first_ip("", {{"K6_LOCAL_IPS", "127.0.0.3"}}), "127.0.0.3");
    EXPECT_EQ(first_ip(std::nullopt, {{"K6_LOCAL_IPS", ""}}), "none");
}

TEST(LocalIpsOption, RefusalsAndTheirExitCodes) {
    try {
        make_local_ips("x", {});
        ADD_FAILURE() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kGeneric);
        EXPECT_STREQ(e.what(), "x is not a valid IP, IP range or CIDR");
    }
    try {
        make_local_ips("127.0.0.2", {{"K6_LOCAL_IPS", "y"}});
        ADD_FAILURE() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kInvalidConfig);
    }
}

TEST(DnsOption, ABadTtlExits255) {
    config::DnsFields dns;
    dns.ttl = "soon";
    try {
        make_dns_resolver(dns);
        ADD_FAILURE() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kGeneric);
        EXPECT_STREQ(e.what(), "invalid DNS TTL: soon");
    }
    dns.ttl = "inf";
    EXPECT_NE(make_dns_resolver(dns), nullptr);
}

} // namespace
} // namespace volley::app
