// --local-ips pools against k6 v1.6.1's own tables (lib/types/ipblock_test.go): block sizes,
// first and last addresses, indexes across blocks, and the refusals with k6's texts.

#include <gtest/gtest.h>

#include "net/ip_pool.hpp"

namespace volley::net {
namespace {

IpPool pool(std::string_view text) {
    auto made = IpPool::parse(text);
    EXPECT_TRUE(made) << text << ": " << (made ? "" : made.error());
    return made ? *made : IpPool();
}

std::string at(const IpPool& p, std::uint64_t index) {
    return p.at(index).to_string();
}

Uint128 big(std::uint64_t hi, std::uint64_t lo) {
    return (Uint128(hi) << 64) | lo;
}

TEST(IpPool, BlocksAsK6) {
    struct Case {
        const char* text;
        Uint128 count;
        const char* first;
        const char* last;
    };
    const Case cases[] = {
        {"192.168.0.101", 1, "192.168.0.101", "192.168.0.101"},
        {"192.168.0.101-192.168.0.200", 100, "192.168.0.101", "192.168.0.200"},
        {"192.168.0.100-192.168.0.200", 101, "192.168.0.100", "192.168.0.200"},
        {"fd00:1:1:0::0-fd00:1:1:ff::3ff", big(255, 1024), "fd00:1:1::", "fd00:1:1:ff::3ff"},
        {"fd00:1:1:2::1-fd00:1:1:ff::3ff", big(253, 1023), "fd00:1:1:2::1", "fd00:1:1:ff::3ff"},
        {"192.168.0.0/16", 65534, "192.168.0.1", "192.168.255.254"},
        {"192.168.0.1/16", 65534, "192.168.0.1", "192.168.255.254"},
        {"192.168.0.10/16", 65534, "192.168.0.1", "192.168.255.254"},
        {"192.168.0.10/31", 2, "192.168.0.10", "192.168.0.11"},
        {"192.168.0.10/32", 1, "192.168.0.10", "192.168.0.10"},
        {"fd00::0/120", 256, "fd00::", "fd00::ff"},
        {"fd00::3/120", 256, "fd00::", "fd00::ff"},
        {"fd00::2/112", 65536, "fd00::", "fd00::ffff"},
    };
    for (const auto& c : cases) {
        IpPool p = pool(c.text);
        EXPECT_TRUE(p.size() == c.count) << c.text;
        EXPECT_EQ(at(p, 0), c.first) << c.text;
        if (c.count < big(1, 0)) {
            EXPECT_EQ(at(p, static_cast<std::uint64_t>(c.count) - 1), c.last) << c.text;
        }
        EXPECT_EQ(p.text(), c.text);
    }
}

TEST(IpPool, IndexesWalkTheBlocksAndWrap) {
    IpPool two = pool("192.168.0.101,192.168.0.102");
    EXPECT_EQ(at(two, 0), "192.168.0.101");
    EXPECT_EQ(at(two, 1), "192.168.0.102");
    EXPECT_EQ(at(two, 12), "192.168.0.101");
    EXPECT_EQ(at(two, 13), "192.168.0.102");

    IpPool mixed = pool("192.168.0.101-192.168.0.105,fd00::2/112");
    EXPECT_TRUE(mixed.size() == 65541);
    EXPECT_EQ(at(mixed, 1), "192.168.0.102");
    EXPECT_EQ(at(mixed, 5), "fd00::");
    EXPECT_EQ(at(mixed, 6), "fd00::1");
    EXPECT_EQ(at(mixed, 65541), "192.168.0.101");

    IpPool singles = pool("192.168.0.101,192.168.0.102,192.168.0.103,192.168.0.104,"
                          "192.168.0.105-192.168.0.105,fd00::2/112");
    EXPECT_EQ(at(singles, 4), "192.168.0.105");
    EXPECT_EQ(at(singles, 5), "fd00::");
}

TEST(IpPool, HugeBlocksDoNotOverflow) {
    IpPool all = pool("::/0");
    EXPECT_TRUE(all.size() == ~Uint128(0)); // 2^128 saturates
    EXPECT_EQ(at(all, 5), "::5");
    IpPool two = pool("::/0,10.0.0.1");
    EXPECT_EQ(at(two, 0), "::");
    EXPECT_EQ(at(pool("::ffff:127.0.0.2"), 0), "127.0.0.2"); // IPv4-mapped is IPv4
}

std::string parse_error(std::string_view text) {
    auto made = IpPool::parse(text);
    return made ? "" : made.error();
}

TEST(IpPool, RefusesWithK6Texts) {
    EXPECT_EQ(parse_error("whatever"), "whatever is not a valid IP, IP range or CIDR");
    EXPECT_EQ(parse_error("192.168.0.1012"), "192.168.0.1012 is not a valid IP, IP range or CIDR");
    EXPECT_EQ(parse_error("127.0.0.01"), "127.0.0.01 is not a valid IP, IP range or CIDR");
    EXPECT_EQ(parse_error("fe80::1%lo"), "fe80::1%lo is not a valid IP, IP range or CIDR");
    EXPECT_EQ(parse_error("192.168.0.10/244"),
              "parseCIDR() failed parsing 192.168.0.10/244: invalid CIDR address: "
              "192.168.0.10/244");
    EXPECT_EQ(parse_error("fd00::0/244"),
              "parseCIDR() failed parsing fd00::0/244: invalid CIDR address: fd00::0/244");
    EXPECT_EQ(parse_error("192.168.0.101-192.168.0.102/32"),
              "wrong IP range format: 192.168.0.101-192.168.0.102/32");
    EXPECT_EQ(parse_error("192.168.0.101-fd00::1"), "mixed IP range format: 192.168.0.101-fd00::1");
    EXPECT_EQ(parse_error("fd00::1-192.168.0.101"), "mixed IP range format: fd00::1-192.168.0.101");
    EXPECT_EQ(parse_error("192.168.0.100-192.168.0.2"),
              "negative IP range: 192.168.0.100-192.168.0.2");
    EXPECT_EQ(parse_error("fd00:1:1:0::0-fd00:1:0:ff::3ff"),
              "negative IP range: fd00:1:1:0::0-fd00:1:0:ff::3ff");
    EXPECT_EQ(parse_error("127.0.0.1, 127.0.0.2"),
              " 127.0.0.2 is not a valid IP, IP range or CIDR");
    EXPECT_EQ(parse_error("127.0.0.1,"), " is not a valid IP, IP range or CIDR");
}

} // namespace
} // namespace volley::net
