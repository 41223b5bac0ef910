// net::address_text: the `ip` tag's text of a dialled address, as asio (inet_ntop) writes it.

#include <gtest/gtest.h>

#include "net/dial.hpp"

namespace volley::net {
namespace {

TEST(AddressText, SameTextAsInetNtop) {
    for (const char* a : {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.200.3", "::1",
                          "2001:db8::ff00:42:8329", "::ffff:127.0.0.1"}) {
        auto address = boost::asio::ip::make_address(a);
        EXPECT_EQ(address_text(address), address.to_string()) << a;
    }
}

} // namespace
} // namespace volley::net
