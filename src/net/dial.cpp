#include "net/dial.hpp"

#include <cerrno>

#include <boost/asio/error.hpp>

#include <sys/socket.h>

namespace volley::net {

boost::system::error_code dial_nonblocking(TcpSocket& sock,
                                           const boost::asio::ip::tcp::endpoint& ep, Yield yield) {
    namespace asio = boost::asio;
    boost::system::error_code ec;
    sock.open(ep.protocol(), ec);
    if (!ec) {
        sock.non_blocking(true, ec);
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

} // namespace volley::net
