#include "net/ip_pool.hpp"

#include <charconv>

#include <fmt/format.h>

namespace volley::net {
namespace {

using U128 = Uint128;
constexpr U128 kMax = ~U128(0);

U128 to_number(const boost::asio::ip::address& ip) {
    U128 n = 0;
    if (ip.is_v4()) {
        return ip.to_v4().to_uint();
    }
    for (unsigned char byte : ip.to_v6().to_bytes()) {
        n = (n << 8) | byte;
    }
    return n;
}

boost::asio::ip::address from_number(U128 n, bool v6) {
    if (!v6) {
        return boost::asio::ip::address_v4(static_cast<std::uint32_t>(n));
    }
    boost::asio::ip::address_v6::bytes_type bytes{};
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
        *it = static_cast<unsigned char>(n & 0xFF);
        n >>= 8;
    }
    return boost::asio::ip::address_v6(bytes);
}

U128 add_saturating(U128 a, U128 b) {
    return a > kMax - b ? kMax : a + b;
}

} // namespace

std::optional<boost::asio::ip::address> parse_ip(std::string_view text) {
    if (text.find('%') != std::string_view::npos) {
        return std::nullopt; // Go's ParseIP takes no zone
    }
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(std::string(text), ec);
    if (ec) {
        return std::nullopt;
    }
    if (ip.is_v6() && ip.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6());
    }
    return ip;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
    if (ec || text.substr(0, slash).find('%') != std::string_view::npos) {
        return std::nullopt;
    }
    unsigned max = ip.is_v4() ? 32 : 128;
    unsigned prefix = 0;
    auto bits = text.substr(slash + 1);
    auto [ptr, err] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (bits.empty() || err != std::errc() || ptr != bits.data() + bits.size() || prefix > max) {
        return std::nullopt;
    }
    return Cidr{ip, prefix};
}

boost::system::result<IpPool::Block, std::string> IpPool::block(std::string_view text) {
    auto fail = [](std::string message) {
        return boost::system::result<Block, std::string>(boost::system::in_place_error,
                                                         std::move(message));
    };
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        auto first = parse_ip(text.substr(0, dash));
        auto last = parse_ip(text.substr(dash + 1));
        if (!first || !last) {
            return fail(fmt::format("wrong IP range format: {}", text));
        }
        if (first->is_v4() != last->is_v4()) {
            return fail(fmt::format("mixed IP range format: {}", text));
        }
        U128 a = to_number(*first);
        U128 b = to_number(*last);
        if (b < a) {
            return fail(fmt::format("negative IP range: {}", text));
        }
        return Block{a, add_saturating(b - a, 1), first->is_v6()};
    }
    if (text.find('/') != std::string_view::npos) {
        auto cidr = parse_cidr(text);
        if (!cidr) {
            return fail(
                fmt::format("parseCIDR() failed parsing {}: invalid CIDR address: {}", text, text));
        }
        bool v6 = cidr->ip.is_v6();
        unsigned host_bits = (v6 ? 128 : 32) - cidr->prefix;
        U128 span = host_bits == 128 ? kMax : (U128(1) << host_bits) - 1; // count - 1
        Block b{to_number(cidr->ip) & ~span, add_saturating(span, 1), v6};
        if (!v6 && b.count > 2) { // k6 leaves out the network and broadcast addresses
            b.first += 1;
            b.count -= 2;
        }
        return b;
    }
    auto ip = parse_ip(text);
    if (!ip) {
        return fail(fmt::format("{} is not a valid IP, IP range or CIDR", text));
    }
    return Block{to_number(*ip), 1, ip->is_v6()};
}

boost::system::result<IpPool, std::string> IpPool::parse(std::string_view text) {
    IpPool pool;
    pool.text_ = std::string(text);
    std::size_t start = 0;
    while (true) {
        auto comma = text.find(',', start);
        auto b = block(text.substr(start, comma - start));
        if (!b) {
            return {boost::system::in_place_error, b.error()};
        }
        pool.blocks_.push_back(*b);
        pool.size_ = add_saturating(pool.size_, b->count);
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return pool;
}

boost::asio::ip::address IpPool::at(std::uint64_t index) const {
    U128 i = U128(index) % size_;
    for (const auto& b : blocks_) {
        if (i < b.count) {
            return from_number(b.first + i, b.v6);
        }
        i -= b.count;
    }
    return from_number(blocks_.back().first, blocks_.back().v6); // a saturated size: not reached
}

} // namespace volley::net
