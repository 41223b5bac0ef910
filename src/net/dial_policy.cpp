#include "net/dial_policy.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "net/ip_pool.hpp"
#include "net/url.hpp"
#include "util/ascii.hpp"

namespace volley::net {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// k6's trie match (lib/types/trie.go) over `patterns`: the index of an exact entry, else of the
// longest `*suffix` entry whose suffix ends `name` (the '*' may stand for nothing), else -1.
template <class Patterns, class Get>
std::ptrdiff_t match(const Patterns& patterns, std::string_view name, Get get) {
    std::ptrdiff_t best = -1;
    std::size_t best_len = 0;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        std::string_view p = get(patterns[i]);
        if (p == name) {
            return static_cast<std::ptrdiff_t>(i);
        }
        if (!p.empty() && p.front() == '*' && name.ends_with(p.substr(1)) && p.size() > best_len) {
            best = static_cast<std::ptrdiff_t>(i);
            best_len = p.size();
        }
    }
    return best;
}

// k6's host patterns (lib/types/hosts.go, hostnametrie.go): `*` or `*.` first, then labels of
// letters, digits and inner dashes joined by dots (or none), then with `port` a `:NNNNN`.
// Checked by hand: std::regex recurses per byte and overflows the stack on a long pattern.
bool host_pattern(std::string_view s, bool port) {
    if (s.starts_with('*')) {
        s.remove_prefix(s.starts_with("*.") ? 2 : 1);
    }
    if (auto colon = s.rfind(':'); port && colon != std::string_view::npos) {
        if (!all_digits(s.substr(colon + 1)) || s.size() - colon - 1 > 5) {
            return false;
        }
        s = s.substr(0, colon);
    }
    auto label_char = [](char c) { return ascii_alnum(c) || c == '-'; };
    for (std::size_t start = 0; !s.empty();) {
        auto dot = s.find('.', start);
        auto label = s.substr(start, dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-' ||
            !std::all_of(label.begin(), label.end(), label_char)) {
            return false;
        }
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return true;
}

// "ip" or "ip:port" ("[v6]:port" too).
boost::system::result<DialTarget, std::string> parse_target(const std::string& text) {
    std::string ip = text;
    std::uint16_t port = 0;
    auto colon = text.rfind(':');
    bool has_port = colon != std::string::npos && text.find(':') == colon;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        has_port = close != std::string::npos && close + 1 < text.size();
        colon = has_port ? close + 1 : std::string::npos;
        ip = text.substr(1, (close == std::string::npos ? text.size() : close) - 1);
    } else if (has_port) {
        ip = text.substr(0, colon);
    }
    if (has_port) {
        auto p = dial_port(std::string_view(text).substr(colon + 1), 0);
        if (!p) {
            return {boost::system::in_place_error, "invalid host '" + text + "'"};
        }
        port = *p;
    }
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(ip, ec);
    if (ec) {
        return {boost::system::in_place_error, "invalid IP address: " + text};
    }
    return DialTarget{addr, port};
}

// The address's bytes in network order (4 or 16).
std::vector<unsigned char> address_bytes(const boost::asio::ip::address& ip) {
    if (ip.is_v4()) {
        auto bytes = ip.to_v4().to_bytes();
        return {bytes.begin(), bytes.end()};
    }
    auto bytes = ip.to_v6().to_bytes();
    return {bytes.begin(), bytes.end()};
}

bool in_range(const boost::asio::ip::address& ip, const boost::asio::ip::address& net,
              unsigned prefix) {
    if (ip.is_v4() != net.is_v4()) {
        return false;
    }
    auto a = address_bytes(ip);
    auto b = address_bytes(net);
    for (unsigned bit = 0; bit < prefix; ++bit) {
        unsigned mask = 0x80U >> (bit % 8);
        if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
            return false;
        }
    }
    return true;
}

} // namespace

boost::system::result<DialPolicy, std::string>
DialPolicy::make(const std::vector<std::pair<std::string, std::string>>& hosts,
                 const std::vector<std::string>& blacklist,
                 const std::vector<std::string>& blocked) {
    DialPolicy p;
    for (const auto& [pattern, target] : hosts) {
        if (!host_pattern(pattern, true)) {
            return {boost::system::in_place_error, "invalid host pattern '" + pattern + "'"};
        }
        auto t = parse_target(target);
        if (!t) {
            return {boost::system::in_place_error, t.error()};
        }
        p.hosts_.push_back({lower(pattern), *t});
    }
    for (const auto& cidr : blacklist) {
        auto range = parse_cidr(cidr);
        if (!range) {
            return {boost::system::in_place_error, "invalid CIDR address: " + cidr};
        }
        p.blacklist_.push_back({range->ip, range->prefix, cidr});
    }
    for (const auto& pattern : blocked) {
        if (!host_pattern(pattern, false)) {
            return {boost::system::in_place_error, "invalid hostname pattern '" + pattern + "'"};
        }
        p.blocked_.push_back(lower(pattern));
    }
    return p;
}

std::optional<DialTarget> DialPolicy::mapped(std::string_view host, std::uint16_t port) const {
    if (hosts_.empty()) {
        return std::nullopt;
    }
    std::string name = lower(host);
    auto pattern = [](const Mapping& m) { return std::string_view(m.pattern); };
    auto i = match(hosts_, fmt::format("{}:{}", name, port), pattern);
    if (i >= 0) {
        return hosts_[static_cast<std::size_t>(i)].target;
    }
    i = match(hosts_, name, pattern);
    if (i < 0) {
        return std::nullopt;
    }
    DialTarget t = hosts_[static_cast<std::size_t>(i)].target;
    if (t.port == 0) {
        t.port = port; // the entry names no port: the URL's applies
    }
    return t;
}

const std::string* DialPolicy::blocked(std::string_view host) const {
    if (blocked_.empty() || is_ip_literal(std::string(host))) {
        return nullptr;
    }
    auto i = match(blocked_, lower(host), [](const std::string& p) { return std::string_view(p); });
    return i < 0 ? nullptr : &blocked_[static_cast<std::size_t>(i)];
}

const std::string* DialPolicy::blacklisted(const boost::asio::ip::address& ip) const {
    for (const auto& r : blacklist_) {
        if (in_range(ip, r.network, r.prefix)) {
            return &r.text;
        }
    }
    return nullptr;
}

std::string DialPolicy::blocked_text(std::string_view host, const std::string& pattern) {
    return fmt::format("hostname ({}) is in a blocked pattern ({})", host, pattern);
}

std::string DialPolicy::blacklisted_text(const boost::asio::ip::address& ip,
                                         const std::string& range) {
    return fmt::format("IP ({}) is in a blacklisted range ({})", ip.to_string(), range);
}

} // namespace volley::net
