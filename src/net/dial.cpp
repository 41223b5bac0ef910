#include "net/dial.hpp"

#include <array>
#include <cerrno>
#include <charconv>

#include <boost/asio/error.hpp>

#include <netinet/in.h>
#include <sys/socket.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 // linux/in.h, Linux 4.2
#endif

namespace volley::net {

namespace {

// Binds `sock` to `ip` with the port chosen at connect time: without IP_BIND_ADDRESS_NO_PORT a
// bind reserves an ephemeral port for every destination, some 28,000 per address in all.
boost::system::error_code bind_source(TcpSocket& sock, const boost::asio::ip::address& ip) {
    int on = 1;
    (void)::setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
    boost::system::error_code ec;
    sock.bind(boost::asio::ip::tcp::endpoint(ip, 0), ec);
    return ec;
}

} // namespace

boost::system::error_code dial_nonblocking(TcpSocket& sock,
                                           const boost::asio::ip::tcp::endpoint& ep,
                                           DialSource& source, Yield yield) {
    namespace asio = boost::asio;
    boost::system::error_code ec;
    sock.open(ep.protocol(), ec);
    if (!ec) {
        sock.non_blocking(true, ec);
    }
    if (!ec && source.ip) {
        ec = bind_source(sock, *source.ip);
        source.bind_failed = static_cast<bool>(ec);
    }
    if (ec) {
        return ec;
    }
    if (::connect(sock.native_handle(), ep.data(), static_cast<socklen_t>(ep.size())) == 0) {
        return ec;
    }
    if (errno != EINPROGRESS) {
        int err = errno == EAGAIN ? ENOBUFS : errno; // as asio's socket_ops::connect on Linux
        return {err, asio::error::get_system_category()};
    }
    sock.async_wait(asio::ip::tcp::socket::wait_write, yield[ec]); // epoll: connect finished
    if (ec) {
        return ec;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(sock.native_handle(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
        err = errno;
    }
    return {err, asio::error::get_system_category()};
}

std::string address_text(const boost::asio::ip::address& address) {
    if (!address.is_v4()) {
        return address.to_string();
    }
    const auto bytes = address.to_v4().to_bytes();
    std::array<char, 16> text{};
    char* out = text.data();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i != 0) {
            *out++ = '.';
        }
        out = std::to_chars(out, text.data() + text.size(), bytes[i]).ptr;
    }
    return {text.data(), out};
}

} // namespace volley::net
