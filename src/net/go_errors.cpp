#include "net/go_errors.hpp"

#include <cctype>

#include <boost/asio/error.hpp>
#include <fmt/format.h>

#include "net/dns_resolver.hpp"

namespace volley::net {

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& ep) {
    auto addr = ep.address();
    if (addr.is_v6()) {
        return fmt::format("[{}]:{}", addr.to_string(), ep.port());
    }
    return fmt::format("{}:{}", addr.to_string(), ep.port());
}

std::string errno_text(const boost::system::error_code& ec) {
    std::string text = ec.message();
    if (!text.empty() && ec.category() == boost::system::system_category()) {
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
}

namespace {

// Text for the tail after `<op> tcp ...: `, or "" when the errno form applies.
std::string stop_text(const boost::system::error_code& ec, StopCause cause) {
    if (cause == StopCause::kTimeout) {
        return "i/o timeout";
    }
    if (cause == StopCause::kClosed || ec == boost::asio::error::operation_aborted ||
        ec == boost::asio::error::bad_descriptor) {
        return "use of closed network connection";
    }
    return {};
}

} // namespace

std::string dial_error_text(const boost::asio::ip::tcp::endpoint& ep,
                            const boost::system::error_code& ec, StopCause cause,
                            const DialSource& source) {
    std::string tail = stop_text(ec, cause);
    if (tail.empty()) {
        tail = (source.bind_failed ? "bind: " : "connect: ") + errno_text(ec);
    }
    if (source.ip) { // Go's OpError names the requested local address, port 0
        return fmt::format("dial tcp {}->{}: {}",
                           endpoint_text(boost::asio::ip::tcp::endpoint(*source.ip, 0)),
                           endpoint_text(ep), tail);
    }
    return fmt::format("dial tcp {}: {}", endpoint_text(ep), tail);
}

std::string lookup_error_text(std::string_view host, const boost::system::error_code& ec,
                              StopCause cause) {
    std::string tail = stop_text(ec, cause);
    if (tail.empty()) {
        bool missing = ec == policy_emptied() || ec == boost::asio::error::host_not_found ||
                       ec == boost::asio::error::host_not_found_try_again ||
                       ec == boost::asio::error::no_data;
        tail = missing ? "no such host" : errno_text(ec);
    }
    return fmt::format("lookup {}: {}", host, tail);
}

std::string io_error_text(std::string_view op, std::string_view endpoints,
                          const boost::system::error_code& ec, StopCause cause) {
    std::string tail = stop_text(ec, cause);
    if (tail.empty()) {
        tail = fmt::format("{}: {}", op, errno_text(ec));
    }
    return fmt::format("{} tcp {}: {}", op, endpoints, tail);
}

} // namespace volley::net
