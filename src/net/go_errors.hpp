#pragma once

// Error texts worded like Go's net package, since k6 scripts see them (k6-behaviour.md §1.6, §2.4):
//   dial tcp 127.0.0.1:1: connect: connection refused
//   read tcp 127.0.0.1:50000->127.0.0.1:8080: read: connection reset by peer
// Pure functions, any thread.

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace volley::net {

// Why an operation stopped when the error code alone does not say it.
enum class StopCause {
    kNone,    // the error code is the cause
    kTimeout, // a deadline passed (or the owner cancelled): Go's `i/o timeout`
    kClosed,  // the connection was closed locally: `use of closed network connection`
};

// `127.0.0.1:80`, `[::1]:80`.
std::string endpoint_text(const boost::asio::ip::tcp::endpoint& ep);

// The errno text as Go prints it (`connection refused`: lower-case first letter).
std::string errno_text(const boost::system::error_code& ec);

// Where a dial comes from: the address bound first (--local-ips), and whether the bind failed.
struct DialSource {
    std::optional<boost::asio::ip::address> ip;
    bool bind_failed = false;
};

// `dial tcp <ep>: connect: <errno>` / `dial tcp <ep>: i/o timeout`; from a bound source
// address, `dial tcp <ip>:0-><ep>: connect: <errno>` or `...: bind: <errno>`.
std::string dial_error_text(const boost::asio::ip::tcp::endpoint& ep,
                            const boost::system::error_code& ec, StopCause cause,
                            const DialSource& source = {});

// `lookup <host>: no such host` and friends.
std::string lookup_error_text(std::string_view host, const boost::system::error_code& ec,
                              StopCause cause);

// `<op> tcp <local>-><remote>: <op>: <errno>`; op is "read" or "write"; `endpoints` is
// `<local>-><remote>`.
std::string io_error_text(std::string_view op, std::string_view endpoints,
                          const boost::system::error_code& ec, StopCause cause);

} // namespace volley::net
