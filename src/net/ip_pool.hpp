#pragma once

// k6's --local-ips (lib/types/ipblock.go): the source addresses VUs dial from. A pool is a
// comma-separated list of IPs, ranges `first-last` and CIDRs; VU n (its id in this instance)
// dials from the pool's address (n-1) mod size, for k6/http, k6/ws and k6/websockets alike.
// Immutable once made; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/system/result.hpp>

namespace volley::net {

__extension__ typedef unsigned __int128 Uint128; // NOLINT(modernize-use-using): GCC's extension

// A CIDR `ip/bits` as Go's net.ParseCIDR reads it: the address (not masked) and the prefix
// length; nullopt when either part is invalid.
struct Cidr {
    boost::asio::ip::address ip;
    unsigned prefix = 0;
};
std::optional<Cidr> parse_cidr(std::string_view text);

// An IP as Go's net.ParseIP reads it (no zone); an IPv4-mapped IPv6 address is IPv4.
std::optional<boost::asio::ip::address> parse_ip(std::string_view text);

class IpPool {
public:
    // Fails with k6's text: `x is not a valid IP, IP range or CIDR`, `wrong IP range format: x`,
    // `mixed IP range format: x`, `negative IP range: x`, `parseCIDR() failed parsing x:
    // invalid CIDR address: x`.
    static boost::system::result<IpPool, std::string> parse(std::string_view text);

    // The address for `index` (0-based; wraps around the pool).
    boost::asio::ip::address at(std::uint64_t index) const;

    // How many addresses, at most 2^128 - 1.
    Uint128 size() const { return size_; }

    // As given (exec.test.options.localIPs).
    const std::string& text() const { return text_; }

private:
    // k6's ipBlock: `count` addresses from `first`; a CIDR of more than two IPv4 addresses
    // leaves out its network and broadcast addresses.
    struct Block {
        Uint128 first = 0;
        Uint128 count = 0;
        bool v6 = false;
    };
    static boost::system::result<Block, std::string> block(std::string_view text);

    std::vector<Block> blocks_;
    Uint128 size_ = 0;
    std::string text_;
};

} // namespace volley::net
