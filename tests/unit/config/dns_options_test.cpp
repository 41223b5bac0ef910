// The `dns` option's text form (--dns, K6_DNS) and TTL as k6 v1.6.1 reads them
// (lib/types/dns.go, js/runner.go parseTTL), with k6's error texts.

#include <gtest/gtest.h>

#include "config/dns_options.hpp"

namespace volley::config {
namespace {

std::string text_error(std::string_view text) {
    auto f = parse_dns_text(text);
    return f ? "" : f.error();
}

TEST(DnsOptions, TextGivesTheFieldsNamed) {
    auto f = parse_dns_text("ttl=1m,policy=onlyIPv6");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->ttl, "1m");
    EXPECT_EQ(f->select, std::nullopt);
    EXPECT_EQ(f->policy, "onlyIPv6");
    f = parse_dns_text("select=roundRobin,select=first");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->select, "first");
    // k6's default text sets nothing, so a lower layer's fields stay.
    f = parse_dns_text("ttl=5m,select=random,policy=preferIPv4");
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->empty());
    f = parse_dns_text(""); // an empty --dns is left unset, as k6
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->empty());
}

TEST(DnsOptions, TextRefusesWithK6Texts) {
    EXPECT_EQ(text_error("ttl"), "no value for key ttl");
    EXPECT_EQ(text_error("ttl="), "no value for key ttl=");
    EXPECT_EQ(text_error("ttl=1m,"), "no value for key ");
    EXPECT_EQ(text_error("foo=1"), "unknown DNS configuration field: foo");
    EXPECT_EQ(text_error("foo=1,ttl"), "no value for key ttl"); // values are checked first
    EXPECT_EQ(text_error("select=x"), "x does not belong to DNSSelect values");
    EXPECT_EQ(text_error("policy=IPv4"), "IPv4 does not belong to DNSPolicy values");
    EXPECT_EQ(dns_select_error("roundRobin"), "");
    EXPECT_EQ(dns_policy_error("any"), "");
}

TEST(DnsOptions, TtlAsK6ParsesIt) {
    using std::chrono::hours;
    using std::chrono::minutes;
    EXPECT_EQ(*dns_ttl(std::nullopt), minutes(5));
    EXPECT_EQ(*dns_ttl(""), minutes(5));
    EXPECT_EQ(*dns_ttl("0"), Duration(0));
    EXPECT_EQ(*dns_ttl("inf"), hours(24 * 365));
    EXPECT_EQ(*dns_ttl("1m30s"), std::chrono::seconds(90));
    EXPECT_EQ(*dns_ttl("1d"), hours(24));
    EXPECT_EQ(*dns_ttl("1500"), std::chrono::milliseconds(1500)); // a plain number is ms
    EXPECT_EQ(dns_ttl("x").error(), "invalid DNS TTL: x");
    EXPECT_EQ(dns_ttl("-1s").error(), "invalid DNS TTL: -1s");
}

} // namespace
} // namespace volley::config
