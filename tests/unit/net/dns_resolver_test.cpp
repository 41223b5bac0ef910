// k6's resolver (lib/netext/resolver.go) with a counted fake lookup: the policy's filter, the
// TTL cache, the select strategies and the errors.

#include <set>

#include <gtest/gtest.h>

#include "net/dns_resolver.hpp"

namespace volley::net {
namespace {

using boost::asio::ip::make_address;

DnsResolver::Addresses addrs(std::initializer_list<const char*> texts) {
    DnsResolver::Addresses out;
    for (const char* t : texts) {
        out.push_back(make_address(t));
    }
    return out;
}

struct FakeLookup {
    DnsResolver::Addresses answer = addrs({"::1", "10.0.0.1", "fd00::2", "10.0.0.2"});
    int calls = 0;
    DnsResolver::Lookup fn() {
        return [this](const std::string&) -> boost::system::result<DnsResolver::Addresses> {
            ++calls;
            return answer;
        };
    }
};

TEST(DnsResolver, PoliciesAsK6) {
    const auto all = addrs({"::1", "10.0.0.1", "::ffff:10.0.0.3", "fd00::2"});
    EXPECT_EQ(DnsResolver::apply_policy(DnsPolicy::kPreferIpv4, all),
              addrs({"10.0.0.1", "::ffff:10.0.0.3"}));
    EXPECT_EQ(DnsResolver::apply_policy(DnsPolicy::kPreferIpv6, all), addrs({"::1", "fd00::2"}));
    EXPECT_EQ(DnsResolver::apply_policy(DnsPolicy::kOnlyIpv4, all),
              addrs({"10.0.0.1", "::ffff:10.0.0.3"}));
    EXPECT_EQ(DnsResolver::apply_policy(DnsPolicy::kOnlyIpv6, all), addrs({"::1", "fd00::2"}));
    EXPECT_EQ(DnsResolver::apply_policy(DnsPolicy::kAny, all), all);
    // The preferred version missing: the other one.
    EXPECT_EQ(DnsResolver::apply_policy(DnsPolicy::kPreferIpv4, addrs({"::1"})), addrs({"::1"}));
    EXPECT_EQ(DnsResolver::apply_policy(DnsPolicy::kPreferIpv6, addrs({"10.0.0.1"})),
              addrs({"10.0.0.1"}));
    EXPECT_TRUE(DnsResolver::apply_policy(DnsPolicy::kOnlyIpv6, addrs({"10.0.0.1"})).empty());
}

TEST(DnsResolver, FirstAndRoundRobinAndRandomPick) {
    FakeLookup lookup;
    DnsResolver first({std::chrono::minutes(5), DnsSelect::kFirst, DnsPolicy::kPreferIpv4});
    EXPECT_EQ(*first.resolve("h", lookup.fn()), make_address("10.0.0.1"));
    EXPECT_EQ(*first.resolve("h", lookup.fn()), make_address("10.0.0.1"));

    DnsResolver rr({std::chrono::minutes(5), DnsSelect::kRoundRobin, DnsPolicy::kAny});
    std::vector<std::string> got;
    for (int i = 0; i < 5; ++i) {
        got.push_back(rr.resolve("h", lookup.fn())->to_string());
    }
    EXPECT_EQ(got, (std::vector<std::string>{"::1", "10.0.0.1", "fd00::2", "10.0.0.2", "::1"}));
    EXPECT_EQ(rr.resolve("other", lookup.fn())->to_string(), "::1"); // a counter per host

    DnsResolver random({std::chrono::minutes(5), DnsSelect::kRandom, DnsPolicy::kPreferIpv6});
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        seen.insert(random.resolve("h", lookup.fn())->to_string());
    }
    EXPECT_EQ(seen, (std::set<std::string>{"::1", "fd00::2"}));
}

TEST(DnsResolver, AnswersAreReusedForTheTtlOnly) {
    FakeLookup lookup;
    DnsResolver cached({std::chrono::minutes(5), DnsSelect::kFirst, DnsPolicy::kPreferIpv4});
    for (int i = 0; i < 3; ++i) {
        cached.resolve("h", lookup.fn());
    }
    cached.resolve("g", lookup.fn());
    EXPECT_EQ(lookup.calls, 2); // once per host

    lookup.calls = 0;
    DnsResolver uncached({SteadyClock::duration(0), DnsSelect::kFirst, DnsPolicy::kPreferIpv4});
    for (int i = 0; i < 3; ++i) {
        uncached.resolve("h", lookup.fn());
    }
    EXPECT_EQ(lookup.calls, 3);

    lookup.calls = 0;
    DnsResolver short_lived({std::chrono::nanoseconds(1), DnsSelect::kFirst, DnsPolicy::kAny});
    short_lived.resolve("h", lookup.fn());
    short_lived.resolve("h", lookup.fn());
    EXPECT_EQ(lookup.calls, 2); // expired at once
}

TEST(DnsResolver, ErrorsPassThroughAndAnEmptiedAnswerIsItsOwn) {
    DnsResolver only6({std::chrono::minutes(5), DnsSelect::kFirst, DnsPolicy::kOnlyIpv6});
    FakeLookup v4;
    v4.answer = addrs({"127.0.0.1"});
    EXPECT_EQ(only6.resolve("h", v4.fn()).error(), policy_emptied());

    const boost::system::error_code missing = boost::asio::error::host_not_found;
    auto failing = [&](const std::string&) -> boost::system::result<DnsResolver::Addresses> {
        return missing;
    };
    EXPECT_EQ(only6.resolve("x", failing).error(), missing);
}

} // namespace
} // namespace volley::net
