#pragma once

// Where a connection may go, as k6's netext.Dialer decides it for k6/http and k6/ws alike: the
// `hosts` option (a name, `name:port` or `*.suffix` mapped to an IP and optional port), the
// `blockHostnames` patterns and the `blacklistIPs` ranges. Immutable once made; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/system/result.hpp>

namespace volley::net {

struct DialTarget {
    boost::asio::ip::address ip;
    std::uint16_t port = 0;
};

class DialPolicy {
public:
    // `hosts`: pattern → "ip" or "ip:port"; `blacklist`: CIDR ranges; `blocked`: hostname
    // patterns ("example.com", "*.example.com", "*example.com"). Fails with k6's text for an
    // invalid entry (`invalid host pattern '...'`, `invalid hostname pattern '...'`, `invalid
    // CIDR address: ...`, `invalid IP address: ...`).
    static boost::system::result<DialPolicy, std::string>
    make(const std::vector<std::pair<std::string, std::string>>& hosts,
         const std::vector<std::string>& blacklist, const std::vector<std::string>& blocked);

    bool empty() const { return hosts_.empty() && blacklist_.empty() && blocked_.empty(); }

    // The hosts entry for `host` and `port` (Go's `host:port` first, then `host`, whose port
    // applies when the entry has none), or nullopt.
    std::optional<DialTarget> mapped(std::string_view host, std::uint16_t port) const;

    // The blockHostnames pattern `host` matches (exact first, else the longest wildcard), or
    // nullptr. IP literals are never blocked.
    const std::string* blocked(std::string_view host) const;

    // The blacklistIPs range holding `ip` (as written), or nullptr.
    const std::string* blacklisted(const boost::asio::ip::address& ip) const;

    // k6's texts: `hostname (h) is in a blocked pattern (p)`, `IP (x) is in a blacklisted range
    // (r)`.
    static std::string blocked_text(std::string_view host, const std::string& pattern);
    static std::string blacklisted_text(const boost::asio::ip::address& ip,
                                        const std::string& range);

private:
    struct Mapping {
        std::string pattern; // lower-cased
        DialTarget target;
    };
    struct Range {
        boost::asio::ip::address network;
        unsigned prefix = 0;
        std::string text;
    };
    std::vector<Mapping> hosts_;
    std::vector<Range> blacklist_;
    std::vector<std::string> blocked_; // lower-cased
};

} // namespace volley::net
