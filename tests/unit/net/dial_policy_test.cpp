// DialPolicy::make's checks of the hosts, blacklistIPs and blockHostnames entries, as k6's
// patterns (lib/types/hosts.go, hostnametrie.go) and Go's ParseCIDR take them; long entries are
// checked without recursion.

#include <gtest/gtest.h>

#include "net/dial_policy.hpp"

namespace volley::net {
namespace {

std::string hosts_error(const std::string& pattern) {
    auto made = DialPolicy::make({{pattern, "127.0.0.1"}}, {}, {});
    return made ? "" : made.error();
}

std::string blocked_error(const std::string& pattern) {
    auto made = DialPolicy::make({}, {}, {pattern});
    return made ? "" : made.error();
}

std::string blacklist_error(const std::string& cidr) {
    auto made = DialPolicy::make({}, {cidr}, {});
    return made ? "" : made.error();
}

TEST(DialPolicy, HostPatternsAsK6) {
    for (const char* ok : {"example.com", "*.example.com", "*example.com", "*", "a", "a-b.c1",
                           "example.com:8080", "*:443", "x.y:1", ""}) {
        EXPECT_EQ(hosts_error(ok), "") << ok;
    }
    for (const char* bad : {"-a.com", "a-.com", "a..com", ".a.com", "a.com.", "**.a", "a.*",
                            "a_b.com", "a.com:", "a.com:123456", "a.com:8o", "a:1:2"}) {
        EXPECT_EQ(hosts_error(bad), std::string("invalid host pattern '") + bad + "'") << bad;
    }
    EXPECT_EQ(hosts_error(std::string(100'000, 'a') + ".com"), "");
    EXPECT_NE(hosts_error(std::string(100'000, 'a') + "_"), "");
}

TEST(DialPolicy, BlockedHostnamesTakeNoPort) {
    EXPECT_EQ(blocked_error("*.example.com"), "");
    EXPECT_EQ(blocked_error("example.com:80"), "invalid hostname pattern 'example.com:80'");
    EXPECT_EQ(blocked_error(std::string(100'000, 'b')), "");
}

TEST(DialPolicy, BlacklistIsCidrs) {
    EXPECT_EQ(blacklist_error("10.0.0.0/8"), "");
    EXPECT_EQ(blacklist_error("fd00::/120"), "");
    for (const char* bad : {"10.0.0.1", "10.0.0.0/33", "10.0.0.0/", "x/8", "fd00::/129"}) {
        EXPECT_EQ(blacklist_error(bad), std::string("invalid CIDR address: ") + bad) << bad;
    }
    auto made = DialPolicy::make({}, {"10.0.0.0/8"}, {});
    ASSERT_TRUE(made);
    EXPECT_NE(made->blacklisted(boost::asio::ip::make_address("10.1.2.3")), nullptr);
    EXPECT_EQ(made->blacklisted(boost::asio::ip::make_address("11.0.0.1")), nullptr);
}

} // namespace
} // namespace volley::net
