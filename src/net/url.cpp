#include "net/url.hpp"

#include <charconv>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include "net/go_url.hpp"

namespace volley::net {

boost::system::result<std::uint16_t, std::string> dial_port(std::string_view port_text,
                                                            std::uint16_t default_port) {
    if (port_text.empty()) {
        return default_port;
    }
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.begin(), port_text.end(), value);
    if (ec != std::errc() || ptr != port_text.end() || value > 65535) {
        return fmt::format("dial tcp: address {}: invalid port", port_text);
    }
    return static_cast<std::uint16_t>(value);
}

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

WsUrlResult parse_ws_url(std::string_view raw) {
    auto parsed = parse_go_url(raw);
    if (!parsed) {
        return parsed.error();
    }
    const GoUrl& p = *parsed;
    if ((p.scheme != "ws" && p.scheme != "wss") || p.has_user || p.opaque) {
        return std::string(kMalformedWsUrl);
    }
    WsUrl url;
    url.tls = p.scheme == "wss";
    url.host_header = p.host;
    if (p.hostname.empty()) {
        return std::string(kMalformedWsUrl); // Go would dial the local system; refuse instead
    }
    url.host = p.hostname;
    auto port = dial_port(p.port, url.tls ? 443 : 80);
    if (!port) {
        return port.error();
    }
    url.port = *port;
    url.host_is_ip = is_ip_literal(url.host);
    url.target = p.path.empty() ? "/" : p.path;
    if (p.force_query || !p.raw_query.empty()) {
        url.target += '?';
        url.target += p.raw_query;
    }
    return url;
}

} // namespace volley::net
